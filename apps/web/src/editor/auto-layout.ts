// Auto-layout of a flow with ELK's layered algorithm (Sugiyama), left to right, for a messy or an
// imported drawing. Each scope (the flow itself, every pool and sub-process) is laid out on its
// own, innermost first, so that a laid-out sub-process is a box of known size in its parent: BPMN
// sequence flows never cross a scope's border (validateFlow's `edge-crosses-scope`), so nothing
// is lost by laying the scopes out apart. Lanes are not scopes: their nodes are laid out with the
// whole pool, so that a step in one lane follows its predecessor in another, and then each lane
// is given its own horizontal band. Boundary events are left to ELK's host and follow it.
//
// ELK also routes the edges around the nodes (orthogonally, with room for their labels); those
// routes become the edges' waypoints, for an edge between two members of one scope, from and to
// the nodes themselves (not a boundary event standing in for its activity, not a sub-process's
// content). Every other edge touching a moved node loses its stale waypoints, as before. In a pool
// with lanes, stacking the lanes moves nodes up or down after ELK; only vertically, and a layer's
// column and the channels between the columns stay where ELK put them. So a route keeps its
// vertical segments' x (ELK's slots in the channels), its first and last horizontal runs move
// with their node, and a run across the columns between moves to the nearest height no node
// blocks (see `restackRoute`).
import { outputPortsOf, resolvePort, type FlowDocument, type FlowNode, type NodeType, type NodeTypeRegistry, type Point, type Size } from '@loomflow/graph-schema';
import type { ElkExtendedEdge, ElkNode, ElkPort, LayoutOptions } from 'elkjs/lib/elk-api';
import type { EdgeRoute, NodePlacement } from '../stores/flow-commands';
import { canvasNodeSize } from './logicflow-graph';

/** What auto-layout needs of ELK: an in-page instance in tests, one in a Web Worker in the app. */
export interface LayoutEngine {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/** Room between two steps, and between two rows of the same step; the examples' rhythm. */
const LAYER_GAP = 70;
const NODE_GAP = 40;
/** Inner margin of a container, and the title band on the left of pools and lanes. */
const PADDING = 20;
/** Names below events and gateways are wider than their shapes; a container keeps them inside. */
const LABEL_OVERHANG = 30;
const TITLE_BAND = 30;
/** A sub-process shows its name at the top. */
const TOP_TITLE = 30;
const MIN_LANE_HEIGHT = 120;
/** The ELK graph of the flow's top level; ":" cannot occur in element ids, so it is no node's. */
const ROOT_ID = ':flow';
/** An edge label's box as ELK reserves it, estimated from its text (the canvas's 12 px font). */
const LABEL_CHAR_WIDTH = 7;
const LABEL_HEIGHT = 18;
/** Closer than this (px) to the centre line of a shape, a route's end counts as leaving from the centre. */
const ALIGNED = 0.5;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A node in the tree of containers, with what layout learns about it. */
interface TreeNode {
  readonly node: FlowNode;
  readonly nodeType: NodeType | undefined;
  readonly children: TreeNode[];
  /** Top-left and size relative to the scope it is laid out in, once laid out. */
  box: Box;
  /** The routes of the edges inside this scope, relative to its top-left, once laid out. */
  routes: EdgeRoute[];
}

export interface AutoLayout {
  readonly placements: NodePlacement[];
  /** Bend points for the edges ELK routed; the other edges touching a placed node lose theirs. */
  readonly routes: EdgeRoute[];
}

export async function computeAutoLayout(flow: FlowDocument, registry: NodeTypeRegistry, engine: LayoutEngine): Promise<AutoLayout> {
  if (flow.nodes.length === 0) return { placements: [], routes: [] };
  const layout = new FlowLayout(flow, registry, engine);
  return layout.run();
}

class FlowLayout {
  readonly #byId = new Map<string, TreeNode>();
  readonly #roots: TreeNode[] = [];
  /** Boundary event id → the id of the activity it sits on. */
  readonly #hosts = new Map<string, string>();
  /** The routes of the top level, relative to the laid-out drawing. */
  #rootRoutes: EdgeRoute[] = [];

