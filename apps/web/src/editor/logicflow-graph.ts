// The canvas is a view of the flow document (DESIGN.md §4): this turns the document into the data
// LogicFlow renders. Node `position` is the node's centre, as in LogicFlow. Edges are routed by
// LogicFlow's polyline layout; the document's waypoints are not drawn yet.
import type { LogicFlow } from '@logicflow/core';
import type { FlowDocument, FlowEdge, FlowNode, NodeType, NodeTypeRegistry, Point, Size } from '@loomflow/graph-schema';

/** The LogicFlow built-in shapes the canvas draws nodes with, until node types get their own views. */
export type CanvasShape = 'rect' | 'circle' | 'diamond';

/** Distance from a small shape's bottom edge to the middle of its label's first line. */
const LABEL_GAP = 14;

const DEFAULT_SIZES: Readonly<Record<CanvasShape, Size>> = {
  rect: { width: 140, height: 64 },
  circle: { width: 40, height: 40 },
  diamond: { width: 56, height: 56 },
};

/** BPMN's visual language: events are circles, gateways and routing steps diamonds, work rectangles. */
export function canvasShapeOf(nodeType: NodeType | undefined): CanvasShape {
  if (!nodeType) return 'rect';
  if (nodeType.role === 'start' || nodeType.role === 'end' || nodeType.role === 'boundary' || nodeType.category === 'events') {
    return 'circle';
  }
  if (nodeType.category === 'gateways' || nodeType.branching !== 'all') return 'diamond';
  return 'rect';
}

export function toLogicFlowGraph(flow: FlowDocument, registry: NodeTypeRegistry): LogicFlow.GraphConfigData {
  return {
    nodes: flow.nodes.map((node) => toLogicFlowNode(node, registry)),
    edges: flow.edges.map(toLogicFlowEdge),
  };
}

export function toLogicFlowNode(node: FlowNode, registry: NodeTypeRegistry): LogicFlow.NodeConfig {
  const shape = canvasShapeOf(registry.get(node.type));
  const size = node.size ?? DEFAULT_SIZES[shape];
  return {
    id: node.id,
    type: shape,
    x: node.position.x,
    y: node.position.y,
    ...(node.name ? { text: nodeLabel(node.name, shape, node.position, size) } : {}),
    properties: { nodeType: node.type, ...shapeProperties(shape, size) },
  };
}

export function toLogicFlowEdge(edge: FlowEdge): LogicFlow.EdgeConfig {
  return {
    id: edge.id,
    type: 'polyline',
    sourceNodeId: edge.source,
    targetNodeId: edge.target,
    ...(edge.label ? { text: edge.label } : {}),
  };
}

/** Work fits its name inside; events and gateways are small, so theirs goes below, as in BPMN tools. */
function nodeLabel(name: string, shape: CanvasShape, { x, y }: Point, { height }: Size): LogicFlow.TextConfig | string {
  return shape === 'rect' ? name : { value: name, x, y: y + height / 2 + LABEL_GAP };
}

/** Each built-in shape takes its size under its own property names. */
function shapeProperties(shape: CanvasShape, { width, height }: Size): Record<string, number> {
  switch (shape) {
    case 'rect':
      return { width, height };
    case 'circle':
      return { r: Math.min(width, height) / 2 };
    case 'diamond':
      return { rx: width / 2, ry: height / 2 };
  }
}
