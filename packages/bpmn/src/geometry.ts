// Flow documents place a node by the centre of its shape (LogicFlow's convention) and store only
// the bend points of an edge; BPMN DI wants top-left bounds and every waypoint, ends included.
import type { FlowNode, Point, Size } from '@loomflow/graph-schema';

export interface Bounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The outline a border point is computed on: events are circles, gateways diamonds. */
export type Outline = 'rect' | 'ellipse' | 'diamond';

/** Camunda Modeler's sizes, used when the document stores none (as the canvas does). */
export function defaultSizeOf(element: string): Size {
  if (element.endsWith('Event')) return { width: 36, height: 36 };
  if (element.endsWith('Gateway')) return { width: 50, height: 50 };
  switch (element) {
    case 'bpmn:SubProcess':
      return { width: 350, height: 200 };
    case 'bpmn:Participant':
      return { width: 600, height: 250 };
    case 'bpmn:Lane':
      return { width: 570, height: 125 };
    case 'bpmn:DataObjectReference':
      return { width: 36, height: 50 };
    case 'bpmn:TextAnnotation':
      return { width: 100, height: 40 };
    case 'bpmn:Group':
      return { width: 300, height: 200 };
    default:
      return { width: 100, height: 80 };
  }
}

export function outlineOf(element: string): Outline {
  if (element.endsWith('Event')) return 'ellipse';
  if (element.endsWith('Gateway')) return 'diamond';
  return 'rect';
}

export function boundsOf(node: FlowNode, element: string): Bounds {
  const { width, height } = node.size ?? defaultSizeOf(element);
  return { x: node.position.x - width / 2, y: node.position.y - height / 2, width, height };
}

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

/** DI readers compare waypoints to the pixel; two decimals keep the XML short. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}

export function centreOf(bounds: Bounds): Point {
  return { x: bounds.x + bounds.width / 2, y: bounds.y + bounds.height / 2 };
}

/** The whole path of an edge: its ends on the two outlines, its bend points between. */
export function edgeWaypoints(from: { bounds: Bounds; outline: Outline }, to: { bounds: Bounds; outline: Outline }, bends: readonly Point[]): Point[] {
  const first = bends[0] ?? centreOf(to.bounds);
  const last = bends[bends.length - 1] ?? centreOf(from.bounds);
  return [borderPoint(from.bounds, from.outline, first), ...bends, borderPoint(to.bounds, to.outline, last)];
}