  constructor(
    private readonly flow: FlowDocument,
    private readonly registry: NodeTypeRegistry,
    private readonly engine: LayoutEngine,
  ) {
    for (const node of flow.nodes) {
      const nodeType = registry.get(node.type);
      const size = canvasNodeSize(node, registry);
      this.#byId.set(node.id, { node, nodeType, children: [], box: { x: 0, y: 0, ...size }, routes: [] });
      const host = nodeType?.role === 'boundary' ? attachedHost(node, nodeType) : undefined;
      if (host !== undefined) this.#hosts.set(node.id, host);
    }
    for (const tree of this.#byId.values()) {
      const parent = this.#containerOf(tree.node);
      if (parent) parent.children.push(tree);
      else this.#roots.push(tree);
    }
  }

  async run(): Promise<AutoLayout> {
    const before = this.#bounds([...this.#byId.values()].map((tree) => ({ ...tree.box, ...topLeft(tree.node.position, tree.box) })));
    const root = await this.#layoutScope(this.#roots, undefined);
    // Stay where the drawing was, so that the view does not jump away from it.
    const offset = { x: before.x - root.x, y: before.y - root.y };
    const placements: NodePlacement[] = [];
    const routes = this.#rootRoutes.map((route) => translate(route, offset));
    for (const tree of this.#roots) this.#place(tree, offset, placements, routes);
    this.#placeBoundaryEvents(placements);
    return { placements, routes };
  }

  /** The container a node is drawn in, or undefined at the top level (also for a broken parent chain). */
  #containerOf(node: FlowNode): TreeNode | undefined {
    const parent = node.parent === undefined ? undefined : this.#byId.get(node.parent);
    if (!parent?.nodeType?.container) return undefined;
    // A node whose chain of parents leads back to itself has no top: it is treated as top-level.
    const visited = new Set<string>();
    for (let id = node.parent; id !== undefined && !visited.has(id); id = this.#byId.get(id)?.node.parent) {
      if (id === node.id) return undefined;
      visited.add(id);
    }
    return parent;
  }

