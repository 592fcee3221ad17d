// The only place the web app loads and saves flows: the server's /api/flows routes through the
// typed client. Drafts are saved even with validation issues; publishing needs an error-free flow.
import type { FlowDocument, ValidationIssue } from '@loomflow/graph-schema';
import { inject, type InjectionKey } from 'vue';
import { apiErrorOf, type ApiClient } from './api-client';

export interface StoredFlow {
  readonly flow: FlowDocument;
  readonly revision: number;
  readonly updatedAt: number;
  readonly issues: readonly ValidationIssue[];
}

export interface FlowSummary {
  readonly id: string;
  readonly name: string;
  readonly kind: 'agent' | 'bpmn';
  readonly revision: number;
  readonly updatedAt: number;
}

export interface VersionSummary {
  readonly version: number;
  readonly message: string;
  readonly revision: number;
  readonly createdAt: number;
}

/** A save either lands, or finds that someone saved since `revision` (optimistic concurrency). */
export type SaveOutcome = { readonly status: 'saved'; readonly revision: number } | { readonly status: 'conflict'; readonly currentRevision: number };

export interface FlowApi {
  list(query?: { q?: string; limit?: number; offset?: number }): Promise<{ items: FlowSummary[]; total: number }>;
  /** The stored flow, or undefined when no flow has that id. */
  load(id: string): Promise<StoredFlow | undefined>;
  /** Stores a new flow (revision 1); a flow with that id must not exist. */
  create(flow: FlowDocument): Promise<{ revision: number }>;
  /** Stores the flow over `revision`, unless someone else saved after it. */
  save(flow: FlowDocument, revision: number): Promise<SaveOutcome>;
  remove(id: string): Promise<void>;
  duplicate(id: string): Promise<{ id: string }>;
  publish(id: string, message: string): Promise<{ version: number }>;
  listVersions(id: string): Promise<VersionSummary[]>;
  /** Makes a published version the draft again; answers the draft's new revision. */
  restoreVersion(id: string, version: number): Promise<{ revision: number }>;
  /** The flow written as a standalone LangGraph.js project, as a zip (the server runs the generator: it needs Node). */
  exportCode(flow: FlowDocument): Promise<Blob>;
}

export function createServerFlowApi(client: ApiClient): FlowApi {
  const flows = client.api.flows;
  return {
    async list(query = {}) {
      const response = await flows.$get({
        query: {
          ...(query.q ? { q: query.q } : {}),
          ...(query.limit === undefined ? {} : { limit: String(query.limit) }),
          ...(query.offset === undefined ? {} : { offset: String(query.offset) }),
        },
      });
      if (response.status !== 200) throw await apiErrorOf(response);
      return response.json();
    },
    async load(id) {
      const response = await flows[':id'].$get({ param: { id } });
      if (response.status === 404) return undefined;
      if (response.status !== 200) throw await apiErrorOf(response);
      return response.json();
    },
    async create(flow) {
      const response = await flows.$post({ json: flow });
      if (response.status !== 201) throw await apiErrorOf(response);
      return { revision: (await response.json()).revision };
    },
    async save(flow, revision) {
      const response = await flows[':id'].$put({ param: { id: flow.id }, json: { flow, revision } });
      if (response.status === 200) return { status: 'saved', revision: (await response.json()).revision };
      const error = await apiErrorOf(response);
      if (error.code === 'stale_revision') {
        const { current } = error.details as { current: number };
        return { status: 'conflict', currentRevision: current };
      }
      throw error;
    },
    async remove(id) {
      const response = await flows[':id'].$delete({ param: { id } });
      if (response.status !== 204) throw await apiErrorOf(response);
    },
    async duplicate(id) {
      const response = await flows[':id'].duplicate.$post({ param: { id }, json: {} });
      if (response.status !== 201) throw await apiErrorOf(response);
      return { id: (await response.json()).id };
    },
    async publish(id, message) {
      const response = await flows[':id'].versions.$post({ param: { id }, json: { message } });
      if (response.status !== 201) throw await apiErrorOf(response);
      return { version: (await response.json()).version };
    },
    async listVersions(id) {
      const response = await flows[':id'].versions.$get({ param: { id } });
      if (response.status !== 200) throw await apiErrorOf(response);
      return (await response.json()).items;
    },
    async restoreVersion(id, version) {
      const response = await flows[':id'].versions[':version'].restore.$post({ param: { id, version: String(version) } });
      if (response.status !== 200) throw await apiErrorOf(response);
      return { revision: (await response.json()).revision };
    },
    async exportCode(flow) {
      const response = await flows.codegen.$post({ json: flow });
      if (response.status !== 200) throw await apiErrorOf(response);
      return response.blob();
    },
  };
}

export const flowApiKey: InjectionKey<FlowApi> = Symbol('FlowApi');

export function useFlowApi(): FlowApi {
  const api = inject(flowApiKey);
  if (!api) throw new Error('No flow API was provided to this app (app.provide(flowApiKey, ...)).');
  return api;
}
