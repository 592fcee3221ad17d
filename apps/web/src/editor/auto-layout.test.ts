// Auto-layout with the real ELK (its in-page build; the app runs the same code in a Web Worker).
import { createDefaultRegistry, edgeWaypoints, flowDocumentSchema, type FlowDocument, type FlowEdge, type Point, type Size } from '@loomflow/graph-schema';
import ELK from 'elkjs/lib/elk.bundled.js';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import expenseApprovalJson from '../../../../examples/bpmn/expense-approval.json';
import incidentEscalationJson from '../../../../examples/bpmn/incident-escalation.json';
import httpWithFallbackJson from '../../../../examples/agent/http-with-fallback.json';
import supportRouterJson from '../../../../examples/agent/support-router.json';
import orderFulfilmentJson from '../../../../examples/bpmn/order-fulfilment.json';
import { layoutNodes, type NodePlacement } from '../stores/flow-commands';
import { useFlowDocumentStore } from '../stores/flow-document-store';
import { computeAutoLayout } from './auto-layout';
import { canvasNodeSize, canvasOutlineOf } from './logicflow-graph';

const registry = createDefaultRegistry();
const elk = new ELK({ algorithms: ['layered'] });

interface Rect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** Every node where the layout put it, with the size it is drawn at. */
function laidOut(flow: FlowDocument, placements: readonly NodePlacement[]): Map<string, Rect> {
  const byId = new Map(placements.map((placement) => [placement.nodeId, placement]));
  return new Map(
    flow.nodes.map((node) => {
      const placement = byId.get(node.id);
      const position: Point = placement?.position ?? node.position;
      const size: Size = placement?.size ?? canvasNodeSize(node, registry);
      return [node.id, { left: position.x - size.width / 2, top: position.y - size.height / 2, right: position.x + size.width / 2, bottom: position.y + size.height / 2 }];
    }),
  );
}

function rectOf(rects: ReadonlyMap<string, Rect>, id: string): Rect {
  const rect = rects.get(id);
  if (!rect) throw new Error(`no rect for ${id}`);
  return rect;
}

