// Human tasks: one per human interrupt of a thread. Claiming and completing are conditional
// UPDATEs whose affected-row count decides who won, so two people completing the same task at once
// get one success and one conflict, never two resumes. Each write that took effect is told to the
// listeners of `changes` (the task event stream), with the task as read back.
import { readHumanRequest } from '@loomflow/graph-schema';
import { randomUUID } from 'node:crypto';
import { and, desc, eq, getTableColumns, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database';
import { humanTasks, runs, type TaskStatus } from '../db/schema';
import { TaskChanges, type TaskChangeType } from './task-changes';
import { toTaskView, type TaskRecord, type TaskRow } from './task-view';

/**
 * A task's columns with its flow and the name of its step, from the document its run executes
 * (a thread keeps the document it started with, so the name is the one the person saw drawn).
 */
const taskRecordColumns = {
  ...getTableColumns(humanTasks),
  flowId: runs.flowId,
  flowName: sql<string | null>`json_extract(${runs.document}, '$.name')`,
  nodeName: sql<string | null>`(select json_extract(node.value, '$.name') from json_each(${runs.document}, '$.nodes') as node where json_extract(node.value, '$.id') = ${humanTasks.nodeId})`,
};

/** A task somebody can still claim or complete. */
const isNotDone = notInArray(humanTasks.status, ['completed', 'closed']);

export class TaskStore {
  readonly changes = new TaskChanges();

  constructor(private readonly db: Database) {}

  /**
   * Records the task of a human interrupt, all of it read from the request the step wrote
   * (graph-schema human-request.ts); the same interrupt seen again (a refused answer, a replay)
   * keeps its one task.
   */
  async createFromInterrupt(input: { runId: string; threadId: string; nodeId: string; interruptId: string; payload: unknown }): Promise<void> {
    const request = readHumanRequest(input.payload);
    const created = await this.db
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
      .onConflictDoNothing()
      .returning({ id: humanTasks.id });
    await this.#tell('task.created', created);
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    return (await this.#select().where(eq(humanTasks.id, id)).limit(1))[0];
  }

  /** Newest first; `status` keeps the tasks in any of the statuses given. */
  async list(filter: { assignee?: string | undefined; group?: string | undefined; status?: readonly TaskStatus[] | undefined; limit: number; offset: number }): Promise<TaskRecord[]> {
    const conditions: SQL[] = [];
    if (filter.status && filter.status.length > 0) conditions.push(inArray(humanTasks.status, [...filter.status]));
    if (filter.assignee) conditions.push(eq(humanTasks.assignee, filter.assignee));
    if (filter.group) conditions.push(sql`exists (select 1 from json_each(${humanTasks.candidateGroups}) where value = ${filter.group})`);
    return this.#select()
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
      .where(and(eq(humanTasks.id, id), isNotDone))
      .returning({ id: humanTasks.id });
    await this.#tell('task.claimed', updated);
    return updated.length === 1;
  }

  /**
   * Marks the task completed with its answer; undefined when someone else completed it first.
   * Listeners hear of it only once the thread took the answer (`setResumeRun`): until then
   * `reopen` may still undo it.
   */
  async complete(id: string, answer: unknown): Promise<TaskRow | undefined> {
    const updated = await this.db
      .update(humanTasks)
      .set({ status: 'completed', answer, completedAt: Date.now() })
      .where(and(eq(humanTasks.id, id), isNotDone))
      .returning();
    return updated[0];
  }

  /** Undoes `complete` when the thread refused the answer, so the task can be answered again. */
  async reopen(task: TaskRow): Promise<void> {
    const reopened = await this.db
      .update(humanTasks)
      .set({ status: task.assignee && task.claimedAt ? 'claimed' : 'open', answer: null, completedAt: null })
      .where(eq(humanTasks.id, task.id))
      .returning({ id: humanTasks.id });
    // Nobody heard of the completion, but a list read in between showed the task completed.
    await this.#tell('task.reopened', reopened);
  }

  /** Records the run the answer started: the completion is final now. */
  async setResumeRun(id: string, runId: string): Promise<void> {
    const updated = await this.db.update(humanTasks).set({ resumeRunId: runId }).where(eq(humanTasks.id, id)).returning({ id: humanTasks.id });
    await this.#tell('task.completed', updated);
  }

  /** Tasks left open on a thread whose interrupt was answered another way (POST /threads/:id/resume). */
  async completeByInterrupt(threadId: string, interruptId: string, answer: unknown): Promise<void> {
    const completed = await this.db
      .update(humanTasks)
      .set({ status: 'completed', answer, completedAt: Date.now() })
      .where(and(eq(humanTasks.threadId, threadId), eq(humanTasks.interruptId, interruptId), isNotDone))
      .returning({ id: humanTasks.id });
    await this.#tell('task.completed', completed);
  }

  /** Closes the open tasks of interrupts the thread stopped waiting on unanswered (a completion condition closed their instances). */
  async closeByInterrupts(threadId: string, interruptIds: readonly string[]): Promise<void> {
    if (interruptIds.length === 0) return;
    const closed = await this.db
      .update(humanTasks)
      .set({ status: 'closed', completedAt: Date.now() })
      .where(and(eq(humanTasks.threadId, threadId), inArray(humanTasks.interruptId, [...interruptIds]), isNotDone))
      .returning({ id: humanTasks.id });
    await this.#tell('task.closed', closed);
  }

  #select() {
    return this.db.select(taskRecordColumns).from(humanTasks).leftJoin(runs, eq(runs.id, humanTasks.runId)).$dynamic();
  }

  /** Reads the changed tasks back once, whoever listens, and only when someone does. */
  async #tell(type: TaskChangeType, changed: readonly { id: string }[]): Promise<void> {
    if (changed.length === 0 || this.changes.size === 0) return;
    const records = await this.#select().where(inArray(humanTasks.id, changed.map((row) => row.id)));
    for (const record of records) this.changes.publish({ type, task: toTaskView(record) });
  }
}
