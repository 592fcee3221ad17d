// Copy and paste of a selection. The clipboard lives in an app-wide store, not in a flow's store,
// so that what is copied in one flow can be pasted into another. Pasted nodes are made by the
// modeling layer's node factory and placed by its rules (`useModeling().paste`).
import type { FlowDocument, FlowEdge, FlowNode, NodeTypeRegistry } from '@loomflow/graph-schema';
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { freshId, usedIds } from '../features/modeling/element-ids';
import { hostOf, type ModelingContext } from '../features/modeling/modeling-rules';
import { makeNode } from '../features/modeling/node-factory';

export interface ClipboardContent {
  readonly nodes: readonly FlowNode[];
  /** Only the edges between copied nodes: an edge with a missing end cannot be pasted. */
  readonly edges: readonly FlowEdge[];
}

/** How far each paste lands from the previous one, so that pasted copies do not hide each other. */
export const PASTE_OFFSET = 40;

/**
 * The selected nodes and the edges between them. A boundary event copied without its activity is
 * left out: a copy of it would have nothing to sit on.
 */
export function copyElements(flow: FlowDocument, nodeIds: Iterable<string>, registry: NodeTypeRegistry): ClipboardContent {
  const selected = new Set(nodeIds);
  const copied = new Set(
    [...selected].filter((id) => {
      const node = flow.nodes.find((candidate) => candidate.id === id);
      const host = node && hostOf(registry, node);
      return node && (host === undefined || selected.has(host));
    }),
  );
  return structuredClone({
    nodes: flow.nodes.filter((node) => copied.has(node.id)),
    edges: flow.edges.filter((edge) => copied.has(edge.source) && copied.has(edge.target)),
  });
}

/** Points the node references of a copied config (a boundary event's activity, a map's node) at the copies. */
function withCopiedReferences(context: ModelingContext, node: FlowNode, newIds: ReadonlyMap<string, string>): Record<string, unknown> {
  const config = structuredClone(node.config);
  const nodeType = context.registry.get(node.type);
  const parsed = nodeType?.configSchema.safeParse(node.config);
  if (!nodeType || !parsed?.success) return config;
  for (const reference of nodeType.references(parsed.data)) {
    const newId = reference.kind === 'node' ? newIds.get(reference.nodeId) : undefined;
    const key = reference.path.at(-1);
    const owner = reference.path.slice(0, -1).reduce<unknown>((value, step) => (value as Record<string | number, unknown> | undefined)?.[step], config);
    if (newId !== undefined && key !== undefined && owner && typeof owner === 'object') (owner as Record<string | number, unknown>)[key] = newId;
  }
  return config;
}

/** The content as new nodes and edges for `flow`: fresh ids, links among the copies kept, shifted by `offset`. */
export function prepareForPaste(content: ClipboardContent, flow: FlowDocument, offset: number, context: ModelingContext): ClipboardContent {
  const taken = usedIds(flow);
  const nodes = content.nodes.map((node) =>
    makeNode(context, taken, {
      type: node.type,
      position: { x: node.position.x + offset, y: node.position.y + offset },
      ...(node.name === undefined ? {} : { name: node.name }),
      config: node.config,
      ...(node.typeVersion === undefined ? {} : { typeVersion: node.typeVersion }),
      ...(node.size ? { size: node.size } : {}),
    }),
  );
  const newIds = new Map(content.nodes.map((node, index) => [node.id, (nodes[index] as FlowNode).id]));
  const newIdOf = (id: string) => {
    const newId = newIds.get(id);
    if (newId === undefined) throw new Error(`clipboard content refers to "${id}", which it does not contain`);
    return newId;
  };
  content.nodes.forEach((original, index) => {
    const copy = nodes[index] as FlowNode;
    copy.config = withCopiedReferences(context, original, newIds);
    // A copy inside a copied container stays inside it; the others are placed where they land.
    const parent = original.parent === undefined ? undefined : newIds.get(original.parent);
    if (parent !== undefined) copy.parent = parent;
  });
  const edges = content.edges.map((edge) => ({
    ...structuredClone(edge),
    id: freshId('flow', taken),
    source: newIdOf(edge.source),
    target: newIdOf(edge.target),
    ...(edge.waypoints ? { waypoints: edge.waypoints.map(({ x, y }) => ({ x: x + offset, y: y + offset })) } : {}),
  }));
  return { nodes, edges };
}

export const useClipboardStore = defineStore('clipboard', () => {
  const content = shallowRef<ClipboardContent | undefined>();
  /** Pastes since the last copy: the n-th paste is offset n steps. */
  let pastes = 0;

  function copy(flow: FlowDocument, nodeIds: Iterable<string>, registry: NodeTypeRegistry): void {
    const copied = copyElements(flow, nodeIds, registry);
    if (copied.nodes.length === 0) return;
    content.value = copied;
    pastes = 0;
  }

  function takeForPaste(flow: FlowDocument, context: ModelingContext): ClipboardContent | undefined {
    if (!content.value) return undefined;
    pastes += 1;
    return prepareForPaste(content.value, flow, pastes * PASTE_OFFSET, context);
  }

  return { content, copy, takeForPaste };
});
