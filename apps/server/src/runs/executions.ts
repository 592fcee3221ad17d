// Runs executing in this process: each waits for a slot under the concurrency cap, then its events
// are pumped from the runtime into its journal until the run ends, is cancelled, is taken over by
// another process, or the server shuts down. While any run executes here, its lease is renewed.
import type { RunEvent } from '@loomflow/graph-schema';
import type { CallLog } from '@loomflow/runtime';
import type { EventPublisher } from './event-publisher';
import { RunTakenOverError, type EventJournal } from './event-journal';
import { LeaseHeartbeat } from './leases';
import type { RunStore } from './run-store';
import { DEFAULT_MAX_CONCURRENT_RUNS, RunSlots } from './run-slots';

/**
 * Each step's checkpoint is written before the next step starts, so a server killed mid-run
 * never repeats a step that had finished (LangGraph's default overlaps the two).
 */
const SERVER_DURABILITY = 'sync' as const;

const TAKEN_OVER = 'another server process took the run over';

/** One execution of a run, prepared before the engine is called so the engine gets its options. */
export interface Execution {
  /** What every engine call for this execution is given (`CompiledFlow.run`/`resume` options). */
  readonly options: { readonly runId: string; readonly signal: AbortSignal; readonly durability: typeof SERVER_DURABILITY; readonly journal: EventJournal; readonly callLog: CallLog };
  /** Executes the run's events to their end in the background. */
  launch(events: AsyncIterable<RunEvent>): void;
}

export interface ExecutionsOptions {
  readonly runs: RunStore;
  readonly ownerId: string;
  readonly leaseMs: number;
  readonly maxConcurrentRuns?: number | undefined;
  readonly publisher: EventPublisher;
  /** True once the server began shutting down: runs stop without an outcome. */
  readonly closing: () => boolean;
}

export class Executions {
  readonly #active = new Map<string, { readonly abort: AbortController; readonly done: Promise<void> }>();
  /** Runs launched here that wait for a slot (the table says `queued` until `run.started` is stored, a slot or not). */
  readonly #queued = new Set<string>();
  readonly #slots: RunSlots;
  readonly #heartbeat: LeaseHeartbeat;

  readonly maxConcurrentRuns: number;

  constructor(private readonly options: ExecutionsOptions) {
    this.maxConcurrentRuns = options.maxConcurrentRuns ?? DEFAULT_MAX_CONCURRENT_RUNS;
    this.#slots = new RunSlots(this.maxConcurrentRuns);
    this.#heartbeat = new LeaseHeartbeat({
      runs: options.runs,
      ownerId: options.ownerId,
      leaseMs: options.leaseMs,
      renewed: (held) => {
        for (const [runId, run] of this.#active) if (!held.has(runId)) run.abort.abort(TAKEN_OVER);
      },
    });
  }

  /** Prepares an execution of a run whose events are numbered from `firstSeq`. */
  /**
   * Makes a run ready to launch. Its outside calls are recorded for a replay later, unless
   * `callLog` says otherwise (a replay answers them from another run's record).
   */
  prepare(runId: string, firstSeq: number, storedKeys: ReadonlySet<string>, callLog?: CallLog): Execution {
    const abort = new AbortController();
    const journal = this.options.publisher.journal(runId, firstSeq, storedKeys);
    const record: CallLog = { record: (call) => this.options.runs.recordCall(runId, call) };
    return {
      options: { runId, signal: abort.signal, durability: SERVER_DURABILITY, journal, callLog: callLog ?? record },
      launch: (events) => this.#launch(runId, abort, journal, events),
    };
  }

  /** Whether the run executes (or waits for a slot) in this process. */
  isActive(runId: string): boolean {
    return this.#active.has(runId);
  }

  /** Whether the run waits here for one of the `maxConcurrentRuns` slots. */
  isQueued(runId: string): boolean {
    return this.#queued.has(runId);
  }

  /** Asks a run to stop; false when it is not executing in this process. */
  cancel(runId: string): boolean {
    const active = this.#active.get(runId);
    if (!active) return false;
    active.abort.abort('cancelled by request');
    return true;
  }

  /** Stops every run executing here and resolves once they all stopped. */
  async stopAll(reason: string): Promise<void> {
    const active = [...this.#active.values()];
    for (const run of active) run.abort.abort(reason);
    await Promise.all(active.map((run) => run.done));
  }

  #launch(runId: string, abort: AbortController, journal: EventJournal, events: AsyncIterable<RunEvent>): void {
    this.#queued.add(runId);
    const done = this.#slots
      .acquire()
      .then(() => {
        this.#queued.delete(runId);
        return this.#pump(runId, events, journal);
      })
      .finally(() => {
        this.#slots.release();
        this.#active.delete(runId);
        this.#heartbeat.renewWhile(this.#active.size > 0);
        this.options.publisher.end(runId);
      });
    this.#active.set(runId, { abort, done });
    this.#heartbeat.renewWhile(true);
  }

  async #pump(runId: string, events: AsyncIterable<RunEvent>, journal: EventJournal): Promise<void> {
    try {
      for await (const event of events) {
        if (this.options.closing()) break;
        journal.push(event);
      }
      await journal.flush();
    } catch (error) {
      if (this.options.closing()) return;
      if (error instanceof RunTakenOverError) {
        // Another process continues the run; whatever this one still did is not recorded.
        console.error(`loomflow: ${error.message}; stopped executing it here`);
        this.#active.get(runId)?.abort.abort(TAKEN_OVER);
        return;
      }
      // The runtime turns node failures into events; reaching here means storage or the engine broke.
      console.error(`loomflow: run ${runId} failed outside its nodes:`, error);
      await this.options.runs.setStatus(runId, 'failed', { code: 'internal_error', message: 'The server failed while executing this run.' }).catch(() => undefined);
    }
  }
}