const overlaps = (a: Rect, b: Rect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const inside = (inner: Rect, outer: Rect) => inner.left >= outer.left && inner.right <= outer.right && inner.top >= outer.top && inner.bottom <= outer.bottom;
const centreY = (rect: Rect) => (rect.top + rect.bottom) / 2;

function messyChain(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'messy',
    name: 'Messy',
    kind: 'agent',
    state: { channels: [] },
    nodes: [
      { id: 'end', type: 'agent.end', position: { x: 0, y: 300 }, config: {} },
      { id: 'answer', type: 'agent.template', position: { x: 900, y: -40 }, config: {} },
      { id: 'start', type: 'agent.start', position: { x: 500, y: 500 }, config: {} },
      { id: 'draft', type: 'agent.template', position: { x: 40, y: 40 }, size: { width: 260, height: 120 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'draft' },
      { id: 'e2', source: 'draft', target: 'answer' },
      { id: 'e3', source: 'answer', target: 'end' },
    ],
  };
}

describe('computeAutoLayout', () => {
  it('lays a chain out left to right on one row, spaced by the shapes drawn sizes, where the drawing was', async () => {
    const flow = messyChain();
    const before = laidOut(flow, []);
    const { placements } = await computeAutoLayout(flow, registry, elk);
    expect(placements.map((placement) => placement.nodeId).sort()).toEqual(['answer', 'draft', 'end', 'start']);
    const rects = laidOut(flow, placements);
    const order = ['start', 'draft', 'answer', 'end'];
    for (const [index, id] of order.entries()) {
      const previous = order[index - 1];
      if (previous) expect(rectOf(rects, id).left, `${id} is right of ${previous}`).toBeGreaterThan(rectOf(rects, previous).right);
      expect(centreY(rectOf(rects, id)), `${id} is on the row`).toBeCloseTo(centreY(rectOf(rects, 'draft')), 5);
    }
    // Nodes keep their size: the larger one its own, the others their view's.
    expect(placements.every((placement) => placement.size === undefined)).toBe(true);
    expect(rectOf(rects, 'draft').right - rectOf(rects, 'draft').left).toBe(260);
    // The top-left corner of the drawing stays where it was.
    const corner = (all: ReadonlyMap<string, Rect>) => ({ left: Math.min(...[...all.values()].map((rect) => rect.left)), top: Math.min(...[...all.values()].map((rect) => rect.top)) });
    expect(corner(rects)).toEqual(corner(before));
  });

  it('orders the branches of a router by its ports, top to bottom', async () => {
    const flow = flowDocumentSchema.parse(supportRouterJson);
    const router = flow.nodes.find((node) => node.type === 'agent.router');
    const routerType = router && registry.get(router.type);
    if (!router || !routerType) throw new Error('the example has no router');
    const ports = routerType.outputPorts(routerType.configSchema.parse(router.config)).map((port) => port.id);
    const targets = ports.map((port) => flow.edges.find((edge) => edge.source === router.id && edge.sourcePort === port)?.target ?? port);
    expect(targets).toHaveLength(3);
    // Declared in another order than the ports', so that the test shows the ports decide.
    const { placements } = await computeAutoLayout({ ...flow, edges: [...flow.edges].reverse() }, registry, elk);
    const rects = laidOut(flow, placements);
    const ys = targets.map((target) => centreY(rectOf(rects, target)));
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect(new Set(ys).size).toBe(targets.length);
    for (const target of targets) expect(rectOf(rects, target).left).toBeGreaterThan(rectOf(rects, router.id).right);
  });

  it('keeps pools, lanes and their nodes nested, stacks the lanes in their order, and overlaps nothing', async () => {
    const flow = flowDocumentSchema.parse(expenseApprovalJson);
    const { placements } = await computeAutoLayout(flow, registry, elk);
    expect(placements).toHaveLength(flow.nodes.length);
    const rects = laidOut(flow, placements);
    const lanes = flow.nodes.filter((node) => node.type === 'bpmn.lane');
    const oldOrder = [...lanes].sort((a, b) => a.position.y - b.position.y).map((lane) => lane.id);
    const newOrder = [...lanes].sort((a, b) => rectOf(rects, a.id).top - rectOf(rects, b.id).top).map((lane) => lane.id);
    expect(newOrder).toEqual(oldOrder);
    for (const [index, laneId] of newOrder.entries()) {
      const lane = rectOf(rects, laneId);
      expect(inside(lane, rectOf(rects, 'pool')), `${laneId} is in the pool`).toBe(true);
      const next = newOrder[index + 1];
      if (next) expect(rectOf(rects, next).top, `${next} starts where ${laneId} ends`).toBeCloseTo(lane.bottom, 5);
    }
    const steps = flow.nodes.filter((node) => node.parent !== undefined && node.type !== 'bpmn.lane');
    for (const node of steps) expect(inside(rectOf(rects, node.id), rectOf(rects, node.parent ?? '')), `${node.id} is in ${node.parent}`).toBe(true);
    for (const a of steps) for (const b of steps) if (a.id < b.id) expect(overlaps(rectOf(rects, a.id), rectOf(rects, b.id)), `${a.id} / ${b.id}`).toBe(false);
    // Sequence flows run left to right (the example has no loop).
    for (const edge of flow.edges) expect(rectOf(rects, edge.target).left, edge.id).toBeGreaterThan(rectOf(rects, edge.source).left);
  });

  it('keeps a sub-process around its children and boundary events on their activity', async () => {
    const flow = flowDocumentSchema.parse(incidentEscalationJson);
    const { placements } = await computeAutoLayout(flow, registry, elk);
    const rects = laidOut(flow, placements);
    const resolve = placements.find((placement) => placement.nodeId === 'resolve');
    expect(resolve?.size, 'the sub-process is resized to its content').toBeDefined();
    for (const node of flow.nodes.filter((candidate) => candidate.parent === 'resolve')) {
      expect(inside(rectOf(rects, node.id), rectOf(rects, 'resolve')), `${node.id} is inside the sub-process`).toBe(true);
    }
    // On the border of their activity, where they were relative to it.
    for (const [eventId, hostId] of [
      ['triage-overdue', 'triage'],
      ['fix-failed', 'resolve'],
    ] as const) {
      const event = rectOf(rects, eventId);
      const host = rectOf(rects, hostId);
      expect(centreY(event), `${eventId} sits on the bottom edge of ${hostId}`).toBeCloseTo(host.bottom, 5);
      expect(event.left).toBeGreaterThan(host.left);
      expect(event.right).toBeLessThan(host.right);
    }
    const topLevel = flow.nodes.filter((node) => node.parent === undefined && node.type !== 'bpmn.boundaryEvent');
    for (const a of topLevel) for (const b of topLevel) if (a.id < b.id) expect(overlaps(rectOf(rects, a.id), rectOf(rects, b.id)), `${a.id} / ${b.id}`).toBe(false);
  });

  it('gives the same drawing when run twice', async () => {
    const flow = flowDocumentSchema.parse(supportRouterJson);
    expect(await computeAutoLayout(flow, registry, elk)).toEqual(await computeAutoLayout(flow, registry, elk));
  });

  it('places nothing in an empty flow', async () => {
    expect(await computeAutoLayout({ ...messyChain(), nodes: [], edges: [] }, registry, elk)).toEqual({ placements: [], routes: [] });
  });

  it('applied as nodes.layout, undo puts every node and waypoint back and redo lays it out again', async () => {
    setActivePinia(createPinia());
    const store = useFlowDocumentStore();
    const flow = flowDocumentSchema.parse(incidentEscalationJson);
    // A stale bend from an earlier drawing: the layout replaces it, undo brings it back.
    const firstEdge = flow.edges[0];
    if (!firstEdge) throw new Error('the example has edges');
    firstEdge.waypoints = [{ x: -500, y: -500 }];
    store.open(flow);
    const before = structuredClone(store.document);
    const { placements, routes } = await computeAutoLayout(store.document, registry, elk);
    store.execute(layoutNodes(placements, routes));
    const after = structuredClone(store.document);
    expect(after.nodes.some((node, index) => node.position.x !== before.nodes[index]?.position.x)).toBe(true);
    expect(after.edges.some((edge) => (edge.waypoints?.length ?? 0) > 0), 'the routes became waypoints').toBe(true);
    expect(after.edges[0]?.waypoints).not.toEqual([{ x: -500, y: -500 }]);
    store.undo();
    expect(store.document).toEqual(before);
    store.redo();
    expect(store.document).toEqual(after);
  });
});

/** The path the canvas draws for an edge: from the source's outline through the bends to the target's. */
function pathOf(flow: FlowDocument, edge: FlowEdge, rects: ReadonlyMap<string, Rect>): Point[] {
  const shape = (id: string) => {
    const node = flow.nodes.find((candidate) => candidate.id === id);
    const rect = rectOf(rects, id);
    if (!node) throw new Error(`no node ${id}`);
    return { bounds: { x: rect.left, y: rect.top, width: rect.right - rect.left, height: rect.bottom - rect.top }, outline: canvasOutlineOf(node, registry) };
  };
  return edgeWaypoints(shape(edge.source), shape(edge.target), edge.waypoints ?? []);
}

/** Whether the segment a–b passes through the inside of the rectangle (touching its border does not count). */
function segmentCrosses(a: Point, b: Point, rect: Rect): boolean {
  const inset = 1;
  const box = { left: rect.left + inset, top: rect.top + inset, right: rect.right - inset, bottom: rect.bottom - inset };
  // Liang–Barsky clipping: the part of the segment inside the box, if any.
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  for (const [p, q] of [
    [-dx, a.x - box.left],
    [dx, box.right - a.x],
    [-dy, a.y - box.top],
    [dy, box.bottom - a.y],
  ] as const) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
    }
  }
  return t0 < t1;
}

