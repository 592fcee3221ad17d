// The only place the editor loads and saves flows. Until the server's flows API lands, flows are
// kept in this browser's localStorage; the server implementation will take the same interface
// (DESIGN.md §6: `GET/PUT /api/flows/:id` with an optimistic `revision`).
import { flowDocumentSchema, type FlowDocument } from '@loomflow/graph-schema';
import { inject, type InjectionKey } from 'vue';

export interface StoredFlow {
  readonly flow: FlowDocument;
  readonly revision: number;
  readonly updatedAt: string;
}

export interface FlowApi {
  /** The stored flow, or undefined when no flow has that id. */
  load(id: string): Promise<StoredFlow | undefined>;
  /** Stores the flow under its id and answers the new revision. */
  save(flow: FlowDocument): Promise<{ revision: number }>;
}

const KEY_PREFIX = 'loomflow.flow.';

export function createLocalFlowApi(storage: Storage): FlowApi {
  return {
    async load(id) {
      const saved = storage.getItem(KEY_PREFIX + id);
      if (saved === null) return undefined;
      const { flow, revision, updatedAt } = JSON.parse(saved) as { flow: unknown; revision: number; updatedAt: string };
      // Stored by an older or hand-edited build: parse, so that defaults are filled in.
      return { flow: flowDocumentSchema.parse(flow), revision, updatedAt };
    },
    async save(flow) {
      const previous = await this.load(flow.id).catch(() => undefined);
      const revision = (previous?.revision ?? 0) + 1;
      storage.setItem(KEY_PREFIX + flow.id, JSON.stringify({ flow, revision, updatedAt: new Date().toISOString() }));
      return { revision };
    },
  };
}

export const flowApiKey: InjectionKey<FlowApi> = Symbol('FlowApi');

export function useFlowApi(): FlowApi {
  const api = inject(flowApiKey);
  if (!api) throw new Error('No flow API was provided to this app (app.provide(flowApiKey, ...)).');
  return api;
}