  /**
   * Lays out what a scope holds and returns the bounds of its content. The members are the nodes
   * directly in it or in its lanes, at any depth of lanes; nested scopes are boxes, laid out first.
   */
  async #layoutScope(children: readonly TreeNode[], scope: TreeNode | undefined): Promise<Box> {
    const lanes = children.filter((child) => child.nodeType?.container === 'partition');
    const members = collectMembers(children).filter((member) => !this.#hosts.has(member.node.id));
    for (const member of members) {
      if (member.nodeType?.container === 'scope' && member.children.length > 0) {
        const content = await this.#layoutScope(member.children, member);
        member.box.width = content.width;
        member.box.height = content.height;
      }
    }
    const laneDepth = maxLaneDepth(lanes);
    const padding = {
      top: scope ? (scope.nodeType?.role === 'artifact' ? PADDING : TOP_TITLE) : 0,
      left: scope ? (scope.nodeType?.role === 'artifact' ? TITLE_BAND : 0) + laneDepth * TITLE_BAND + LABEL_OVERHANG : laneDepth * TITLE_BAND,
      bottom: scope ? PADDING : 0,
      right: scope ? LABEL_OVERHANG : 0,
    };
    // A pool of empty lanes has nothing to lay out and keeps its width.
    const graph: ElkNode =
      members.length === 0
        ? { id: scope?.node.id ?? ROOT_ID, width: scope?.box.width ?? 0, height: scope?.box.height ?? 0 }
        : await this.engine.layout({
            id: scope?.node.id ?? ROOT_ID,
            layoutOptions: layeredOptions(padding),
            children: members.map((member) => this.#elkNode(member)),
            edges: this.#elkEdges(new Set(members.map((member) => member.node.id))),
          });
    for (const laid of graph.children ?? []) {
      const member = this.#byId.get(laid.id);
      if (member) Object.assign(member.box, { x: laid.x ?? 0, y: laid.y ?? 0 });
    }
    const content: Box = { x: 0, y: 0, width: graph.width ?? 0, height: graph.height ?? 0 };
    let paths = this.#pathsOf(graph);
    if (lanes.length > 0) {
      const elkTops = new Map(members.map((member) => [member.node.id, member.box.y]));
      const titleLeft = scope?.nodeType?.role === 'artifact' ? TITLE_BAND : 0;
      content.height = stackLanes(lanes, children, { left: titleLeft, top: 0, right: content.width });
      const shiftOf = (tree: TreeNode) => tree.box.y - (elkTops.get(tree.node.id) ?? tree.box.y);
      const obstacles = members.map((member) => member.box);
      paths = paths.map((path) => ({ ...path, points: restackRoute(path.points, path.source.box, path.target.box, shiftOf(path.source), shiftOf(path.target), obstacles) }));
    }
    const routes = paths.map(({ edgeId, source, target, points }) => ({ edgeId, waypoints: bendsOf(points, source.box, target.box) }));
    if (scope) scope.routes = routes;
    else this.#rootRoutes = routes;
    if (!scope) {
      const laidOut = [...members, ...lanes];
      return this.#bounds(laidOut.map((tree) => tree.box));
    }
    return content;
  }

  #elkNode(member: TreeNode): ElkNode {
    const { node, nodeType, box } = member;
    const ports = nodeType ? portsOf(node, nodeType) : [];
    return {
      id: node.id,
      width: box.width,
      height: box.height,
      ...(ports.length > 0 ? { ports, layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' } } : {}),
    };
  }

  /**
   * The edges of one scope: each end is taken to the member of this scope that holds it (a
   * boundary event counts as its activity); edges of other scopes and loops onto one member go.
   */
  #elkEdges(memberIds: ReadonlySet<string>): ElkExtendedEdge[] {
    const edges: ElkExtendedEdge[] = [];
    for (const edge of this.flow.edges) {
      const source = this.#memberHolding(edge.source, memberIds);
      const target = this.#memberHolding(edge.target, memberIds);
      if (source === undefined || target === undefined || source === target) continue;
      // A port only where the edge really starts or ends at that member, not at something inside it.
      const sourcePort = source === edge.source ? this.#portId(edge.source, 'out', edge.sourcePort) : undefined;
      const targetPort = target === edge.target ? this.#portId(edge.target, 'in', edge.targetPort) : undefined;
      // The label's box, so that ELK leaves it room between the layers instead of on a node.
      const labels = edge.label ? [{ text: edge.label, width: edge.label.length * LABEL_CHAR_WIDTH, height: LABEL_HEIGHT }] : [];
      edges.push({ id: edge.id, sources: [sourcePort ?? source], targets: [targetPort ?? target], labels });
    }
    return edges;
  }

  /** The whole paths (ends and bends, relative to the scope) of the edges ELK drew from node to node. */
  #pathsOf(graph: ElkNode): RoutedPath[] {
    const paths: RoutedPath[] = [];
    const edgeById = new Map(this.flow.edges.map((edge) => [edge.id, edge]));
    for (const laid of graph.edges ?? []) {
      const edge = edgeById.get(laid.id);
      const section = laid.sections?.[0];
      const source = edge && this.#byId.get(edge.source);
      const target = edge && this.#byId.get(edge.target);
      if (!edge || !section || laid.sections?.length !== 1 || !source || !target) continue;
      if (this.#hosts.has(edge.source) || this.#hosts.has(edge.target) || !graph.children?.some((child) => child.id === edge.source)) continue;
      if (!graph.children.some((child) => child.id === edge.target)) continue;
      const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map(({ x, y }) => ({ x, y }));
      paths.push({ edgeId: edge.id, source, target, points });
    }
    return paths;
  }

  #memberHolding(nodeId: string, memberIds: ReadonlySet<string>): string | undefined {
    const visited = new Set<string>();
    let id: string | undefined = this.#hosts.get(nodeId) ?? nodeId;
    while (id !== undefined && !visited.has(id)) {
      if (memberIds.has(id)) return id;
      visited.add(id);
      const tree = this.#byId.get(id);
      id = tree && this.#containerOf(tree.node)?.node.id;
    }
    return undefined;
  }

