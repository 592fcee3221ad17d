// A template's picture before it is used: the flow drawn small and read-only with the canvas's
// own node pictures (canvas/node-drawing.ts), edges as straight lines between the nodes' outlines
// (or through their stored waypoints), fitted into one viewBox. No LogicFlow: the list page stays
// light, and a drawing of twenty nodes is a few dozen SVG elements.
import type { FlowDocument, FlowNode, NodeTypeRegistry, Point } from '@loomflow/graph-schema';
import { drawLabel, drawNode, type Box, type Ink } from '../../editor/canvas/node-drawing';
import { svg, type SvgElement } from '../../editor/canvas/svg-element';
import { canvasLabelOf, canvasNodeSize, canvasViewOf } from '../../editor/logicflow-graph';

export interface FlowPreview {
  readonly viewBox: string;
  readonly element: SvgElement;
}

/** Room around the drawing, in drawing units; names below events and gateways need some. */
const MARGIN = 40;

/** Where the line from a box's centre towards `towards` leaves the box. */
function outlinePoint(box: Box, towards: Point): Point {
  const dx = towards.x - box.x;
  const dy = towards.y - box.y;
  if (dx === 0 && dy === 0) return { x: box.x, y: box.y };
  const scale = Math.min(dx === 0 ? Infinity : box.width / 2 / Math.abs(dx), dy === 0 ? Infinity : box.height / 2 / Math.abs(dy));
  return { x: box.x + dx * Math.min(scale, 1), y: box.y + dy * Math.min(scale, 1) };
}

export function drawFlowPreview(flow: FlowDocument, registry: NodeTypeRegistry, ink: Ink): FlowPreview {
  const boxes = new Map<string, Box>();
  for (const node of flow.nodes) boxes.set(node.id, { ...node.position, ...canvasNodeSize(node, registry) });
  const boxOf = (node: FlowNode) => boxes.get(node.id) as Box;
  // Containers behind what they hold, as on the canvas.
  const isBackground = (node: FlowNode) => registry.get(node.type)?.container !== undefined || canvasViewOf(node, registry).kind === 'group';
  const drawn = (node: FlowNode): SvgElement[] => {
    const view = canvasViewOf(node, registry);
    const box = boxOf(node);
    const label = canvasLabelOf(node, view);
    const text = label ? drawLabel(view, box, label, { fontSize: 12, color: ink.text }) : undefined;
    return text ? [drawNode(view, box, ink), text] : [drawNode(view, box, ink)];
  };
  const edges = flow.edges.flatMap((edge) => {
    const source = boxes.get(edge.source);
    const target = boxes.get(edge.target);
    if (!source || !target) return [];
    const bends = edge.waypoints ?? [];
    const start = outlinePoint(source, bends[0] ?? target);
    const end = outlinePoint(target, bends.at(-1) ?? source);
    const points = [start, ...bends, end];
    return [svg.path(`M ${points.map(({ x, y }) => `${x} ${y}`).join(' L ')}`, { fill: 'none', stroke: ink.stroke, 'stroke-width': 1.5, 'stroke-opacity': 0.6 })];
  });
  const element = svg.g({}, [
    ...flow.nodes.filter(isBackground).flatMap(drawn),
    ...edges,
    ...flow.nodes.filter((node) => !isBackground(node)).flatMap(drawn),
  ]);
  const all = [...boxes.values()];
  if (all.length === 0) return { viewBox: '0 0 100 60', element };
  const left = Math.min(...all.map((box) => box.x - box.width / 2)) - MARGIN;
  const top = Math.min(...all.map((box) => box.y - box.height / 2)) - MARGIN;
  const right = Math.max(...all.map((box) => box.x + box.width / 2)) + MARGIN;
  const bottom = Math.max(...all.map((box) => box.y + box.height / 2)) + MARGIN;
  return { viewBox: `${left} ${top} ${right - left} ${bottom - top}`, element };
}
