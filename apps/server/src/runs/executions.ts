// Runs executing in this process: each waits for a slot under the concurrency cap, then its run
// host executes it, pumping its events into its journal, until the run ends, is cancelled, is taken
// over by another process, or the server shuts down. While any run executes here, its lease is renewed.
import type { CallLog } from '@loomflow/runtime';
import type { EventPublisher } from './event-publisher';
import { RunTakenOverError, type EventJournal } from './event-journal';
import { LeaseHeartbeat } from './leases';
import { RunHostLostError, type RunCommand, type RunHost } from './run-host';
import type { RunStore } from './run-store';
import { DEFAULT_MAX_CONCURRENT_RUNS, RunSlots } from './run-slots';

const TAKEN_OVER = 'another server process took the run over';

/** One execution of a run, prepared before its row is written so that its journal numbers its events. */
export interface Execution {
  /** Where the run's events go; recovery also writes an outcome it finds in the thread here. */
  readonly journal: EventJournal;
  /** Executes the command to its end in the background, on the run host. */
  launch(command: RunCommand): void;
}

export interface ExecutionsOptions {
  readonly runs: RunStore;
  readonly ownerId: string;
  readonly leaseMs: number;
  readonly maxConcurrentRuns?: number | undefined;
  readonly publisher: EventPublisher;
  /** Where the engine work happens (this event loop, or worker threads). */
  readonly host: RunHost;
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
    const execution = { runId, signal: abort.signal, journal, callLog: callLog ?? record, closing: this.options.closing };
    return { journal, launch: (command) => this.#launch(runId, abort, () => this.options.host.execute(command, execution)) };
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

  #launch(runId: string, abort: AbortController, execute: () => Promise<void>): void {
    this.#queued.add(runId);
    const done = this.#slots
      .acquire()
      .then(() => {
        this.#queued.delete(runId);
        return this.#execute(runId, execute);
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

  async #execute(runId: string, execute: () => Promise<void>): Promise<void> {
    try {
      await execute();
    } catch (error) {
      if (this.options.closing()) return;
      if (error instanceof RunHostLostError) {
        // As if this process had died in the run's step: the next sweep continues it, counting the takeover.
        console.error(`loomflow: run ${runId} stopped: ${error.message}; it is continued from its last checkpoint`);
        await this.options.runs.release(runId, this.options.ownerId).catch(() => undefined);
        return;
      }
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