  /** The ELK port an edge end uses: the one graph-schema's port rule resolves it to. */
  #portId(nodeId: string, side: 'in' | 'out', portName: string | undefined): string | undefined {
    const tree = this.#byId.get(nodeId);
    if (!tree?.nodeType) return undefined;
    const ports = side === 'in' ? tree.nodeType.inputs : outputPortsOf(tree.nodeType, tree.node);
    const port = resolvePort(ports, side === 'in' ? 'target' : 'source', portName);
    return port && elkPortId(nodeId, side, port.id);
  }

  /** Turns scope-relative boxes into document positions (centres), containers with their new size. */
  #place(tree: TreeNode, origin: Point, placements: NodePlacement[], routes: EdgeRoute[]): void {
    const { node, nodeType, box } = tree;
    if (this.#hosts.has(node.id)) return;
    const x = origin.x + box.x;
    const y = origin.y + box.y;
    const isContainer = nodeType?.container !== undefined && (tree.children.length > 0 || nodeType.container === 'partition');
    placements.push({
      nodeId: node.id,
      position: { x: x + box.width / 2, y: y + box.height / 2 },
      ...(isContainer ? { size: { width: box.width, height: box.height } } : {}),
    });
    // Lanes share their pool's frame; a scope's content is relative to the scope.
    const childOrigin = nodeType?.container === 'partition' ? origin : { x, y };
    for (const route of tree.routes) routes.push(translate(route, childOrigin));
    for (const child of tree.children) this.#place(child, childOrigin, placements, routes);
  }

  /** A boundary event keeps its place on its activity's border, relative to the activity's size. */
  #placeBoundaryEvents(placements: NodePlacement[]): void {
    const placed = new Map(placements.map((placement) => [placement.nodeId, placement]));
    for (const [eventId, hostId] of this.#hosts) {
      const event = this.#byId.get(eventId);
      const host = this.#byId.get(hostId);
      const hostPlacement = placed.get(hostId);
      if (!event || !host || !hostPlacement) continue;
      const oldHostSize = canvasNodeSize(host.node, this.registry);
      const newHostSize = hostPlacement.size ?? oldHostSize;
      const relative = {
        x: (event.node.position.x - host.node.position.x) / oldHostSize.width,
        y: (event.node.position.y - host.node.position.y) / oldHostSize.height,
      };
      placements.push({
        nodeId: eventId,
        position: { x: hostPlacement.position.x + relative.x * newHostSize.width, y: hostPlacement.position.y + relative.y * newHostSize.height },
      });
    }
  }

  #bounds(boxes: readonly Box[]): Box {
    if (boxes.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
    const left = Math.min(...boxes.map((box) => box.x));
    const top = Math.min(...boxes.map((box) => box.y));
    const right = Math.max(...boxes.map((box) => box.x + box.width));
    const bottom = Math.max(...boxes.map((box) => box.y + box.height));
    return { x: left, y: top, width: right - left, height: bottom - top };
  }
}

/** An edge's path as ELK drew it, between two members of the scope it was laid out in. */
interface RoutedPath {
  readonly edgeId: string;
  readonly source: TreeNode;
  readonly target: TreeNode;
  readonly points: readonly Point[];
}

