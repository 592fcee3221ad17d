// Moving nodes, with the behaviours of a BPMN editor: a pool, lane or sub-process carries what it
// contains (at any depth), an activity its boundary events; a node dropped into a container
// becomes its content (`parent`), dragged out of every container it is top level again; a
// boundary event moved along its activity's outline stays attached, one dropped elsewhere
// detaches (attach-shape.ts). An edge whose two ends move by the same distance keeps its route,
// shifted with them; one with a single end moved loses its bend points, which went around the old
// places, and is routed anew by the canvas. One drag is one `elements.move` step.
import type { FlowDocument, FlowNode, Point } from '@loomflow/graph-schema';
import { attachShape, canBecomeBoundary, detachedShape, type EventShape } from '../attach/attach-shape';
import { allowed, defineModelingCommand, refuse, type ModelingCommand, type Refusal } from '../modeling-command';
import {
  attachmentAt,
  boundaryEventsByHost,
  containerAt,
  descendantsOf,
  hostOf,
  isLaneType,
  isOnOutline,
  isPoolType,
  nodeMap,
  snapToOutline,
  type ModelingContext,
} from '../modeling-rules';

export interface NodeMove {
  readonly nodeId: string;
  readonly to: Point;
}

interface PlannedMove {
  readonly nodeId: string;
  readonly to: Point;
  /** The node's container after the move; `undefined` is the top level. */
  readonly parent: string | undefined;
  /** A boundary event dropped off its activity turns into another event. */
  readonly shape?: EventShape;
}

/**
 * What a move does to every node it touches, or why it may not happen. Nodes the person moved
 * themselves keep where they were dropped; what they carry moves by the same distance.
 */
function planMove(context: ModelingContext, flow: FlowDocument, moves: readonly NodeMove[]): PlannedMove[] | Refusal {
  const { registry } = context;
  const byId = nodeMap(flow);
  if (moves.length === 0) return { code: 'nothing-to-do' };
  if (moves.some((move) => !byId.has(move.nodeId))) return { code: 'missing-element' };
  const boundaryEvents = boundaryEventsByHost(registry, flow);
  const children = new Map<string, FlowNode[]>();
  for (const node of flow.nodes) {
    if (node.parent === undefined) continue;
    const list = children.get(node.parent);
    if (list) list.push(node);
    else children.set(node.parent, [node]);
  }
  const carriedBy = (id: string) => [...(children.get(id) ?? []), ...(boundaryEvents.get(id) ?? [])];

  const moved = new Set(moves.map((move) => move.nodeId));
  const inside = descendantsOf(flow, moved);
  const plans = new Map<string, PlannedMove>();
  // What the moved nodes carry, and where: a carried node keeps its container (it moves with it).
  const placed = new Set(moved);
  const carried: PlannedMove[] = [];
  for (const move of moves) {
    const node = byId.get(move.nodeId) as FlowNode;
    const dx = move.to.x - node.position.x;
    const dy = move.to.y - node.position.y;
    const pending = carriedBy(node.id);
    for (let next = pending.pop(); next; next = pending.pop()) {
      if (placed.has(next.id)) continue;
      placed.add(next.id);
      carried.push({ nodeId: next.id, to: { x: next.position.x + dx, y: next.position.y + dy }, parent: next.parent });
      pending.push(...carriedBy(next.id));
    }
  }
  // Nothing can be dropped into what is being moved.
  const excluded = new Set([...placed, ...inside]);
  const movedEvents: NodeMove[] = [];
  for (const move of moves) {
    const node = byId.get(move.nodeId) as FlowNode;
    const nodeType = registry.get(node.type);
    if (hostOf(registry, node) !== undefined) movedEvents.push(move);
    else if (inside.has(node.id) || !nodeType) plans.set(node.id, { ...move, parent: node.parent });
    else {
      const container = isPoolType(nodeType) ? undefined : containerAt(context, flow, move.to, nodeType, excluded);
      if (isLaneType(nodeType) && !container) return { code: 'lane-outside-pool' };
      plans.set(node.id, { ...move, parent: container?.id });
    }
  }
  // Boundary events go wherever their activity goes, whether they were moved or carried.
  const parentOf = (id: string) => (plans.has(id) ? plans.get(id)?.parent : byId.get(id)?.parent);
  for (const plan of carried) {
    const hostId = hostOf(registry, byId.get(plan.nodeId) as FlowNode);
    plans.set(plan.nodeId, hostId === undefined ? plan : { ...plan, parent: parentOf(hostId) });
  }
  for (const move of movedEvents) {
    const node = byId.get(move.nodeId) as FlowNode;
    const host = byId.get(hostOf(registry, node) as string);
    if (!host || placed.has(host.id)) {
      plans.set(node.id, { ...move, parent: host ? parentOf(host.id) : node.parent });
    } else if (isOnOutline(context, host, move.to)) {
      plans.set(node.id, { nodeId: node.id, to: snapToOutline(context, host, move.to), parent: host.parent });
    } else {
      const shape = detachedShape(registry, flow.kind, node);
      const catchType = shape && registry.get(shape.type);
      if (!shape || !catchType) return { code: 'stays-attached' };
      plans.set(node.id, { ...move, parent: containerAt(context, flow, move.to, catchType, excluded)?.id, shape });
    }
  }
  return [...plans.values()];
}

/** `elements.move`: moves nodes (a dragged selection moves as one step) with their behaviours. */
export function moveElements(context: ModelingContext, moves: readonly NodeMove[]): ModelingCommand {
  return defineModelingCommand(
    'elements.move',
    (flow) => {
      const plan = planMove(context, flow, moves);
      return Array.isArray(plan) ? allowed : refuse(plan);
    },
    (edit) => {
      const plan = planMove(context, edit.flow, moves);
      if (!Array.isArray(plan)) throw new Error(`elements.move refused: ${plan.code}`);
      const shifts = new Map<string, Point>();
      for (const { nodeId, to, parent, shape } of plan) {
        const node = edit.node(nodeId);
        shifts.set(nodeId, { x: to.x - node.position.x, y: to.y - node.position.y });
        edit.updateNode(nodeId, { position: { ...to }, ...(parent === node.parent ? {} : { parent }), ...(shape ?? {}) });
      }
      for (const edge of edit.flow.edges) {
        const source = shifts.get(edge.source);
        const target = shifts.get(edge.target);
        if (!edge.waypoints || (!source && !target)) continue;
        const together = source && target && source.x === target.x && source.y === target.y;
        edit.setWaypoints(edge.id, together ? edge.waypoints.map(({ x, y }) => ({ x: x + source.x, y: y + source.y })) : undefined);
      }
    },
  );
}

/**
 * The command for nodes dropped after a drag: a single event dropped on an activity's outline
 * attaches to it (`shape.attach`), anything else moves (`elements.move`).
 */
export function commandForDrop(context: ModelingContext, flow: FlowDocument, moves: readonly NodeMove[]): ModelingCommand {
  const [only] = moves;
  const node = only && moves.length === 1 ? nodeMap(flow).get(only.nodeId) : undefined;
  if (only && node && canBecomeBoundary(context.registry, flow, node)) {
    const attachment = attachmentAt(context, flow, only.to, new Set([node.id]));
    if (attachment) return attachShape(context, node.id, attachment.host.id, only.to);
  }
  return moveElements(context, moves);
}
