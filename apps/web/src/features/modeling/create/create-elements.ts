// Creating nodes (a palette drop, a paste): `elements.create` adds nodes made by the node factory
// and the edges among them. Where a dropped node belongs is decided here too, by the same rules a
// move uses: an event dropped on an activity's outline attaches to it, anything else goes into
// the innermost container under its centre.
import type { FlowDocument, FlowEdge, FlowNode } from '@loomflow/graph-schema';
import { attachedShape, canBecomeBoundary } from '../attach/attach-shape';
import { allowed, defineModelingCommand, refuse, type ModelingCommand, type Verdict } from '../modeling-command';
import { attachmentAt, containerAt, hostOf, isActivityType, isLaneType, isOnOutline, mayContain, nodeMap, type ModelingContext } from '../modeling-rules';

/**
 * The nodes with the places they were dropped at turned into document facts: each node whose
 * container is not among them gets the container under its centre as `parent`; a single event
 * dropped on an activity's outline becomes its boundary event, drawn on the outline.
 */
export function placeDropped(context: ModelingContext, flow: FlowDocument, nodes: readonly FlowNode[]): FlowNode[] {
  const created = new Set(nodes.map((node) => node.id));
  const [only] = nodes;
  if (nodes.length === 1 && only && canBecomeBoundary(context.registry, flow, only)) {
    const attachment = attachmentAt(context, flow, only.position, created);
    const shape = attachment && attachedShape(context.registry, flow.kind, only, attachment.host.id);
    if (attachment && shape) {
      const { parent: _dropped, ...rest } = only;
      return [{ ...rest, ...shape, position: attachment.position, ...(attachment.host.parent === undefined ? {} : { parent: attachment.host.parent }) }];
    }
  }
  return nodes.map((node) => {
    if (node.parent !== undefined && created.has(node.parent)) return node;
    const nodeType = context.registry.get(node.type);
    const { parent: _previous, ...rest } = node;
    const container = nodeType && containerAt(context, flow, node.position, nodeType, created);
    return container ? { ...rest, parent: container.id } : rest;
  });
}

/** The rule of `elements.create`: known types of the flow's kind, free ids, valid places. */
function canCreate(context: ModelingContext, flow: FlowDocument, nodes: readonly FlowNode[], edges: readonly FlowEdge[]): Verdict {
  if (nodes.length === 0) return refuse({ code: 'nothing-to-do' });
  const taken = new Set([...flow.nodes.map((node) => node.id), ...flow.edges.map((edge) => edge.id)]);
  for (const element of [...nodes, ...edges]) {
    if (taken.has(element.id)) return refuse({ code: 'id-taken' });
    taken.add(element.id);
  }
  const byId = nodeMap({ ...flow, nodes: [...flow.nodes, ...nodes] });
  for (const node of nodes) {
    const nodeType = context.registry.get(node.type);
    if (!nodeType) return refuse({ code: 'unknown-type' });
    if (nodeType.kind !== flow.kind) return refuse({ code: 'wrong-kind' });
    const parent = node.parent === undefined ? undefined : byId.get(node.parent);
    if (node.parent !== undefined && !parent) return refuse({ code: 'missing-element' });
    if (isLaneType(nodeType) && !parent) return refuse({ code: 'lane-outside-pool' });
    if (parent && !mayContain(context.registry, parent, nodeType)) return refuse({ code: isLaneType(nodeType) ? 'lane-outside-pool' : 'invalid-host' });
    if (nodeType.role === 'boundary') {
      const hostId = hostOf(context.registry, node);
      const host = hostId === undefined ? undefined : byId.get(hostId);
      if (!host || !isActivityType(context.registry.get(host.type)) || !isOnOutline(context, host, node.position)) return refuse({ code: 'needs-host' });
    }
  }
  if (edges.some((edge) => !byId.has(edge.source) || !byId.has(edge.target))) return refuse({ code: 'missing-element' });
  return allowed;
}

/** `elements.create`: adds the nodes (made by `makeNode`, placed by `placeDropped`) and edges. */
export function createElements(context: ModelingContext, nodes: readonly FlowNode[], edges: readonly FlowEdge[] = []): ModelingCommand {
  return defineModelingCommand(
    'elements.create',
    (flow) => canCreate(context, flow, nodes, edges),
    (edit) => {
      for (const node of nodes) edit.addNode(node);
      for (const edge of edges) edit.addEdge(edge);
    },
  );
}