/** Whether a point lies on the rectangle's border (to the pixel). */
function onBorder(point: Point, rect: Rect): boolean {
  const within = point.x >= rect.left - 1 && point.x <= rect.right + 1 && point.y >= rect.top - 1 && point.y <= rect.bottom + 1;
  const onSide = [point.x - rect.left, rect.right - point.x, point.y - rect.top, rect.bottom - point.y].some((distance) => Math.abs(distance) <= 1);
  return within && onSide;
}

/** Where the canvas writes an edge's label: the middle of the path's longest segment (LogicFlow's rule). */
function labelBox(path: readonly Point[], label: string): Rect {
  let best: [Point, Point] = [path[0] as Point, path[1] as Point];
  for (let index = 1; index < path.length; index += 1) {
    const a = path[index - 1] as Point;
    const b = path[index] as Point;
    if (Math.hypot(b.x - a.x, b.y - a.y) > Math.hypot(best[1].x - best[0].x, best[1].y - best[0].y)) best = [a, b];
  }
  const x = (best[0].x + best[1].x) / 2;
  const y = (best[0].y + best[1].y) / 2;
  const width = label.length * 7;
  return { left: x - width / 2, right: x + width / 2, top: y - 9, bottom: y + 9 };
}

/** A pool of two lanes drawn in a heap: steps alternate between the lanes, and one edge skips two columns. */
function twoLanes(): FlowDocument {
  const step = (id: string, type: string, parent: string) => ({ id, type, parent, position: { x: 300, y: parent === 'lane-a' ? 100 : 260 }, config: {} });
  return flowDocumentSchema.parse({
    schemaVersion: 1,
    id: 'lanes',
    name: 'Lanes',
    kind: 'bpmn',
    state: { channels: [] },
    nodes: [
      { id: 'pool', type: 'bpmn.pool', position: { x: 400, y: 180 }, size: { width: 800, height: 320 }, config: {} },
      { id: 'lane-a', type: 'bpmn.lane', parent: 'pool', position: { x: 415, y: 100 }, size: { width: 770, height: 160 }, config: {} },
      { id: 'lane-b', type: 'bpmn.lane', parent: 'pool', position: { x: 415, y: 260 }, size: { width: 770, height: 160 }, config: {} },
      step('start', 'bpmn.startEvent', 'lane-a'),
      step('ask', 'bpmn.userTask', 'lane-b'),
      step('check', 'bpmn.userTask', 'lane-a'),
      step('fix', 'bpmn.userTask', 'lane-b'),
      step('done', 'bpmn.endEvent', 'lane-a'),
    ],
    edges: [
      { id: 'start-ask', source: 'start', target: 'ask' },
      { id: 'ask-check', source: 'ask', target: 'check' },
      { id: 'check-fix', source: 'check', target: 'fix' },
      { id: 'fix-done', source: 'fix', target: 'done' },
      { id: 'start-done', source: 'start', target: 'done' },
      { id: 'ask-fix', source: 'ask', target: 'fix' },
    ],
  });
}

