// The server's run routes, through the typed client (so its Authorization header and its 401
// prompt apply here too): start a run of the saved draft, follow its events, cancel it, answer a
// human step, step and continue a paused thread, read and fork its checkpoints, replay a run, and
// keep the flow's breakpoints. Errors arrive as ApiError with the server's code.
import { inject, type InjectionKey } from 'vue';
import { apiErrorOf, type ApiClient } from '../../api/api-client';

export interface Breakpoints {
  readonly before: readonly string[];
  readonly after: readonly string[];
}

export interface StartOptions {
  /** A published version to run; the saved draft without it. */
  readonly version?: number;
  readonly breakpoints?: Breakpoints;
  /** Pause before the first node. */
  readonly step?: boolean;
}

export interface ResumeOptions {
  /** What the waiting human step is answered with; null to go on from a breakpoint. */
  readonly value: unknown;
  readonly interruptId?: string;
  /** Go on from this earlier checkpoint, as a new branch of the thread. */
  readonly checkpointId?: string;
  /** Pause again before the next node. */
  readonly step?: boolean;
  readonly breakpoints?: Breakpoints;
}

/** One checkpoint of a thread, as the server's history and state routes give it. */
export interface ThreadCheckpoint {
  readonly checkpointId?: string;
  readonly parentCheckpointId?: string;
  readonly step?: number;
  readonly createdAt?: string;
  /** Channel values; a large one comes as a preview. */
  readonly values: Record<string, unknown>;
  /** The nodes that run next; empty where the thread had finished. */
  readonly next: readonly string[];
  /** What made it: `input`, `loop` (a step), `update` (a state edit or fork). */
  readonly source?: string;
}

export interface RunApi {
  /** Starts the flow's saved draft (or a published version) with this input. */
  start(flowId: string, input: Record<string, unknown>, options?: StartOptions): Promise<{ runId: string; threadId: string }>;
  cancel(runId: string): Promise<void>;
  /** Answers or continues the thread's waiting step; a new run of the thread goes on. */
  resume(threadId: string, options: ResumeOptions): Promise<{ runId: string }>;
  /**
   * Runs a finished run again from its record (no calls out); `draft`: with the current drawing;
   * `checkpointId`: only the continuation from that checkpoint, as a new branch of its thread.
   */
  replay(runId: string, options: { draft?: boolean; checkpointId?: string }): Promise<{ runId: string; threadId: string }>;
  /** The run's status as stored (`running`, `waiting`, `completed`…). */
  status(runId: string): Promise<string>;
  /** The run's event stream (SSE) after event `after` (-1: from the start). */
  events(runId: string, after: number, signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
  /** The thread's checkpoints, newest first, every branch included. */
  history(threadId: string): Promise<ThreadCheckpoint[]>;
  /** Writes values as if `asNode` had returned them, on top of `checkpointId`: a new branch. */
  /** The new checkpoint, and the nodes the thread waits before there. */
  fork(threadId: string, values: Record<string, unknown>, asNode: string, checkpointId: string): Promise<{ checkpointId: string; next: readonly string[] }>;
  /** Where the flow's debug runs pause; undefined for a flow the server does not have yet. */
  breakpoints(flowId: string): Promise<Breakpoints | undefined>;
  saveBreakpoints(flowId: string, breakpoints: Breakpoints): Promise<void>;
}

export function createServerRunApi(client: ApiClient): RunApi {
  const { runs, threads, flows } = client.api;
  return {
    async start(flowId, input, options = {}) {
      const breakpoints = options.breakpoints && { before: [...options.breakpoints.before], after: [...options.breakpoints.after] };
      const response = await flows[':id'].runs.$post({ param: { id: flowId }, json: { input, ...(options.version === undefined ? {} : { version: options.version }), ...(breakpoints ? { breakpoints } : {}), ...(options.step ? { step: true } : {}) } });
      if (response.status !== 202) throw await apiErrorOf(response);
      return response.json();
    },
    async cancel(runId) {
      const response = await runs[':id'].cancel.$post({ param: { id: runId } });
      // A run that ended before the request arrived has nothing left to cancel.
      if (response.status !== 202 && response.status !== 409) throw await apiErrorOf(response);
    },
    async resume(threadId, { breakpoints, ...options }) {
      const json = { ...options, ...(breakpoints ? { breakpoints: { before: [...breakpoints.before], after: [...breakpoints.after] } } : {}) };
      const response = await threads[':id'].resume.$post({ param: { id: threadId }, json });
      if (response.status !== 202) throw await apiErrorOf(response);
      return response.json();
    },
    async replay(runId, { draft = false, checkpointId }) {
      const response = await runs[':id'].replay.$post({ param: { id: runId }, json: { draft, ...(checkpointId === undefined ? {} : { checkpointId }) } });
      if (response.status !== 202) throw await apiErrorOf(response);
      return response.json();
    },
    async status(runId) {
      const response = await runs[':id'].$get({ param: { id: runId } });
      if (response.status !== 200) throw await apiErrorOf(response);
      return (await response.json()).status;
    },
    async events(runId, after, signal) {
      const headers: Record<string, string> = after < 0 ? {} : { 'Last-Event-ID': String(after) };
      const response = await runs[':id'].events.$get({ param: { id: runId } }, { headers, init: { signal } });
      if (response.status !== 200 || !response.body) throw await apiErrorOf(response);
      return response.body;
    },
    async history(threadId) {
      const response = await threads[':id'].history.$get({ param: { id: threadId }, query: {} });
      if (response.status !== 200) throw await apiErrorOf(response);
      return (await response.json()).items as ThreadCheckpoint[];
    },
    async fork(threadId, values, asNode, checkpointId) {
      const response = await threads[':id'].state.$post({ param: { id: threadId }, json: { values, asNode, checkpointId } });
      if (response.status !== 200) throw await apiErrorOf(response);
      return response.json();
    },
    async breakpoints(flowId) {
      const response = await flows[':id'].debug.$get({ param: { id: flowId } });
      if (response.status === 404) return undefined;
      if (response.status !== 200) throw await apiErrorOf(response);
      return (await response.json()).breakpoints;
    },
    async saveBreakpoints(flowId, { before, after }) {
      const response = await flows[':id'].debug.$put({ param: { id: flowId }, json: { breakpoints: { before: [...before], after: [...after] } } });
      if (response.status !== 200) throw await apiErrorOf(response);
    },
  };
}

export const runApiKey: InjectionKey<RunApi> = Symbol('RunApi');

export function useRunApi(): RunApi {
  const api = inject(runApiKey);
  if (!api) throw new Error('No run API was provided to this app (app.provide(runApiKey, ...)).');
  return api;
}
