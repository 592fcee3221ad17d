// The canvas is a view of the flow document (docs/ARCHITECTURE.md § The designer): this turns the
// document into the data LogicFlow renders. Node `position` is the node's centre, as in LogicFlow.
// An edge with waypoints (auto-layout's routes, an imported BPMN's DI) is drawn through them, from
// where the BPMN export starts it; one without is routed by LogicFlow's polyline layout.
import type { LogicFlow } from '@logicflow/core';
import { edgeWaypoints, type FlowEdge, type FlowNode, type NodeTypeRegistry, type Outline, type Point, type Size } from '@loomflow/graph-schema';
import { defaultSizeOf, encodeView, labelPlacementOf, logicFlowTypeOf, nodeViewOf, type NodeView } from './canvas/node-views';

/** Distance from a small shape's bottom edge to the middle of its label's first line. */
const LABEL_GAP = 14;

/** How a node is drawn: its type's view, with the markers its config calls for (canvas/node-views.ts). */
export function canvasViewOf(node: FlowNode, registry: NodeTypeRegistry): NodeView {
  return nodeViewOf(registry.get(node.type), node.config, node.bpmn ?? {});
}

/** The size a node is drawn at: its own, or its view's default (auto-layout spaces nodes by it). */
export function canvasNodeSize(node: FlowNode, registry: NodeTypeRegistry): Size {
  return node.size ?? defaultSizeOf(canvasViewOf(node, registry));
}

/** The text a node shows: a note (a text annotation) its text, as in BPMN; every other node its name. */
export function canvasLabelOf(node: FlowNode, view: NodeView): string | undefined {
  if (view.kind !== 'annotation') return node.name;
  return typeof node.config.text === 'string' && node.config.text !== '' ? node.config.text : undefined;
}

export function toLogicFlowNode(node: FlowNode, registry: NodeTypeRegistry): LogicFlow.NodeConfig {
  const view = canvasViewOf(node, registry);
  const size = node.size ?? defaultSizeOf(view);
  const label = canvasLabelOf(node, view);
  return {
    id: node.id,
    type: logicFlowTypeOf(view.kind),
    x: node.position.x,
    y: node.position.y,
    ...(label ? { text: nodeLabel(label, view, node.position, size) } : {}),
    properties: { nodeType: node.type, view: encodeView(view), ...sizeProperties(view, size) },
  };
}

/** The outline an edge ends on: events are circles, gateways diamonds, the rest boxes. */
export function canvasOutlineOf(node: FlowNode, registry: NodeTypeRegistry): Outline {
  const { kind } = canvasViewOf(node, registry);
  return kind === 'event' ? 'ellipse' : kind === 'gateway' ? 'diamond' : 'rect';
}

/** The document's nodes by id, as the canvas has them, for drawing edges through their waypoints. */
export type NodeLookup = (nodeId: string) => FlowNode | undefined;

export function toLogicFlowEdge(edge: FlowEdge, registry: NodeTypeRegistry, nodeOf: NodeLookup): LogicFlow.EdgeConfig {
  return {
    id: edge.id,
    type: 'polyline',
    sourceNodeId: edge.source,
    targetNodeId: edge.target,
    ...(edge.label ? { text: edge.label } : {}),
    ...routeOf(edge, registry, nodeOf),
    // A default flow is drawn with BPMN's slash at its source (canvas-elements.ts).
    ...(edge.isDefault ? { properties: { isDefault: true } } : {}),
  };
}

/**
 * The whole path of an edge with waypoints: each end where the line from its shape's centre to
 * the nearest bend leaves the outline: graph-schema's `edgeWaypoints`, which the BPMN export writes DI with.
 */
function routeOf(edge: FlowEdge, registry: NodeTypeRegistry, nodeOf: NodeLookup): Pick<LogicFlow.EdgeConfig, 'startPoint' | 'endPoint' | 'pointsList'> {
  const bends = edge.waypoints;
  const source = nodeOf(edge.source);
  const target = nodeOf(edge.target);
  if (!bends || bends.length === 0 || !source || !target) return {};
  const shape = (node: FlowNode) => {
    const { width, height } = canvasNodeSize(node, registry);
    return { bounds: { x: node.position.x - width / 2, y: node.position.y - height / 2, width, height }, outline: canvasOutlineOf(node, registry) };
  };
  const pointsList = edgeWaypoints(shape(source), shape(target), bends);
  const startPoint = pointsList[0] as Point;
  const endPoint = pointsList[pointsList.length - 1] as Point;
  return { startPoint, endPoint, pointsList };
}

/**
 * Where LogicFlow opens its text editor: where the view draws the name. Work fits its name inside;
 * events and gateways are small, so theirs goes below, as in BPMN tools.
 */
function nodeLabel(name: string, view: NodeView, { x, y }: Point, { width, height }: Size): LogicFlow.TextConfig {
  switch (labelPlacementOf(view)) {
    case 'below': {
      const label = 'label' in view ? view.label : undefined;
      // Where the file's DI label bounds are, else under the shape.
      return label ? { value: name, x: x + label.x + label.width / 2, y: y + label.y + label.height / 2 } : { value: name, x, y: y + height / 2 + LABEL_GAP };
    }
    case 'top':
      return { value: name, x, y: y - height / 2 + LABEL_GAP };
    case 'header':
      // The middle of the header band at the shape's left.
      return { value: name, x: x - width / 2 + 15, y };
    default:
      return { value: name, x, y };
  }
}

/** Circles, diamonds and boxes each take their size under their own property names. */
function sizeProperties(view: NodeView, { width, height }: Size): Record<string, number> {
  switch (view.kind) {
    case 'event':
      return { r: Math.min(width, height) / 2 };
    case 'gateway':
      return { rx: width / 2, ry: height / 2 };
    default:
      return { width, height };
  }
}
