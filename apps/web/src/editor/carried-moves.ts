// What moves with a dragged node, as in BPMN editors: a pool, lane or sub-process carries the
// nodes it contains (`parent`, at any depth), and an activity carries the boundary events
// attached to it (the registry's `attachedTo` references). One drag stays one node.move step.
import type { FlowDocument, FlowNode, NodeTypeRegistry } from '@loomflow/graph-schema';
import type { NodeMove } from '../stores/flow-commands';

/** The moves plus a move by the same distance for everything the moved nodes carry. */
export function withCarriedNodes(flow: FlowDocument, registry: NodeTypeRegistry, moves: readonly NodeMove[]): NodeMove[] {
  if (moves.length === 0) return [];
  const carried = new Map<string, FlowNode[]>();
  const carry = (carrierId: string, node: FlowNode) => {
    const list = carried.get(carrierId);
    if (list) list.push(node);
    else carried.set(carrierId, [node]);
  };
  for (const node of flow.nodes) {
    if (node.parent !== undefined) carry(node.parent, node);
    // Only boundary nodes attach to a host: parsing every other config on each drop of a large
    // drawing would cost a schema parse per node for nothing.
    const nodeType = registry.get(node.type);
    if (nodeType?.role !== 'boundary') continue;
    const parsed = nodeType.configSchema.safeParse(node.config);
    if (!parsed.success) continue;
    for (const reference of nodeType.references(parsed.data)) {
      if (reference.kind === 'node' && reference.link === 'attachedTo') carry(reference.nodeId, node);
    }
  }
  const byId = new Map(flow.nodes.map((node) => [node.id, node]));
  const result = [...moves];
  // Nodes the person moved themselves keep where they were dropped.
  const placed = new Set(moves.map((move) => move.nodeId));
  for (const move of moves) {
    const moved = byId.get(move.nodeId);
    if (!moved) continue;
    const dx = move.to.x - moved.position.x;
    const dy = move.to.y - moved.position.y;
    const pending = [...(carried.get(move.nodeId) ?? [])];
    for (let node = pending.pop(); node; node = pending.pop()) {
      if (placed.has(node.id)) continue;
      placed.add(node.id);
      result.push({ nodeId: node.id, to: { x: node.position.x + dx, y: node.position.y + dy } });
      pending.push(...(carried.get(node.id) ?? []));
    }
  }
  return result;
}
