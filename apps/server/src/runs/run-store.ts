// Runs and their events in the server's tables. A batch of events and the status change it causes
// are written in one transaction, so a reader never sees a finished run without its last event.
// Runs that are queued or running belong to one server process at a time (`owner`), for as long as
// it renews its lease; every lease comparison uses the database's clock.
import type { RunEvent } from '@loomflow/graph-schema';
import type { InStatement, InValue } from '@libsql/client';
import type { RecordedCall, RunOptions } from '@loomflow/runtime';
import { and, asc, count, desc, eq, getTableColumns, getTableName, gt, inArray, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database';
import { now, runCalls, runEvents, runs, type RunStatus } from '../db/schema';

export type RunRow = typeof runs.$inferSelect;
/**
 * A thread's newest run, with the document the thread runs as the JSON text stored: what a thread's
 * reads and later runs need of it is its compiled flow, cached by that text (compile-cache.ts), and
 * a copy in a new run row. Parsing a 2,000-node document costs 3 ms, and the debugger reads a
 * thread's state after every step.
 */
export type ThreadRun = Omit<RunRow, 'document'> & { readonly documentJson: string };
export type NewRun = Omit<typeof runs.$inferInsert, 'owner' | 'leaseExpiresAt'>;

/**
 * What `runs.options` holds: the run's own options, for an answer the interrupt it answers, and
 * for a replay the thread whose recorded calls it replays.
 */
export type StoredRunOptions = Pick<RunOptions, 'breakpoints' | 'debug'> & { readonly answers?: string; readonly replayOf?: string };

/** An event to store, with the runtime's identity for it when it has one (`runEventKey`). */
export interface StoredEvent {
  readonly event: RunEvent;
  readonly key: string | undefined;
}

/** A JSON column's value given as JSON text already: stored as it is, not stringified again. */
export function jsonText(json: string): SQL {
  return sql`${json}`;
}

/** The statuses of a run that is (or should be) executing in some server process. */
export const activeRunStatuses = ['queued', 'running'] as const satisfies readonly RunStatus[];

const statusAfter: Partial<Record<RunEvent['type'], RunStatus>> = {
  'run.started': 'running',
  interrupt: 'waiting',
  'run.completed': 'completed',
  'run.failed': 'failed',
  'run.cancelled': 'cancelled',
};

/** Rows per INSERT statement: five bound values each, well under SQLite's variable limit. */
const EVENTS_PER_STATEMENT = 500;
const INSERT_EVENTS = `insert into ${getTableName(runEvents)} (${[runEvents.runId, runEvents.seq, runEvents.type, runEvents.event, runEvents.eventKey].map((column) => column.name).join(', ')}) select * from (values`;
const WHILE_HELD = `where exists (select 1 from ${getTableName(runs)} where ${runs.id.name} = ? and ${runs.owner.name} = ?)`;

const isActive = inArray(runs.status, [...activeRunStatuses]);
/** A run nobody holds: never claimed, released, or its owner stopped renewing. */
const isUnclaimed = or(isNull(runs.owner), lt(sql`coalesce(${runs.leaseExpiresAt}, 0)`, now));
const leaseUntil = (leaseMs: number) => sql`${now} + ${leaseMs}`;

export class RunStore {
  // Built once: every event stream reads its run's status and stored events, and drizzle takes
  // about as long to build a query's SQL as SQLite takes to run these.
  readonly #status;
  readonly #eventsAfter;
  readonly #latestOfThread;

  constructor(private readonly db: Database) {
    this.#status = db.select({ status: runs.status }).from(runs).where(eq(runs.id, sql.placeholder('id'))).limit(1).prepare();
    this.#eventsAfter = db
      .select({ event: runEvents.event })
      .from(runEvents)
      .where(and(eq(runEvents.runId, sql.placeholder('runId')), gt(runEvents.seq, sql.placeholder('afterSeq'))))
      .orderBy(asc(runEvents.seq))
      .prepare();
    const { document, ...otherColumns } = getTableColumns(runs);
    this.#latestOfThread = db
      .select({ ...otherColumns, documentJson: sql<string>`${document}` })
      .from(runs)
      .where(eq(runs.threadId, sql.placeholder('threadId')))
      .orderBy(desc(runs.createdAt), desc(runs.id))
      .limit(1)
      .prepare();
  }

  /** Stores a new run, held by `owner` for `leaseMs`. */
  async insert(run: NewRun, owner: string, leaseMs: number): Promise<void> {
    await this.db.insert(runs).values({ ...run, owner, leaseExpiresAt: leaseUntil(leaseMs) });
  }

  async get(id: string): Promise<RunRow | undefined> {
    return (await this.db.select().from(runs).where(eq(runs.id, id)).limit(1))[0];
  }

  /**
   * A run's status alone, undefined when there is no such run. Reading the whole row would parse
   * the document it runs, its input and options, which an event stream never looks at.
   */
  async status(id: string): Promise<RunStatus | undefined> {
    return (await this.#status.get({ id }))?.status;
  }

  /** The newest run of a thread: it carries the flow document the thread runs. */
  async latestOfThread(threadId: string): Promise<ThreadRun | undefined> {
    return this.#latestOfThread.get({ threadId });
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

  /** Queued or running runs that no live process holds, oldest first. */
  async listUnclaimed(): Promise<RunRow[]> {
    return this.db.select().from(runs).where(and(isActive, isUnclaimed)).orderBy(asc(runs.createdAt));
  }

  /**
   * Takes a run over if nobody holds it. One conditional UPDATE: when several processes try at
   * once, the database applies them one after another and only the first still finds the run
   * unclaimed. Returns the run when `owner` won it.
   */
  async claim(runId: string, owner: string, leaseMs: number): Promise<RunRow | undefined> {
    const claimed = await this.db
      .update(runs)
      .set({ owner, leaseExpiresAt: leaseUntil(leaseMs) })
      .where(and(eq(runs.id, runId), isActive, isUnclaimed))
      .returning();
    return claimed[0];
  }

  /**
   * Notes that a process took the run over at `checkpointId` (its thread's latest, '' for none);
   * returns how many takeovers in a row found it there (1 when it got further since the last one).
   * In one UPDATE, whose right-hand sides see the row as it was.
   */
  async recordTakeover(runId: string, checkpointId: string): Promise<number> {
    const [row] = await this.db
      .update(runs)
      .set({ stalledTakeovers: sql`case when ${runs.takeoverCheckpoint} = ${checkpointId} then ${runs.stalledTakeovers} + 1 else 1 end`, takeoverCheckpoint: checkpointId })
      .where(eq(runs.id, runId))
      .returning({ stalled: runs.stalledTakeovers });
    return row?.stalled ?? 1;
  }

  /** Extends the leases of every queued or running run `owner` holds; returns their ids. */
  async renewLeases(owner: string, leaseMs: number): Promise<Set<string>> {
    const renewed = await this.db
      .update(runs)
      .set({ leaseExpiresAt: leaseUntil(leaseMs) })
      .where(and(eq(runs.owner, owner), isActive))
      .returning({ id: runs.id });
    return new Set(renewed.map((run) => run.id));
  }

  /** Gives up `owner`'s unfinished runs, so that the next process takes them over at once. */
  async releaseLeases(owner: string): Promise<void> {
    await this.db
      .update(runs)
      // A process that shut down did not die in the run's step: its next takeover counts from nothing.
      .set({ owner: null, leaseExpiresAt: null, stalledTakeovers: 0, takeoverCheckpoint: null })
      .where(and(eq(runs.owner, owner), isActive));
  }

  /**
   * Gives up one run this process holds, for a sweep (this process's or another's) to continue.
   * Unlike a shutdown, its takeovers keep counting: whatever stopped it happened in its step.
   */
  async release(id: string, owner: string): Promise<void> {
    await this.db
      .update(runs)
      .set({ owner: null, leaseExpiresAt: null })
      .where(and(eq(runs.id, id), eq(runs.owner, owner), isActive));
  }

  async setStatus(id: string, status: RunStatus, error?: unknown): Promise<void> {
    const finished = status === 'completed' || status === 'failed' || status === 'cancelled' || status === 'interrupted';
    await this.db
      .update(runs)
      .set({ status, ...(error === undefined ? {} : { error }), ...(finished ? { finishedAt: Date.now() } : {}) })
      .where(eq(runs.id, id));
  }

  /**
   * Appends events of one run (in `seq` order) and applies the status the last of them implies,
   * in one transaction, provided `owner` still holds the run. Returns false, writing nothing, when
   * another process has taken the run over: the caller must stop executing it.
   */
  async append(runId: string, owner: string, events: readonly StoredEvent[]): Promise<boolean> {
    if (events.length === 0) return true;
    // Plain SQL for the rows: drizzle's query builder costs more than SQLite's insert here.
    const inserts: InStatement[] = [];
    for (let start = 0; start < events.length; start += EVENTS_PER_STATEMENT) {
      const chunk = events.slice(start, start + EVENTS_PER_STATEMENT);
      const args: InValue[] = [];
      for (const { event, key } of chunk) args.push(runId, event.seq, event.type, JSON.stringify(event), key ?? null);
      args.push(runId, owner);
      // INSERT … SELECT … WHERE: the rows go in only while the run is still ours.
      inserts.push({ sql: `${INSERT_EVENTS} ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}) ${WHILE_HELD}`, args });
    }
    const update = this.#statusUpdate(events);
    const statusChange = update && this.db.update(runs).set(update).where(and(eq(runs.id, runId), eq(runs.owner, owner))).toSQL();
    const results = await this.db.$client.batch([...inserts, ...(statusChange ? [{ sql: statusChange.sql, args: statusChange.params as InValue[] }] : [])], 'write');
    return (results[0]?.rowsAffected ?? 0) > 0;
  }

  /** The columns of `runs` the events change, applied in order: a batch may start and end a run. */
  #statusUpdate(events: readonly StoredEvent[]): Partial<RunRow> | undefined {
    let update: Partial<RunRow> | undefined;
    for (const { event } of events) {
      const status = statusAfter[event.type];
      if (!status) continue;
      update = { ...update, status };
      if (status === 'running') update.startedAt = event.ts;
      else {
        // The run stopped: no process holds it any more (`waiting` runs are resumed as new runs).
        update.leaseExpiresAt = null;
        if (status !== 'waiting') update.finishedAt = event.ts;
      }
      if (event.type === 'run.failed') update.error = { ...event.error, ...(event.nodeId ? { nodeId: event.nodeId } : {}) };
    }
    return update;
  }

  async events(runId: string, afterSeq = -1): Promise<RunEvent[]> {
    const rows = await this.#eventsAfter.all({ runId, afterSeq });
    return rows.map((row) => row.event as RunEvent);
  }

  /** The identities of a run's stored events, for continuing it without repeating them. */
  async storedKeys(runId: string): Promise<Set<string>> {
    const rows = await this.db
      .select({ key: runEvents.eventKey })
      .from(runEvents)
      .where(and(eq(runEvents.runId, runId), isNotNull(runEvents.eventKey)));
    return new Set(rows.map((row) => row.key as string));
  }

  async lastSeq(runId: string): Promise<number> {
    const rows = await this.db.select({ seq: runEvents.seq }).from(runEvents).where(eq(runEvents.runId, runId)).orderBy(desc(runEvents.seq)).limit(1);
    return rows[0]?.seq ?? -1;
  }

  /** Keeps the answer of one of a run's outside calls; a key answered already keeps its first answer. */
  async recordCall(runId: string, call: RecordedCall): Promise<void> {
    await this.db.insert(runCalls).values({ runId, key: call.key, nodeId: call.nodeId, kind: call.kind, result: call.result ?? null }).onConflictDoNothing();
  }

  /** The recorded answers of every run of a thread, by call key (the first run's where two ran the same). */
  async callsOfThread(threadId: string): Promise<Map<string, unknown>> {
    const rows = await this.db
      .select({ key: runCalls.key, result: runCalls.result })
      .from(runCalls)
      .innerJoin(runs, eq(runs.id, runCalls.runId))
      .where(eq(runs.threadId, threadId))
      .orderBy(asc(runs.createdAt), asc(runCalls.createdAt));
    const calls = new Map<string, unknown>();
    for (const row of rows) if (!calls.has(row.key)) calls.set(row.key, row.result);
    return calls;
  }
}
