// Timer start events: the scheduler starts a new instance of every stored BPMN process whose start
// event is a timer when it falls due (a date once, a duration once counted from when the server
// first saw the process, a cycle as often as it repeats). Which processes start is decided as for
// message and signal start events: every stored BPMN document that compiles. Rows in `timer_starts`
// keep the next due time across restarts; a conditional UPDATE takes each due start once.
// The scheduler asks every second, so a document is read and compiled only when its edit is new to
// this server (FlowStore.bpmnEdits), not on every round.
import type { FlowDocument } from '@loomflow/graph-schema';
import type { Clock, CompiledFlow } from '@loomflow/runtime';
import { and, eq, notInArray } from 'drizzle-orm';
import type { Database } from '../db/database';
import { timerStarts } from '../db/schema';
import type { FlowStore } from '../flows/flow-store';

export interface TimerStartsOptions {
  readonly db: Database;
  readonly clock: Clock;
  readonly flows: FlowStore;
  /** The compiled flow, or undefined for a stored draft that does not compile (it starts nothing). */
  readonly compile: (flow: FlowDocument) => CompiledFlow | undefined;
  readonly start: (flowId: string) => Promise<{ runId: string }>;
}

/** What this server knows of one stored document: which edit it read, and its compiled flow if it starts on a timer. */
interface SeenDocument {
  readonly edit: string;
  readonly timed: CompiledFlow | undefined;
}

export class TimerStarts {
  readonly #seen = new Map<string, SeenDocument>();

  constructor(private readonly options: TimerStartsOptions) {}

  /** The stored processes that start on a timer, each compiled; reads only the documents edited since the last call. */
  async #timedProcesses(): Promise<{ id: string; compiled: CompiledFlow }[]> {
    const { flows, compile } = this.options;
    const timed: { id: string; compiled: CompiledFlow }[] = [];
    const present = new Set<string>();
    for (const { id, edit } of await flows.bpmnEdits()) {
      present.add(id);
      let seen = this.#seen.get(id);
      if (seen?.edit !== edit) {
        const stored = await flows.get(id);
        const compiled = stored && compile(stored.flow);
        // An edit saved between the listing and the read is newer than `edit`, so the next round reads it again.
        seen = { edit, timed: compiled?.startTimer ? compiled : undefined };
        this.#seen.set(id, seen);
      }
      if (seen.timed) timed.push({ id, compiled: seen.timed });
    }
    for (const id of this.#seen.keys()) if (!present.has(id)) this.#seen.delete(id);
    return timed;
  }

  /** Starts an instance of every process whose timer start is due; returns the runs started. */
  async fireDue(): Promise<string[]> {
    const { db, clock, start } = this.options;
    const now = clock.now();
    const rows = new Map((await db.select().from(timerStarts)).map((row) => [row.flowId, row]));
    const withTimers: string[] = [];
    const started: string[] = [];
    for (const { id, compiled } of await this.#timedProcesses()) {
      const timer = compiled.startTimer;
      if (!timer) continue;
      withTimers.push(id);
      const drawn = `${timer.timerType}:${timer.value}`;
      let row = rows.get(id);
      if (!row || row.timer !== drawn) {
        // First seen, or redrawn: counting starts now.
        row = { flowId: id, timer: drawn, nextDueAt: nextStart(compiled, now, 0), started: 0, lastRunId: null, updatedAt: now };
        await db.insert(timerStarts).values(row).onConflictDoUpdate({ target: timerStarts.flowId, set: { timer: drawn, nextDueAt: row.nextDueAt, started: 0, updatedAt: now } });
      }
      if (row.nextDueAt === null || row.nextDueAt > now) continue;
      const taken = await db
        .update(timerStarts)
        .set({ nextDueAt: nextStart(compiled, now, row.started + 1), started: row.started + 1, updatedAt: now })
        .where(and(eq(timerStarts.flowId, id), eq(timerStarts.started, row.started)))
        .returning({ flowId: timerStarts.flowId });
      if (taken.length === 0) continue;
      try {
        const { runId } = await start(id);
        await db.update(timerStarts).set({ lastRunId: runId }).where(eq(timerStarts.flowId, id));
        started.push(runId);
      } catch (error) {
        // One process that cannot start (a limit, a missing version) must not stop the others.
        console.error(`loomflow: the timer start of flow "${id}" could not start it: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    // A process deleted or redrawn without its timer start counts no more.
    await db.delete(timerStarts).where(notInArray(timerStarts.flowId, withTimers));
    return started;
  }
}

/** The next start, or null; a value the runtime cannot read (validation reports it) starts nothing. */
function nextStart(compiled: CompiledFlow, now: number, started: number): number | null {
  try {
    return compiled.nextTimerStart(now, started) ?? null;
  } catch {
    return null;
  }
}
