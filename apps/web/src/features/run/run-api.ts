// The server's run routes, through the typed client (so its Authorization header and its 401
// prompt apply here too): start a run of the saved draft, follow its events, cancel it, answer a
// human step. Errors arrive as ApiError with the server's code.
import { inject, type InjectionKey } from 'vue';
import { apiErrorOf, type ApiClient } from '../../api/api-client';

export interface RunApi {
  /** Starts the flow's saved draft with this input. */
  start(flowId: string, input: Record<string, unknown>): Promise<{ runId: string; threadId: string }>;
  cancel(runId: string): Promise<void>;
  /** Answers the thread's waiting step; a new run of the thread continues it. */
  resume(threadId: string, interruptId: string, value: unknown): Promise<{ runId: string }>;
  /** The run's status as stored (`running`, `waiting`, `completed`…). */
  status(runId: string): Promise<string>;
  /** The run's event stream (SSE) after event `after` (-1: from the start). */
  events(runId: string, after: number, signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
}

export function createServerRunApi(client: ApiClient): RunApi {
  const { runs, threads, flows } = client.api;
  return {
    async start(flowId, input) {
      const response = await flows[':id'].runs.$post({ param: { id: flowId }, json: { input } });
      if (response.status !== 202) throw await apiErrorOf(response);
      return response.json();
    },
    async cancel(runId) {
      const response = await runs[':id'].cancel.$post({ param: { id: runId } });
      // A run that ended before the request arrived has nothing left to cancel.
      if (response.status !== 202 && response.status !== 409) throw await apiErrorOf(response);
    },
    async resume(threadId, interruptId, value) {
      const response = await threads[':id'].resume.$post({ param: { id: threadId }, json: { interruptId, value } });
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
  };
}

export const runApiKey: InjectionKey<RunApi> = Symbol('RunApi');

export function useRunApi(): RunApi {
  const api = inject(runApiKey);
  if (!api) throw new Error('No run API was provided to this app (app.provide(runApiKey, ...)).');
  return api;
}
