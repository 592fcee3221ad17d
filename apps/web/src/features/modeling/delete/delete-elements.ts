// Deleting, with what must go along so that nothing is left pointing at a missing element: a
// container's contents at any depth, an activity's boundary events, every edge touching a
// deleted node. A surviving node that points at a deleted element loses that setting: an
// `agent.map`'s `node`, so its form asks for a new one and validation names the gap; a note's
// `annotates`, so the note stays and only its association goes, as in bpmn-js.
import type { FlowDocument, FlowNode } from '@loomflow/graph-schema';
import { allowed, defineModelingCommand, refuse, type ModelingCommand, type DocumentEdit } from '../modeling-command';
import { boundaryEventsByHost, descendantsOf, type ModelingContext } from '../modeling-rules';

export interface ElementIds {
  readonly nodeIds: readonly string[];
  readonly edgeIds: readonly string[];
}

/** The nodes that go when `nodeIds` are deleted: them, their contents and their boundary events. */
export function cascadeOf(context: ModelingContext, flow: FlowDocument, nodeIds: Iterable<string>): Set<string> {
  const boundaryEvents = boundaryEventsByHost(context.registry, flow);
  const doomed = new Set(nodeIds);
  for (let size = -1; size !== doomed.size; ) {
    size = doomed.size;
    for (const id of descendantsOf(flow, doomed)) doomed.add(id);
    for (const id of [...doomed]) for (const event of boundaryEvents.get(id) ?? []) doomed.add(event.id);
  }
  return doomed;
}

/** A copy of the node's config without the references to deleted elements it holds, if it holds any. */
function configWithout(context: ModelingContext, node: FlowNode, doomed: ReadonlySet<string>): Record<string, unknown> | undefined {
  const nodeType = context.registry.get(node.type);
  const parsed = nodeType?.configSchema.safeParse(node.config);
  if (!nodeType || !parsed?.success) return undefined;
  const stale = nodeType.references(parsed.data).filter((reference) => reference.kind === 'node' && reference.link !== 'attachedTo' && doomed.has(reference.nodeId));
  if (stale.length === 0) return undefined;
  const config = structuredClone(node.config);
  for (const { path } of stale) {
    const owner = path.slice(0, -1).reduce<unknown>((value, key) => (value as Record<string | number, unknown> | undefined)?.[key], config);
    const key = path.at(-1);
    if (owner && typeof owner === 'object' && key !== undefined) Reflect.deleteProperty(owner, key);
  }
  return config;
}

function deleteCascade(context: ModelingContext, edit: DocumentEdit, { nodeIds, edgeIds }: ElementIds): void {
  const { flow } = edit;
  const doomed = cascadeOf(context, flow, nodeIds);
  const doomedEdges = new Set(edgeIds);
  for (const edge of flow.edges) if (doomed.has(edge.source) || doomed.has(edge.target)) doomedEdges.add(edge.id);
  // Ids are unique across nodes and edges, so one set serves references to either.
  const doomedElements = new Set([...doomed, ...doomedEdges]);
  for (const node of flow.nodes) {
    if (doomed.has(node.id)) continue;
    const config = configWithout(context, node, doomedElements);
    if (config) edit.updateNode(node.id, { config });
  }
  for (const edge of [...flow.edges]) if (doomedEdges.has(edge.id)) edit.removeEdge(edge.id);
  for (const node of [...flow.nodes]) if (doomed.has(node.id)) edit.removeNode(node.id);
}

/** `elements.delete`: the given nodes and edges, with their cascade, as one step. */
export function deleteElements(context: ModelingContext, elements: ElementIds): ModelingCommand {
  return defineModelingCommand(
    'elements.delete',
    (flow) => {
      if (elements.nodeIds.length === 0 && elements.edgeIds.length === 0) return refuse({ code: 'nothing-to-do' });
      const nodeIds = new Set(flow.nodes.map((node) => node.id));
      const edgeIds = new Set(flow.edges.map((edge) => edge.id));
      if (!elements.nodeIds.every((id) => nodeIds.has(id)) || !elements.edgeIds.every((id) => edgeIds.has(id))) return refuse({ code: 'missing-element' });
      return allowed;
    },
    (edit) => deleteCascade(context, edit, elements),
  );
}
