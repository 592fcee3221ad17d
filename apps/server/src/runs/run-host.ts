// Where a run's engine work happens. The run manager decides what runs (and answers the request
// that asked for it); a RunHost executes it and pumps its events into the run's journal. What it
// is told is plain data (RunCommand), so a host may execute on another thread: in this process's
// event loop (InProcessRunHost, tests and embedders) or on worker threads (worker-host.ts, the
// server's default), which keeps node work off the loop that answers HTTP.
import type { RunEvent } from '@loomflow/graph-schema';
import type { CallLog, RunOptions } from '@loomflow/runtime';
import type { CompileCache } from './compile-cache';
import type { EventJournal } from './event-journal';

/** The engine options a command may carry: everything about the run but the execution's own parts. */
export type CommandOptions = Pick<RunOptions, 'threadId' | 'breakpoints' | 'debug' | 'step'> & { readonly interruptId?: string; readonly checkpointId?: string };

/**
 * What one execution runs: a thread started, or continued with an answer, on the document it runs.
 * The document travels as its JSON text: a worker receives a string without a deep copy, and
 * parses it only when its compile cache does not have the flow already.
 */
export type RunCommand =
  | { readonly kind: 'start'; readonly documentJson: string; readonly input: Record<string, unknown>; readonly options: CommandOptions }
  | { readonly kind: 'resume'; readonly documentJson: string; readonly threadId: string; readonly value: unknown; readonly options: CommandOptions };

/**
 * Each step's checkpoint is written before the next step starts, so a server killed mid-run
 * never repeats a step that had finished (LangGraph's default overlaps the two).
 */
export const SERVER_DURABILITY = 'sync' as const;

/**
 * The thread executing a run stopped (a run worker died): the run is not finished, and another
 * execution may continue it from its last checkpoint, as after a process that died.
 */
export class RunHostLostError extends Error {
  override readonly name = 'RunHostLostError';
}

/** What the run manager lends one execution. */
export interface HostedExecution {
  readonly runId: string;
  readonly signal: AbortSignal;
  readonly journal: EventJournal;
  readonly callLog: CallLog;
  /** True once the server began shutting down: events after that are not recorded. */
  readonly closing: () => boolean;
}

export interface RunHost {
  /** Resolves once the host can execute; rejects with why it cannot (a worker that could not start). */
  ready(): Promise<void>;
  /**
   * Executes the command, its events pushed into the execution's journal, and resolves once they
   * are all stored. Node failures are events; a rejection means storage or the engine broke.
   */
  execute(command: RunCommand, execution: HostedExecution): Promise<void>;
  /** Stops the host once no execution is left; its resources (threads, pools) are released. */
  close(): Promise<void>;
}

/** Executes runs on this event loop, with the run manager's own compiled flows. */
export class InProcessRunHost implements RunHost {
  constructor(private readonly cache: CompileCache) {}

  async ready(): Promise<void> {
    // The run manager's engine is open before the host is made.
  }

  async execute(command: RunCommand, execution: HostedExecution): Promise<void> {
    const { journal, closing } = execution;
    for await (const event of await commandEvents(this.cache, command, execution)) {
      // Ending the iteration fails the tasks waiting on the journal, so their step is not committed.
      if (closing()) break;
      journal.push(event);
    }
    await journal.flush();
  }

  async close(): Promise<void> {
    // Nothing of its own: the run manager's runtime and pools are closed by the services.
  }
}

/** The engine's events for a command: the execution's own options over the command's. */
export async function commandEvents(cache: Pick<CompileCache, 'compileJson'>, command: RunCommand, execution: Omit<HostedExecution, 'closing' | 'journal'> & { readonly journal: RunOptions['journal'] }): Promise<AsyncIterable<RunEvent>> {
  const compiled = cache.compileJson(command.documentJson);
  const own = { runId: execution.runId, signal: execution.signal, durability: SERVER_DURABILITY, journal: execution.journal, callLog: execution.callLog };
  if (command.kind === 'start') return compiled.run(command.input, { ...command.options, ...own });
  return compiled.resume(command.threadId, command.value, { ...command.options, ...own });
}
