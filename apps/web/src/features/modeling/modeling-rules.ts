// What the modeling commands ask of a document before they change it, as diagram-js's rules do:
// which container a node dropped at a point belongs to, which activity outline an event lands on,
// what a container holds and which boundary events an activity carries. Pure functions of the
// document, the registry and the drawn sizes.
import type { FlowDocument, FlowNode, NodeType, NodeTypeRegistry, Point, Size } from '@loomflow/graph-schema';

/** What every modeling rule and command needs besides the document. */
export interface ModelingContext {
  readonly registry: NodeTypeRegistry;
  /** The size a node is drawn at: its own, or its view's default (the canvas's `canvasNodeSize`). */
  readonly sizeOf: (node: FlowNode) => Size;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * How close to an activity's outline a dropped event's centre must be to attach to it. bpmn-js
 * uses about this much; it also covers LogicFlow's 20 px grid snapping the drop by up to 10 px.
 */
export const ATTACH_DISTANCE = 15;

/** A node's box; `position` is its centre, as on the canvas. */
export function boundsOf(context: ModelingContext, node: FlowNode): Rect {
  const { width, height } = context.sizeOf(node);
  return { x: node.position.x - width / 2, y: node.position.y - height / 2, width, height };
}

function contains(rect: Rect, { x, y }: Point): boolean {
  return x >= rect.x && x <= rect.x + rect.width && y >= rect.y && y <= rect.y + rect.height;
}

export const isPoolType = (nodeType: NodeType | undefined): boolean => nodeType?.container === 'scope' && nodeType.role === 'artifact';
export const isLaneType = (nodeType: NodeType | undefined): boolean => nodeType?.container === 'partition';
/** Boundary events attach to activities only (graph-schema's `invalid-boundary-host` rule). */
export const isActivityType = (nodeType: NodeType | undefined): boolean => nodeType?.category === 'activities';

/** Whether a node may hold others where it is now: a collapsed sub-process shows no content. */
function canContain(registry: NodeTypeRegistry, node: FlowNode): boolean {
  return registry.get(node.type)?.container !== undefined && node.config.isExpanded !== false;
}

/**
 * Whether a node of `child`'s type may sit in `container`: pools stand at the top level of a
 * collaboration, lanes partition a pool (or a lane), every other node goes into any container.
 */
export function mayContain(registry: NodeTypeRegistry, container: FlowNode, child: NodeType): boolean {
  if (!canContain(registry, container) || isPoolType(child)) return false;
  if (isLaneType(child)) {
    const containerType = registry.get(container.type);
    return isPoolType(containerType) || isLaneType(containerType);
  }
  return true;
}

export function nodeMap(flow: FlowDocument): Map<string, FlowNode> {
  return new Map(flow.nodes.map((node) => [node.id, node]));
}

/** Every node inside the given ones through `parent`, at any depth (the given ones excluded). */
export function descendantsOf(flow: FlowDocument, nodeIds: Iterable<string>): Set<string> {
  const children = new Map<string, string[]>();
  for (const node of flow.nodes) {
    if (node.parent === undefined) continue;
    const list = children.get(node.parent);
    if (list) list.push(node.id);
    else children.set(node.parent, [node.id]);
  }
  const found = new Set<string>();
  const pending = [...nodeIds];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    for (const child of children.get(id) ?? []) {
      if (found.has(child)) continue;
      found.add(child);
      pending.push(child);
    }
  }
  return found;
}

/**
 * The activity a boundary event is attached to, read through its type's references (`attachedTo`
 * links) as the validator does. Only boundary types are parsed: parsing every config of a large
 * drawing on each drop would cost a schema parse per node for nothing.
 */
export function hostOf(registry: NodeTypeRegistry, node: FlowNode): string | undefined {
  const nodeType = registry.get(node.type);
  if (nodeType?.role !== 'boundary') return undefined;
  const parsed = nodeType.configSchema.safeParse(node.config);
  if (!parsed.success) return undefined;
  for (const reference of nodeType.references(parsed.data)) {
    if (reference.kind === 'node' && reference.link === 'attachedTo') return reference.nodeId;
  }
  return undefined;
}