describe('auto-layout edge routes', () => {
  const branching = [
    ['incident escalation', incidentEscalationJson],
    ['order fulfilment', orderFulfilmentJson],
    ['support router', supportRouterJson],
    ['http with fallback', httpWithFallbackJson],
  ] as const;

  it.each(branching)('routes no edge of the %s flow through a node that is not one of its ends, nor a label onto a node', async (_name, json) => {
    const flow = flowDocumentSchema.parse(json);
    const { placements, routes } = await computeAutoLayout(flow, registry, elk);
    setActivePinia(createPinia());
    const store = useFlowDocumentStore();
    store.open(flow);
    store.execute(layoutNodes(placements, routes));
    const laid = store.document;
    const rects = laidOut(laid, []);
    const shapes = laid.nodes.filter((node) => !registry.get(node.type)?.container);
    expect(laid.edges.some((edge) => (edge.waypoints?.length ?? 0) > 0), 'some edge bends').toBe(true);
    for (const edge of laid.edges) {
      const path = pathOf(laid, edge, rects);
      for (const node of shapes) {
        if (node.id === edge.source || node.id === edge.target) continue;
        for (let index = 1; index < path.length; index += 1) {
          expect(segmentCrosses(path[index - 1] as Point, path[index] as Point, rectOf(rects, node.id)), `${edge.id} segment ${index} passes under ${node.id}`).toBe(false);
        }
        if (edge.label) expect(overlaps(labelBox(path, edge.label), rectOf(rects, node.id)), `label of ${edge.id} on ${node.id}`).toBe(false);
      }
    }
  });

  it.each([
    ['three lanes (expense approval)', () => flowDocumentSchema.parse(expenseApprovalJson)],
    ['two lanes, with an edge skipping columns over the other lane', twoLanes],
  ] as const)('routes every edge of a pool with %s, across lanes too, orthogonally from border to border and under no node', async (_name, make) => {
    const flow = make();
    const { placements, routes } = await computeAutoLayout(flow, registry, elk);
    const rects = laidOut(flow, placements);
    const laneOf = new Map(flow.nodes.map((node) => [node.id, node.parent]));
    expect(routes.map((route) => route.edgeId).sort()).toEqual(flow.edges.map((edge) => edge.id).sort());
    const crossing = flow.edges.filter((edge) => laneOf.get(edge.source) !== laneOf.get(edge.target));
    expect(crossing.length, 'the flow has edges from lane to lane').toBeGreaterThanOrEqual(2);
    const byId = new Map(routes.map((route) => [route.edgeId, route]));
    const shapes = flow.nodes.filter((node) => !registry.get(node.type)?.container);
    for (const edge of flow.edges) {
      const route = byId.get(edge.id);
      if (!route) throw new Error(`no route for ${edge.id}`);
      const path = pathOf(flow, { ...edge, waypoints: [...route.waypoints] }, rects);
      const source = rectOf(rects, edge.source);
      const target = rectOf(rects, edge.target);
      expect(onBorder(path[0] as Point, source), `${edge.id} starts on the border of ${edge.source}`).toBe(true);
      expect(onBorder(path[path.length - 1] as Point, target), `${edge.id} ends on the border of ${edge.target}`).toBe(true);
      for (let index = 1; index < path.length; index += 1) {
        const a = path[index - 1] as Point;
        const b = path[index] as Point;
        expect(Math.abs(a.x - b.x) < 0.01 || Math.abs(a.y - b.y) < 0.01, `${edge.id} segment ${index} is horizontal or vertical`).toBe(true);
        for (const node of shapes) {
          if (node.id === edge.source || node.id === edge.target) continue;
          expect(segmentCrosses(a, b, rectOf(rects, node.id)), `${edge.id} segment ${index} passes under ${node.id}`).toBe(false);
        }
      }
      // Its own ends are left and entered, not crossed: only the first and last segments touch them.
      for (let index = 2; index < path.length; index += 1) expect(segmentCrosses(path[index - 1] as Point, path[index] as Point, source), `${edge.id} turns back through ${edge.source}`).toBe(false);
      for (let index = 1; index < path.length - 1; index += 1) expect(segmentCrosses(path[index - 1] as Point, path[index] as Point, target), `${edge.id} runs through ${edge.target}`).toBe(false);
    }
  });

  it('applied as nodes.layout to a pool with lanes, undo restores the old waypoints and redo the routes', async () => {
    setActivePinia(createPinia());
    const store = useFlowDocumentStore();
    const flow = flowDocumentSchema.parse(expenseApprovalJson);
    const crossLane = flow.edges.find((edge) => edge.id === 'flow-merge-finance');
    if (!crossLane) throw new Error('the example has the edge from the approvers to finance');
    crossLane.waypoints = [{ x: 3, y: 4 }];
    store.open(flow);
    const before = structuredClone(store.document);
    const { placements, routes } = await computeAutoLayout(store.document, registry, elk);
    store.execute(layoutNodes(placements, routes));
    const after = structuredClone(store.document);
    const routed = after.edges.find((edge) => edge.id === 'flow-merge-finance');
    expect(routed?.waypoints?.length ?? 0, 'the edge from lane to lane bends').toBeGreaterThan(0);
    expect(routed?.waypoints).not.toEqual([{ x: 3, y: 4 }]);
    store.undo();
    expect(store.document).toEqual(before);
    store.redo();
    expect(store.document).toEqual(after);
  });

  it('keeps every route orthogonal, starting and ending on the centre lines of its shapes', async () => {
    const flow = flowDocumentSchema.parse(incidentEscalationJson);
    const { placements, routes } = await computeAutoLayout(flow, registry, elk);
    const rects = laidOut(flow, placements);
    const byId = new Map(flow.edges.map((edge) => [edge.id, edge]));
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      const edge = byId.get(route.edgeId);
      if (!edge) throw new Error(`route of unknown edge ${route.edgeId}`);
      const path = pathOf(flow, { ...edge, waypoints: [...route.waypoints] }, rects);
      for (let index = 1; index < path.length; index += 1) {
        const a = path[index - 1] as Point;
        const b = path[index] as Point;
        expect(Math.abs(a.x - b.x) < 0.01 || Math.abs(a.y - b.y) < 0.01, `${route.edgeId} segment ${index} is horizontal or vertical`).toBe(true);
      }
    }
  });
});