/**
 * The waypoints of a path: its bends, and its ends where they are off the shape's centre lines (a
 * port below the middle) — the canvas and the BPMN export start an edge where the line from the
 * centre to its first bend leaves the shape, so an end on a centre line needs no point of its own.
 */
function bendsOf(points: readonly Point[], source: Box, target: Box): Point[] {
  const start = points[0];
  const end = points[points.length - 1];
  if (!start || !end || points.length < 2) return [];
  return [...(offCentre(start, source) ? [start] : []), ...points.slice(1, -1), ...(offCentre(end, target) ? [end] : [])];
}

/** Room a re-routed horizontal run keeps from the shapes it passes. */
const ROUTE_CLEARANCE = 10;

/**
 * Moves an orthogonal ELK path to the places stacking lanes gave its ends: `sourceShift` and
 * `targetShift` are how far each end's node moved down. The run leaving the source and the run
 * entering the target move with their node; the vertical segments keep their x (ELK put them in
 * the node-free channels between columns) and only change length; a horizontal run between them
 * goes to the free height nearest where it was. A straight path whose ends moved apart gets a
 * jog in the channels beside its ends. `source` and `target` are the nodes' boxes after stacking.
 */
function restackRoute(points: readonly Point[], source: Box, target: Box, sourceShift: number, targetShift: number, obstacles: readonly Box[]): Point[] {
  const moved = points.map((point) => ({ ...point }));
  const first = moved[0];
  const last = moved[moved.length - 1];
  if (!first || !last || moved.length < 2) return moved;
  // The runs at each end: the points from the end on that stay at its height.
  let headEnd = 0;
  while (headEnd + 1 < moved.length && moved[headEnd + 1]?.y === first.y) headEnd += 1;
  let tailStart = moved.length - 1;
  while (tailStart - 1 >= 0 && moved[tailStart - 1]?.y === last.y) tailStart -= 1;
  if (headEnd >= tailStart) {
    // One straight run: both ends on one line, which now holds only if both moved alike.
    for (const point of moved) point.y += sourceShift;
    if (sourceShift === targetShift) return moved;
    return jog(first, { x: last.x, y: last.y + targetShift - sourceShift }, source, target, obstacles);
  }
  for (let index = 0; index <= headEnd; index += 1) (moved[index] as Point).y += sourceShift;
  for (let index = tailStart; index < moved.length; index += 1) (moved[index] as Point).y += targetShift;
  // The runs between: pairs of points at one height, each moved to the nearest free height.
  for (let index = headEnd + 1; index < tailStart; index += 1) {
    const a = moved[index] as Point;
    const b = moved[index + 1];
    if (!b || index + 1 >= tailStart || b.y !== a.y) continue;
    const y = freeHeight(Math.min(a.x, b.x), Math.max(a.x, b.x), a.y + sourceShift, obstacles);
    a.y = y;
    b.y = y;
    index += 1;
  }
  return simplify(moved);
}

/** A path from `start` (on the source's right) to `end` (on the target's left) with vertical legs in the channels beside each. */
function jog(start: Point, end: Point, source: Box, target: Box, obstacles: readonly Box[]): Point[] {
  const others = obstacles.filter((box) => box !== source && box !== target).map((box) => grow(box, ROUTE_CLEARANCE));
  // The channel right of the source's column and the one left of the target's.
  const columnRight = Math.max(source.x + source.width, ...others.filter((box) => box.x < source.x + source.width && box.x + box.width > source.x).map((box) => box.x + box.width));
  const nextLeft = Math.min(target.x, ...others.filter((box) => box.x >= columnRight).map((box) => box.x));
  const columnLeft = Math.min(target.x, ...others.filter((box) => box.x < target.x + target.width && box.x + box.width > target.x).map((box) => box.x));
  const previousRight = Math.max(source.x + source.width, ...others.filter((box) => box.x + box.width <= columnLeft).map((box) => box.x + box.width));
  const out = (columnRight + nextLeft) / 2;
  const into = (previousRight + columnLeft) / 2;
  const y = freeHeight(out, into, end.y, obstacles.filter((box) => box !== source && box !== target));
  return simplify([start, { x: out, y: start.y }, { x: out, y }, { x: into, y }, { x: into, y: end.y }, end]);
}

