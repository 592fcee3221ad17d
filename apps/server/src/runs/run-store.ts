// Runs and their events in the server's tables. An event and the status change it causes are
// written in one batch, so a reader never sees a finished run without its last event.
import type { RunEvent } from '@loomflow/graph-schema';
import { and, asc, count, desc, eq, gt, inArray, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database';
import { runEvents, runs, type RunStatus } from '../db/schema';

export type RunRow = typeof runs.$inferSelect;
export type NewRun = typeof runs.$inferInsert;

/** The statuses of a run that is (or should be) executing in some server process. */
export const activeRunStatuses = ['queued', 'running'] as const satisfies readonly RunStatus[];

const statusAfter: Partial<Record<RunEvent['type'], RunStatus>> = {
  'run.started': 'running',
  interrupt: 'waiting',
  'run.completed': 'completed',
  'run.failed': 'failed',
  'run.cancelled': 'cancelled',
};

export class RunStore {
  constructor(private readonly db: Database) {}

  async insert(run: NewRun): Promise<void> {
    await this.db.insert(runs).values(run);
  }

  async get(id: string): Promise<RunRow | undefined> {
    return (await this.db.select().from(runs).where(eq(runs.id, id)).limit(1))[0];
  }

  /** The newest run of a thread: it carries the flow document the thread runs. */
  async latestOfThread(threadId: string): Promise<RunRow | undefined> {
    return (await this.db.select().from(runs).where(eq(runs.threadId, threadId)).orderBy(desc(runs.createdAt), desc(runs.id)).limit(1))[0];
  }

  async list(filter: { flowId?: string | undefined; status?: RunStatus | undefined; threadId?: string | undefined; limit: number; offset: number }) {
    const conditions: SQL[] = [];
    if (filter.flowId) conditions.push(eq(runs.flowId, filter.flowId));
    if (filter.status) conditions.push(eq(runs.status, filter.status));
    if (filter.threadId) conditions.push(eq(runs.threadId, filter.threadId));
    const where = conditions.length > 0 ? and(...conditions) : undefined;
    const columns = {
      id: runs.id,
      flowId: runs.flowId,
      version: runs.version,
      threadId: runs.threadId,
      status: runs.status,
      trigger: runs.trigger,
      error: runs.error,
      createdAt: runs.createdAt,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
    };
    const [items, totals] = await Promise.all([
      this.db.select(columns).from(runs).where(where).orderBy(desc(runs.createdAt), desc(runs.id)).limit(filter.limit).offset(filter.offset),
      this.db.select({ total: count() }).from(runs).where(where),
    ]);
    return { items, total: totals[0]?.total ?? 0 };
  }

  async listActive(): Promise<RunRow[]> {
    return this.db.select().from(runs).where(inArray(runs.status, [...activeRunStatuses])).orderBy(asc(runs.createdAt));
  }

  async setStatus(id: string, status: RunStatus, error?: unknown): Promise<void> {
    const finished = status === 'completed' || status === 'failed' || status === 'cancelled' || status === 'interrupted';
    await this.db
      .update(runs)
      .set({ status, ...(error === undefined ? {} : { error }), ...(finished ? { finishedAt: Date.now() } : {}) })
      .where(eq(runs.id, id));
  }

  /** Appends one event and applies the status it implies, atomically. */
  async append(event: RunEvent): Promise<void> {
    const insert = this.db.insert(runEvents).values({ runId: event.runId, seq: event.seq, type: event.type, event });
    const status = statusAfter[event.type];
    if (!status) {
      await insert;
      return;
    }
    const finished = status !== 'running' && status !== 'waiting';
    const error = event.type === 'run.failed' ? { ...event.error, ...(event.nodeId ? { nodeId: event.nodeId } : {}) } : undefined;
    await this.db.batch([
      insert,
      this.db
        .update(runs)
        .set({
          status,
          ...(status === 'running' ? { startedAt: event.ts } : {}),
          ...(finished ? { finishedAt: event.ts } : {}),
          ...(error ? { error } : {}),
        })
        .where(eq(runs.id, event.runId)),
    ]);
  }

  async events(runId: string, afterSeq = -1): Promise<RunEvent[]> {
    const rows = await this.db
      .select({ event: runEvents.event })
      .from(runEvents)
      .where(and(eq(runEvents.runId, runId), gt(runEvents.seq, afterSeq)))
      .orderBy(asc(runEvents.seq));
    return rows.map((row) => row.event as RunEvent);
  }

  async lastSeq(runId: string): Promise<number> {
    const rows = await this.db.select({ seq: runEvents.seq }).from(runEvents).where(eq(runEvents.runId, runId)).orderBy(desc(runEvents.seq)).limit(1);
    return rows[0]?.seq ?? -1;
  }
}
