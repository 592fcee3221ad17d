// What a reference field may name, for its picker: the stored flows, the nodes of the open flow,
// the knowledge bases and MCP servers the server holds. Loaded once per picker; a missing API (a
// test that mounts without one) leaves only what the document itself holds.
import type { FieldReference, FlowDocument, NodeTypeRegistry } from '@loomflow/graph-schema';
import { inject } from 'vue';
import { flowApiKey } from '../../api/flow-api';
import { settingsApiKey } from '../settings/settings-api';

export interface Choice {
  readonly value: string;
  readonly label: string;
}

/** The nodes a node's reference may point at: a boundary event's host is an activity; else any node of the flow but itself and artifacts. */
export function nodeChoices(document: FlowDocument, registry: NodeTypeRegistry, fromNodeId: string | undefined): Choice[] {
  const from = document.nodes.find((node) => node.id === fromNodeId);
  const fromRole = from ? registry.get(from.type)?.role : undefined;
  return document.nodes
    .filter((node) => node.id !== fromNodeId)
    .filter((node) => {
      const type = registry.get(node.type);
      if (!type) return false;
      if (fromRole === 'boundary') return type.traits.catchesEvents === true;
      return fromRole === 'artifact' || type.role !== 'artifact';
    })
    .map((node) => ({ value: node.id, label: node.name ? `${node.name} (${node.id})` : node.id }));
}

export function useRemoteChoices() {
  const flows = inject(flowApiKey, undefined);
  const settings = inject(settingsApiKey, undefined);

  /** The choices the server holds for a reference, or undefined when this app has no API for them. */
  async function load(refersTo: Exclude<FieldReference, 'node'>, currentFlowId: string): Promise<Choice[] | undefined> {
    switch (refersTo) {
      case 'flow': {
        if (!flows) return undefined;
        const { items } = await flows.list({ limit: 200 });
        // A flow calling itself would recurse without end.
        return items.filter((flow) => flow.id !== currentFlowId).map((flow) => ({ value: flow.id, label: `${flow.name} (${flow.id})` }));
      }
      case 'knowledgeBase':
        return settings ? (await settings.listKnowledgeBases()).map((base) => ({ value: base.id, label: `${base.name} (${base.id})` })) : undefined;
      case 'mcpServer':
        return settings ? (await settings.listMcpServers()).map((server) => ({ value: server.name, label: server.name })) : undefined;
    }
  }

  return { load };
}