/** The height nearest `preferred` at which a horizontal line from `left` to `right` passes no obstacle. */
function freeHeight(left: number, right: number, preferred: number, obstacles: readonly Box[]): number {
  const inTheWay = obstacles.map((box) => grow(box, ROUTE_CLEARANCE)).filter((box) => box.x < right && box.x + box.width > left);
  const blocked = (y: number) => inTheWay.some((box) => box.y < y && box.y + box.height > y);
  const candidates = [preferred, ...inTheWay.flatMap((box) => [box.y, box.y + box.height])];
  const free = candidates.filter((y) => !blocked(y));
  return free.reduce((best, y) => (Math.abs(y - preferred) < Math.abs(best - preferred) ? y : best), free[0] ?? preferred);
}

function grow(box: Box, by: number): Box {
  return { x: box.x - by, y: box.y - by, width: box.width + 2 * by, height: box.height + 2 * by };
}

/** Drops repeated points and the middle one of three on a line, which are no bends. */
function simplify(points: readonly Point[]): Point[] {
  const kept: Point[] = [];
  for (const point of points) {
    const previous = kept[kept.length - 1];
    if (previous && previous.x === point.x && previous.y === point.y) continue;
    const before = kept[kept.length - 2];
    if (before && previous && ((before.x === previous.x && previous.x === point.x) || (before.y === previous.y && previous.y === point.y))) kept.pop();
    kept.push(point);
  }
  return kept;
}

function translate(route: EdgeRoute, by: Point): EdgeRoute {
  return { edgeId: route.edgeId, waypoints: route.waypoints.map(({ x, y }) => ({ x: x + by.x, y: y + by.y })) };
}

/** Whether a route's end is on neither centre line of the box it leaves (both in scope coordinates). */
function offCentre(point: Point, box: Box): boolean {
  return Math.abs(point.x - (box.x + box.width / 2)) > ALIGNED && Math.abs(point.y - (box.y + box.height / 2)) > ALIGNED;
}

function topLeft(centre: Point, size: Size): Point {
  return { x: centre.x - size.width / 2, y: centre.y - size.height / 2 };
}

function layeredOptions(padding: { top: number; left: number; bottom: number; right: number }): LayoutOptions {
  return {
    'elk.algorithm': 'layered',
    'elk.direction': 'RIGHT',
    'elk.edgeRouting': 'ORTHOGONAL',
    'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_GAP),
    'elk.spacing.nodeNode': String(NODE_GAP),
    'elk.spacing.componentComponent': String(LAYER_GAP),
    // Not `considerModelOrder`: it made a 2,000-node layout take minutes instead of seconds.
    'elk.padding': `[top=${padding.top},left=${padding.left},bottom=${padding.bottom},right=${padding.right}]`,
  };
}

/** A boundary event's activity, from its config's `attachedTo` reference. */
function attachedHost(node: FlowNode, nodeType: NodeType): string | undefined {
  const config = nodeType.configSchema.safeParse(node.config);
  if (!config.success) return undefined;
  const reference = nodeType.references(config.data).find((candidate) => candidate.kind === 'node' && candidate.link === 'attachedTo');
  return reference?.kind === 'node' ? reference.nodeId : undefined;
}

function elkPortId(nodeId: string, side: 'in' | 'out', portId: string): string {
  // ":" cannot occur in element ids, so port ids never collide with node ids.
  return `${nodeId}:${side}:${portId}`;
}