/** The boundary events of each activity, by the activity's id. */
export function boundaryEventsByHost(registry: NodeTypeRegistry, flow: FlowDocument): Map<string, FlowNode[]> {
  const byHost = new Map<string, FlowNode[]>();
  for (const node of flow.nodes) {
    const host = hostOf(registry, node);
    if (host === undefined) continue;
    const list = byHost.get(host);
    if (list) list.push(node);
    else byHost.set(host, [node]);
  }
  return byHost;
}

function depthOf(byId: ReadonlyMap<string, FlowNode>, node: FlowNode): number {
  let depth = 0;
  const seen = new Set<string>();
  for (let parent = node.parent; parent !== undefined && !seen.has(parent); parent = byId.get(parent)?.parent) {
    seen.add(parent);
    depth += 1;
  }
  return depth;
}

/**
 * The container a node of type `child` dropped with its centre at `point` belongs to: the
 * innermost pool, lane or expanded sub-process whose box holds the point and that may hold such a
 * node; none at the top level. `excluded` are nodes that cannot be the container (the dropped
 * nodes and what they contain).
 */
export function containerAt(context: ModelingContext, flow: FlowDocument, point: Point, child: NodeType, excluded: ReadonlySet<string>): FlowNode | undefined {
  const byId = nodeMap(flow);
  let best: { node: FlowNode; depth: number; area: number } | undefined;
  for (const node of flow.nodes) {
    if (excluded.has(node.id) || !mayContain(context.registry, node, child)) continue;
    const box = boundsOf(context, node);
    if (!contains(box, point)) continue;
    const candidate = { node, depth: depthOf(byId, node), area: box.width * box.height };
    if (!best || candidate.depth > best.depth || (candidate.depth === best.depth && candidate.area < best.area)) best = candidate;
  }
  return best?.node;
}

/** The point of the box's outline nearest to `point`, and how far that is. */
function nearestOnOutline(box: Rect, point: Point): { at: Point; distance: number } {
  const right = box.x + box.width;
  const bottom = box.y + box.height;
  if (!contains(box, point)) {
    const at = { x: Math.min(Math.max(point.x, box.x), right), y: Math.min(Math.max(point.y, box.y), bottom) };
    return { at, distance: Math.hypot(point.x - at.x, point.y - at.y) };
  }
  const sides = [
    { distance: point.x - box.x, at: { x: box.x, y: point.y } },
    { distance: right - point.x, at: { x: right, y: point.y } },
    { distance: point.y - box.y, at: { x: point.x, y: box.y } },
    { distance: bottom - point.y, at: { x: point.x, y: bottom } },
  ];
  return sides.reduce((best, side) => (side.distance < best.distance ? side : best));
}

export interface Attachment {
  readonly host: FlowNode;
  /** The dropped point moved onto the host's outline, where the event is drawn. */
  readonly position: Point;
}

/** The activity whose outline `point` lies on (within `ATTACH_DISTANCE`), nearest first. */
export function attachmentAt(context: ModelingContext, flow: FlowDocument, point: Point, excluded: ReadonlySet<string>): Attachment | undefined {
  let best: (Attachment & { distance: number }) | undefined;
  for (const node of flow.nodes) {
    if (excluded.has(node.id) || !isActivityType(context.registry.get(node.type))) continue;
    const { at, distance } = nearestOnOutline(boundsOf(context, node), point);
    if (distance <= ATTACH_DISTANCE && (!best || distance < best.distance)) best = { host: node, position: at, distance };
  }
  return best && { host: best.host, position: best.position };
}

/** Whether `point` lies on the outline of `host`. */
export function isOnOutline(context: ModelingContext, host: FlowNode, point: Point): boolean {
  return nearestOnOutline(boundsOf(context, host), point).distance <= ATTACH_DISTANCE;
}

export function snapToOutline(context: ModelingContext, host: FlowNode, point: Point): Point {
  return nearestOnOutline(boundsOf(context, host), point).at;
}
