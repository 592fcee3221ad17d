// Fresh element ids for new and pasted nodes and edges. They are valid XML NCNames
// (docs/flow-document.md § Ids: ids double as BPMN ids) and unique within the flow they are made
// for.
import type { FlowDocument } from '@loomflow/graph-schema';

export function usedIds(flow: FlowDocument): Set<string> {
  return new Set([...flow.nodes.map((node) => node.id), ...flow.edges.map((edge) => edge.id)]);
}

/** `prefix_1`, `prefix_2`…: short and readable in exported BPMN and in validation messages. */
export function freshId(prefix: string, taken: Set<string>): string {
  const base = prefix.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^(?![A-Za-z_])/, '_');
  for (let counter = 1; ; counter++) {
    const candidate = `${base}_${counter}`;
    if (!taken.has(candidate)) {
      taken.add(candidate);
      return candidate;
    }
  }
}

/** The id prefix of a node type: its last segment (`agent.llm` → `llm`). */
export function idPrefixOf(nodeType: string): string {
  return nodeType.split('.').at(-1) ?? 'node';
}