/**
 * Inputs on the left, outputs on the right, each in the registry's order from the top (a router's
 * intents, a request's `error` after `out`). ELK numbers fixed-order ports clockwise from the top
 * left, so the left side counts upwards.
 */
function portsOf(node: FlowNode, nodeType: NodeType): ElkPort[] {
  const outputs = outputPortsOf(nodeType, node);
  const inputs = nodeType.inputs;
  return [
    ...outputs.map((port, index) => ({
      id: elkPortId(node.id, 'out', port.id),
      width: 0,
      height: 0,
      layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(index) },
    })),
    ...inputs.map((port, index) => ({
      id: elkPortId(node.id, 'in', port.id),
      width: 0,
      height: 0,
      layoutOptions: { 'elk.port.side': 'WEST', 'elk.port.index': String(outputs.length + inputs.length - 1 - index) },
    })),
  ];
}

/** The nodes laid out together in a scope: its children and, through lanes, their children. */
function collectMembers(children: readonly TreeNode[]): TreeNode[] {
  return children.flatMap((child) => (child.nodeType?.container === 'partition' ? collectMembers(child.children) : [child]));
}

function maxLaneDepth(lanes: readonly TreeNode[]): number {
  if (lanes.length === 0) return 0;
  return 1 + Math.max(...lanes.map((lane) => maxLaneDepth(lane.children.filter((child) => child.nodeType?.container === 'partition'))));
}

/**
 * Gives each lane a horizontal band, in the lanes' former top-to-bottom order, and moves its nodes
 * into it: a lane keeps the vertical order of its nodes and the rows ELK gave them, with the empty
 * rows that belonged to other lanes taken out. Returns the height of all bands together.
 */
function stackLanes(lanes: readonly TreeNode[], siblings: readonly TreeNode[], frame: { left: number; top: number; right: number }): number {
  let cursor = frame.top;
  const loose = siblings.filter((sibling) => sibling.nodeType?.container !== 'partition');
  // Nodes beside the lanes rather than in one (unusual) get a band of their own above them.
  if (loose.length > 0) cursor = compactRows(loose, cursor + PADDING) + PADDING;
  const ordered = [...lanes].sort((a, b) => a.node.position.y - b.node.position.y);
  for (const lane of ordered) {
    const top = cursor;
    const sublanes = lane.children.filter((child) => child.nodeType?.container === 'partition');
    const own = lane.children.filter((child) => child.nodeType?.container !== 'partition');
    let bottom: number;
    if (sublanes.length > 0) {
      bottom = stackLanes(sublanes, own, { left: frame.left + TITLE_BAND, top, right: frame.right }) + top;
    } else {
      bottom = own.length > 0 ? compactRows(own, top + PADDING) + PADDING : top;
    }
    const height = Math.max(bottom - top, MIN_LANE_HEIGHT);
    lane.box = { x: frame.left, y: top, width: frame.right - frame.left, height };
    cursor = top + height;
  }
  return cursor - frame.top;
}

/**
 * Moves nodes up to `top`, keeping nodes whose rows overlap together and closing the gaps between
 * the others down to the usual spacing. Returns the bottom of the last row.
 */
function compactRows(nodes: readonly TreeNode[], top: number): number {
  const sorted = [...nodes].sort((a, b) => a.box.y - b.box.y);
  let cursor = top;
  let index = 0;
  while (index < sorted.length) {
    const first = sorted[index];
    if (!first) break;
    const group = [first];
    let groupBottom = first.box.y + first.box.height;
    for (index += 1; index < sorted.length; index += 1) {
      const next = sorted[index];
      if (!next || next.box.y >= groupBottom) break;
      group.push(next);
      groupBottom = Math.max(groupBottom, next.box.y + next.box.height);
    }
    const shift = cursor - first.box.y;
    for (const member of group) member.box.y += shift;
    cursor = groupBottom + shift + NODE_GAP;
  }
  return cursor - NODE_GAP;
}
