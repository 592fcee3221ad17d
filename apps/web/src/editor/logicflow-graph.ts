// The canvas is a view of the flow document (docs/ARCHITECTURE.md § The designer): this turns the
// document into the data LogicFlow renders. Node `position` is the node's centre, as in LogicFlow.
// Edges are routed by LogicFlow's polyline layout; the document's waypoints are not drawn yet.
import type { LogicFlow } from '@logicflow/core';
import type { FlowEdge, FlowNode, NodeTypeRegistry, Point, Size } from '@loomflow/graph-schema';
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

export function toLogicFlowEdge(edge: FlowEdge): LogicFlow.EdgeConfig {
  return {
    id: edge.id,
    type: 'polyline',
    sourceNodeId: edge.source,
    targetNodeId: edge.target,
    ...(edge.label ? { text: edge.label } : {}),
    // A default flow is drawn with BPMN's slash at its source (canvas-elements.ts).
    ...(edge.isDefault ? { properties: { isDefault: true } } : {}),
  };
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
