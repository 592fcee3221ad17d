// The size a BPMN shape gets when a flow document stores none. The canvas draws with it and the
// BPMN export writes it as DI bounds, so both read this one table (Camunda Modeler's sizes). The
// same holds for an edge's whole path: the canvas draws a stored route through the points the
// BPMN export writes as the edge's DI waypoints.
import type { Bounds, Point, Size } from './flow-document';

export const bpmnShapeSizes = {
  event: { width: 36, height: 36 },
  gateway: { width: 50, height: 50 },
  /** Tasks, call activities and collapsed sub-processes. */
  activity: { width: 100, height: 80 },
  expandedSubProcess: { width: 350, height: 200 },
  pool: { width: 600, height: 250 },
  lane: { width: 570, height: 125 },
  dataObject: { width: 36, height: 50 },
  annotation: { width: 100, height: 40 },
  group: { width: 300, height: 200 },
} as const satisfies Record<string, Size>;

export type BpmnShape = keyof typeof bpmnShapeSizes;

/** The shape of a bpmn-moddle element type (`bpmn:UserTask`), given whether a sub-process is drawn expanded. */
export function bpmnShapeOf(element: string, expanded: boolean): BpmnShape {
  if (element.endsWith('Event')) return 'event';
  if (element.endsWith('Gateway')) return 'gateway';
  switch (element) {
    case 'bpmn:SubProcess':
    case 'bpmn:Transaction':
    case 'bpmn:AdHocSubProcess':
      return expanded ? 'expandedSubProcess' : 'activity';
    case 'bpmn:Participant':
      return 'pool';
    case 'bpmn:Lane':
      return 'lane';
    case 'bpmn:DataObjectReference':
    case 'bpmn:DataStoreReference':
      return 'dataObject';
    case 'bpmn:TextAnnotation':
      return 'annotation';
    case 'bpmn:Group':
      return 'group';
    default:
      return 'activity';
  }
}

/** The outline a border point is computed on: events are circles, gateways diamonds. */
export type Outline = 'rect' | 'ellipse' | 'diamond';

/** Where the line from the shape's centre towards `toward` leaves the shape's outline. */
export function borderPoint(bounds: Bounds, outline: Outline, toward: Point): Point {
  const centre = { x: bounds.x + bounds.width / 2, y: bounds.y + bounds.height / 2 };
  const dx = toward.x - centre.x;
  const dy = toward.y - centre.y;
  if (dx === 0 && dy === 0) return centre;
  const halfWidth = bounds.width / 2;
  const halfHeight = bounds.height / 2;
  const scale =
    outline === 'ellipse'
      ? 1 / Math.hypot(dx / halfWidth, dy / halfHeight)
      : outline === 'diamond'
        ? 1 / (Math.abs(dx) / halfWidth + Math.abs(dy) / halfHeight)
        : Math.min(dx === 0 ? Infinity : halfWidth / Math.abs(dx), dy === 0 ? Infinity : halfHeight / Math.abs(dy));
  return { x: round(centre.x + dx * scale), y: round(centre.y + dy * scale) };
}

/**
 * The whole path of an edge: its ends on the two outlines, its bend points between. A bend that
 * is the end itself (a route leaving off the shape's centre line keeps its start as a bend) is
 * not repeated.
 */
export function edgeWaypoints(from: { bounds: Bounds; outline: Outline }, to: { bounds: Bounds; outline: Outline }, bends: readonly Point[]): Point[] {
  const centre = (bounds: Bounds) => ({ x: bounds.x + bounds.width / 2, y: bounds.y + bounds.height / 2 });
  const first = bends[0] ?? centre(to.bounds);
  const last = bends[bends.length - 1] ?? centre(from.bounds);
  const path = [borderPoint(from.bounds, from.outline, first), ...bends.map(({ x, y }) => ({ x, y })), borderPoint(to.bounds, to.outline, last)];
  return path.filter((point, index) => index === 0 || point.x !== path[index - 1]?.x || point.y !== path[index - 1]?.y);
}

/** DI readers compare waypoints to the pixel; two decimals keep the XML short. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}
