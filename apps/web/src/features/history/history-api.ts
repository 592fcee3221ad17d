// The server's run routes a run's history reads, through the typed client: the runs of a flow or
// of a thread, one run's summary, and the document it ran. Errors arrive as ApiError.
import type { FlowDocument } from '@loomflow/graph-schema';
import { inject, type InjectionKey } from 'vue';
import { apiErrorOf, type ApiClient } from '../../api/api-client';

/** A run as `GET /api/runs` lists it; the server's answer must fit this, or the type check fails. */
export interface RunSummary {
  readonly id: string;
  readonly flowId: string;
  /** The published version it ran; null: the draft as saved when it started. */
  readonly version: number | null;
  readonly threadId: string;
  readonly status: 'queued' | 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled' | 'interrupted';
  readonly trigger: 'start' | 'resume' | 'continue' | 'replay';
  /** The stored JSON of a failed run's error: read it with runErrorOf. */
  readonly error: unknown;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

export interface RunPage {
  readonly items: readonly RunSummary[];
  readonly total: number;
}

export interface RunDocument {
  readonly flow: FlowDocument;
  readonly version: number | null;
}

export interface HistoryApi {
  /** The runs of a flow or of a thread, newest first. */
  listRuns(query: { readonly flowId?: string; readonly threadId?: string; readonly limit: number; readonly offset: number }): Promise<RunPage>;
  run(runId: string): Promise<RunSummary>;
  /** The flow document the run ran. */
  runDocument(runId: string): Promise<RunDocument>;
}

export function createServerHistoryApi(client: ApiClient): HistoryApi {
  const { runs } = client.api;
  return {
    async listRuns({ flowId, threadId, limit, offset }) {
      const response = await runs.$get({
        query: { ...(flowId === undefined ? {} : { flowId }), ...(threadId === undefined ? {} : { threadId }), limit: String(limit), offset: String(offset) },
      });
      if (response.status !== 200) throw await apiErrorOf(response);
      return response.json();
    },
    async run(runId) {
      const response = await runs[':id'].$get({ param: { id: runId } });
      if (response.status !== 200) throw await apiErrorOf(response);
      return response.json();
    },
    async runDocument(runId) {
      const response = await runs[':id'].document.$get({ param: { id: runId } });
      if (response.status !== 200) throw await apiErrorOf(response);
      const { flow, version } = await response.json();
      return { flow, version };
    },
  };
}

export const historyApiKey: InjectionKey<HistoryApi> = Symbol('HistoryApi');

export function useHistoryApi(): HistoryApi {
  const api = inject(historyApiKey);
  if (!api) throw new Error('No history API was provided to this app (app.provide(historyApiKey, ...)).');
  return api;
}
