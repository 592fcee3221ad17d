// Flow documents place a node by the centre of its shape (LogicFlow's convention) and store only
// the bend points of an edge; BPMN DI wants top-left bounds and every waypoint, ends included.
import { bpmnShapeOf, bpmnShapeSizes, type Bounds, type FlowNode, type Outline, type Point, type Size } from '@loomflow/graph-schema';

export { edgeWaypoints } from '@loomflow/graph-schema';
export type { Bounds, Outline };

/** The size a node is drawn at when the document stores none (the one table the canvas uses too). */
export function defaultSizeOf(element: string, expanded: boolean): Size {
  return bpmnShapeSizes[bpmnShapeOf(element, expanded)];
}

export function outlineOf(element: string): Outline {
  if (element.endsWith('Event')) return 'ellipse';
  if (element.endsWith('Gateway')) return 'diamond';
  return 'rect';
}

export function boundsOf(node: FlowNode, element: string): Bounds {
  const { width, height } = node.size ?? defaultSizeOf(element, node.config.isExpanded !== false);
  return { x: node.position.x - width / 2, y: node.position.y - height / 2, width, height };
}

/** The inverse of `boundsOf`: where a node with these DI bounds sits and how big it is. */
export function placementOf(bounds: Bounds): { position: Point; size: Size } {
  return { position: centreOf(bounds), size: { width: bounds.width, height: bounds.height } };
}

/** Label bounds kept relative to the node's centre, so a label moves with its node. */
export function relativeBounds(bounds: Bounds, origin: Point): Bounds {
  return { ...bounds, x: bounds.x - origin.x, y: bounds.y - origin.y };
}

export function absoluteBounds(bounds: Bounds, origin: Point): Bounds {
  return { ...bounds, x: bounds.x + origin.x, y: bounds.y + origin.y };
}

export function centreOf(bounds: Bounds): Point {
  return { x: bounds.x + bounds.width / 2, y: bounds.y + bounds.height / 2 };
}

