// Taking over runs that no live process holds (their owner died, or shut down and released them)
// and continuing each from its thread's last checkpoint. LangGraph re-executes the step that was
// under way (reusing the writes of its tasks that had finished) and the runtime does not emit again
// the events the run already stored, so the log shows every step once.
import { stampRunEvent, type RunEventBody } from '@loomflow/graph-schema';
import type { CallLog, CompiledFlow } from '@loomflow/runtime';
import type { Execution } from './executions';
import type { RunCommand } from './run-host';
import { sweepEveryHalfLease } from './leases';
import type { RunRow, RunStore, StoredRunOptions } from './run-store';

/**
 * A run may be taken over three times without getting further (a deploy or two during one long
 * step); the fourth time, its step is the likelier cause of the stops than bad luck.
 */
export const DEFAULT_MAX_STALLED_RECOVERIES = 3;

export interface RecoveryOptions {
  readonly runs: RunStore;
  readonly ownerId: string;
  readonly leaseMs: number;
  /** The compiled flow of a document given as its JSON text (CompileCache.compileJson). */
  readonly compileJson: (json: string) => CompiledFlow;
  readonly prepare: (runId: string, firstSeq: number, storedKeys: ReadonlySet<string>, callLog?: CallLog) => Execution;
  /** Runs to leave alone: ours and executing (our renewal is late, not the run abandoned). */
  readonly isActive: (runId: string) => boolean;
  /** True once the server began shutting down: it takes no more runs. */
  readonly closing: () => boolean;
  /**
   * How many takeovers in a row may find a run where the last one left it; one more fails it
   * (`recovery_limit`), named by `maxStalledRecoveriesSetting` in the failure.
   */
  readonly maxStalledRecoveries: number;
  readonly maxStalledRecoveriesSetting: string;
}

export class Recovery {
  #sweeping: Promise<number> | undefined;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: RecoveryOptions) {}

  /**
   * Claims each unheld queued or running run with a conditional UPDATE, so when several processes
   * sweep at once, each run goes to exactly one, and continues it here. Returns how many it took.
   */
  async recover(): Promise<number> {
    // One sweep at a time: a timer tick during a slow sweep waits for it instead of overlapping.
    this.#sweeping ??= this.#sweep().finally(() => (this.#sweeping = undefined));
    return this.#sweeping;
  }

  /** Sweeps every half lease, until `stop`. */
  sweepPeriodically(): void {
    this.#sweeper ??= sweepEveryHalfLease(this.options.leaseMs, () => this.recover());
  }

  /** Stops sweeping; resolves once a sweep under way finished. */
  async stop(): Promise<void> {
    clearInterval(this.#sweeper);
    await this.#sweeping;
  }

  async #sweep(): Promise<number> {
    const { runs, ownerId, leaseMs } = this.options;
    let taken = 0;
    for (const candidate of await runs.listUnclaimed()) {
      if (this.options.closing() || this.options.isActive(candidate.id)) continue;
      const run = await runs.claim(candidate.id, ownerId, leaseMs);
      if (!run) continue;
      taken += 1;
      try {
        await this.#continue(run);
      } catch (error) {
        console.error(`loomflow: cannot recover run ${run.id}:`, error);
        await runs.setStatus(run.id, 'interrupted', { code: 'recovery_failed', message: 'The server process executing this run stopped, and this run could not be continued.' });
      }
    }
    if (taken > 0) console.log(`loomflow: continuing ${taken} run(s) that no live server process held`);
    return taken;
  }

  /** Continues a run from its thread's last checkpoint, or records how the thread ended. */
  async #continue(run: RunRow): Promise<void> {
    const firstSeq = (await this.options.runs.lastSeq(run.id)) + 1;
    // The text once, for the compile cache's key and for the command that continues the run.
    const documentJson = JSON.stringify(run.document);
    const compiled = this.options.compileJson(documentJson);
    // Only a run that reached the engine can have died in a step; a queued one is not counted.
    const state = firstSeq === 0 ? undefined : await compiled.getState(run.threadId);
    const stalled = state === undefined ? 0 : await this.options.runs.recordTakeover(run.id, state.checkpointId ?? '');
    const { answers, replayOf, ...runOptions } = (run.options ?? {}) as StoredRunOptions;
    // A replay goes on answering from the record it replays; other runs go on recording.
    const callLog = replayOf === undefined ? undefined : { recorded: await this.options.runs.callsOfThread(replayOf) };
    const execution = this.options.prepare(run.id, firstSeq, await this.options.runs.storedKeys(run.id), callLog);
    // seq 0: the journal numbers events after the stored ones.
    const envelope = { runId: run.id, threadId: run.threadId, seq: 0, ts: Date.now() };
    const { maxStalledRecoveries, maxStalledRecoveriesSetting } = this.options;
    if (stalled > maxStalledRecoveries) {
      // The step it was in is the likely cause: continuing it again would stop this process too.
      const message =
        `The server process stopped ${stalled} times in a row while executing this run, which got no further in between; ` +
        `it is not continued again (${maxStalledRecoveriesSetting} = ${maxStalledRecoveries}). The step it was executing may be what stops the server.`;
      execution.journal.push(stampRunEvent({ type: 'run.failed', error: { code: 'recovery_limit', message } }, envelope));
      await execution.journal.flush();
      return;
    }
    // A thread that no longer waits for the stored answer fails the takeover here (the run is
    // marked interrupted), not later on the host; the engine checks without executing anything.
    const launch = async (command: RunCommand) => {
      if (command.kind === 'resume') await compiled.resume(command.threadId, command.value, command.options);
      execution.launch(command);
    };
    const answering: RunCommand = { kind: 'resume', documentJson, threadId: run.threadId, value: run.input, options: { ...runOptions, ...(answers === undefined ? {} : { interruptId: answers }) } };
    if (state === undefined) {
      // Not even `run.started` was stored: the run never reached the engine, so it is started again.
      await launch(run.trigger === 'resume' ? answering : { kind: 'start', documentJson, input: (run.input ?? {}) as Record<string, unknown>, options: { ...runOptions, threadId: run.threadId } });
      return;
    }
    if (run.trigger === 'resume' && state.interrupts.some((pending) => pending.kind === 'human' && pending.interruptId === answers)) {
      // The step that took the answer never committed, so the thread still asks: answer again.
      await launch(answering);
      return;
    }
    if (state.next.length > 0 && state.interrupts.every((pending) => pending.kind === 'breakpoint')) {
      // The runtime reports a thread stopped between steps as waiting on a breakpoint; resuming
      // that is LangGraph's run with no input, which continues from the last checkpoint.
      await launch({ kind: 'resume', documentJson, threadId: run.threadId, value: null, options: runOptions });
      return;
    }
    // The thread finished or waits on a person, but the process died before storing that.
    const outcome: RunEventBody[] =
      state.interrupts.length > 0 ? state.interrupts.map((pending) => ({ type: 'interrupt', ...pending })) : [{ type: 'run.completed', state: compiled.finalOutput(state.values) }];
    const { journal } = execution;
    for (const body of outcome) journal.push(stampRunEvent(body, envelope));
    await journal.flush();
  }
}
