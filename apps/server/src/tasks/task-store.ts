// Human tasks: one per human interrupt of a thread. Claiming and completing are conditional
// UPDATEs whose affected-row count decides who won, so two people completing the same task at once
// get one success and one conflict, never two resumes.
import { readHumanRequest } from '@loomflow/graph-schema';
import { randomUUID } from 'node:crypto';
import { and, desc, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database';
import { humanTasks, type TaskStatus } from '../db/schema';

export type TaskRow = typeof humanTasks.$inferSelect;

export class TaskStore {
  constructor(private readonly db: Database) {}

  /**
   * Records the task of a human interrupt, all of it read from the request the step wrote
   * (graph-schema human-request.ts); the same interrupt seen again (a refused answer, a replay)
   * keeps its one task.
   */
  async createFromInterrupt(input: { runId: string; threadId: string; nodeId: string; interruptId: string; payload: unknown }): Promise<void> {
    const request = readHumanRequest(input.payload);
    await this.db
      .insert(humanTasks)
      .values({
        id: randomUUID(),
        runId: input.runId,
        threadId: input.threadId,
        nodeId: input.nodeId,
        interruptId: input.interruptId,
        status: 'open',
        assignee: request?.assignee ?? null,
        candidateGroups: request?.candidateGroups ?? [],
        prompt: request?.prompt ?? null,
        schema: request?.schema ?? null,
        createdAt: Date.now(),
      })
      .onConflictDoNothing();
  }

  async get(id: string): Promise<TaskRow | undefined> {
    return (await this.db.select().from(humanTasks).where(eq(humanTasks.id, id)).limit(1))[0];
  }

  async list(filter: { assignee?: string | undefined; group?: string | undefined; status?: TaskStatus | undefined; limit: number; offset: number }): Promise<TaskRow[]> {
    const conditions: SQL[] = [];
    if (filter.status) conditions.push(eq(humanTasks.status, filter.status));
    if (filter.assignee) conditions.push(eq(humanTasks.assignee, filter.assignee));
    if (filter.group) conditions.push(sql`exists (select 1 from json_each(${humanTasks.candidateGroups}) where value = ${filter.group})`);
    return this.db
      .select()
      .from(humanTasks)
      .where(conditions.length > 0 ? and(...conditions) : undefined)
      .orderBy(desc(humanTasks.createdAt), humanTasks.id)
      .limit(filter.limit)
      .offset(filter.offset);
  }

  /** Assigns an open task (or re-assigns a claimed one) to `assignee`; false when it is completed or unknown. */
  async claim(id: string, assignee: string): Promise<boolean> {
    const updated = await this.db
      .update(humanTasks)
      .set({ status: 'claimed', assignee, claimedAt: Date.now() })
      .where(and(eq(humanTasks.id, id), ne(humanTasks.status, 'completed')))
      .returning({ id: humanTasks.id });
    return updated.length === 1;
  }

  /** Marks the task completed with its answer; false when someone else completed it first. */
  async complete(id: string, answer: unknown): Promise<TaskRow | undefined> {
    const updated = await this.db
      .update(humanTasks)
      .set({ status: 'completed', answer, completedAt: Date.now() })
      .where(and(eq(humanTasks.id, id), ne(humanTasks.status, 'completed')))
      .returning();
    return updated[0];
  }

  /** Undoes `complete` when the thread refused the answer, so the task can be answered again. */
  async reopen(task: TaskRow): Promise<void> {
    await this.db
      .update(humanTasks)
      .set({ status: task.assignee && task.claimedAt ? 'claimed' : 'open', answer: null, completedAt: null })
      .where(eq(humanTasks.id, task.id));
  }

  async setResumeRun(id: string, runId: string): Promise<void> {
    await this.db.update(humanTasks).set({ resumeRunId: runId }).where(eq(humanTasks.id, id));
  }

  /** Tasks left open on a thread whose interrupt was answered another way (POST /threads/:id/resume). */
  async completeByInterrupt(threadId: string, interruptId: string, answer: unknown): Promise<void> {
    await this.db
      .update(humanTasks)
      .set({ status: 'completed', answer, completedAt: Date.now() })
      .where(and(eq(humanTasks.threadId, threadId), eq(humanTasks.interruptId, interruptId), ne(humanTasks.status, 'completed')));
  }
}
