// Copy and paste of a selection. The clipboard lives in an app-wide store, not in a flow's store,
// so that what is copied in one flow can be pasted into another.
import type { FlowDocument, FlowEdge, FlowNode } from '@loomflow/graph-schema';
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { freshId, idPrefixOf, usedIds } from './element-ids';

export interface ClipboardContent {
  readonly nodes: readonly FlowNode[];
  /** Only the edges between copied nodes: an edge with a missing end cannot be pasted. */
  readonly edges: readonly FlowEdge[];
}

/** How far each paste lands from the previous one, so that pasted copies do not hide each other. */
export const PASTE_OFFSET = 40;

export function copyElements(flow: FlowDocument, nodeIds: Iterable<string>): ClipboardContent {
  const copied = new Set(nodeIds);
  return structuredClone({
    nodes: flow.nodes.filter((node) => copied.has(node.id)),
    edges: flow.edges.filter((edge) => copied.has(edge.source) && copied.has(edge.target)),
  });
}

/** The content with ids that are free in `flow`, shifted by `offset`, ready for `elements.paste`. */
export function prepareForPaste(content: ClipboardContent, flow: FlowDocument, offset: number): ClipboardContent {
  const taken = usedIds(flow);
  const newIds = new Map(content.nodes.map((node) => [node.id, freshId(idPrefixOf(node.type), taken)]));
  const newIdOf = (id: string) => {
    const newId = newIds.get(id);
    if (newId === undefined) throw new Error(`clipboard content refers to "${id}", which it does not contain`);
    return newId;
  };
  const present = new Set(flow.nodes.map((node) => node.id));
  const nodes = content.nodes.map((node) => {
    const copy = structuredClone(node);
    copy.id = newIdOf(node.id);
    copy.position = { x: node.position.x + offset, y: node.position.y + offset };
    // A container that was not copied along may not exist in the other flow.
    if (copy.parent !== undefined) {
      const parent = newIds.get(copy.parent) ?? (present.has(copy.parent) ? copy.parent : undefined);
      if (parent) copy.parent = parent;
      else delete copy.parent;
    }
    return copy;
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

  function copy(flow: FlowDocument, nodeIds: Iterable<string>): void {
    const copied = copyElements(flow, nodeIds);
    if (copied.nodes.length === 0) return;
    content.value = copied;
    pastes = 0;
  }

  function takeForPaste(flow: FlowDocument): ClipboardContent | undefined {
    if (!content.value) return undefined;
    pastes += 1;
    return prepareForPaste(content.value, flow, pastes * PASTE_OFFSET);
  }

  return { content, copy, takeForPaste };
});
