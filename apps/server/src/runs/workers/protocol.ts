// What the server's main thread and a run worker thread say to each other. The main thread keeps
// everything a request touches (the runs table, each run's journal and live listeners, human
// tasks, leases); a worker keeps the engine (compiled flows, the checkpoint saver on its own
// libsql client, the code sandbox, MCP connections, model calls). The journal's two waits cross
// as requests with a token: a step is committed only once the main thread has stored its events,
// and an outside call is recorded before its node goes on, exactly as on one thread.
import type { RunEvent } from '@loomflow/graph-schema';
import type { RecordedCall } from '@loomflow/runtime';
import type { RunCommand } from '../run-host';
import type { RunEngineSettings } from '../run-engine';

/** `workerData` of a run worker: how to open the database, and the engine's settings. */
export interface RunWorkerData {
  readonly role: typeof RUN_WORKER_ROLE;
  readonly databaseUrl: string;
  readonly settings: RunEngineSettings;
}

export const RUN_WORKER_ROLE = 'loomflow-run-worker';

/** An event with its identity (`runEventKey`), which does not survive the copy on its own. */
export interface KeyedEvent {
  readonly event: RunEvent;
  readonly key: string | undefined;
}

export type ToWorker =
  | {
      readonly type: 'execute';
      readonly runId: string;
      readonly command: RunCommand;
      readonly storedKeys: readonly string[];
      readonly storedCount: number;
      /** A replay's answers, by call key; without them the worker asks the main thread to record each call. */
      readonly recorded?: ReadonlyMap<string, unknown> | undefined;
    }
  | { readonly type: 'cancel'; readonly runId: string; readonly reason: string }
  | { readonly type: 'answer'; readonly token: number; readonly error?: string | undefined }
  | { readonly type: 'close' };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'start-failed'; readonly message: string }
  | { readonly type: 'events'; readonly runId: string; readonly events: readonly KeyedEvent[] }
  /** Resolve `token` once every event sent before it is stored. */
  | { readonly type: 'flush'; readonly runId: string; readonly token: number }
  /** Resolve `token` once the call is in the run's record. */
  | { readonly type: 'record'; readonly runId: string; readonly token: number; readonly call: RecordedCall }
  | { readonly type: 'done'; readonly runId: string; readonly error?: string | undefined }
  | { readonly type: 'closed' };

/** Whether this thread was started as a run worker (main.ts starts one instead of the server). */
export function isRunWorkerData(data: unknown): data is RunWorkerData {
  return typeof data === 'object' && data !== null && (data as { role?: unknown }).role === RUN_WORKER_ROLE;
}

/**
 * Posts a message, falling back to its JSON form for values structured clone refuses (class
 * instances with functions): events and calls are stored and streamed as JSON anyway, so the JSON
 * form is what every reader of them sees.
 */
export function postCopy(port: { postMessage(message: unknown): void }, message: FromWorker): void {
  try {
    port.postMessage(message);
  } catch (error) {
    if (!(error instanceof Error && error.name === 'DataCloneError')) throw error;
    port.postMessage(JSON.parse(JSON.stringify(message)) as unknown);
  }
}
