// LogicFlow's built-in shapes, with the hooks tests and scripts rely on and the marks the editor
// needs: every node's outer <g> carries `data-node-id`, and `lf-node--issue` when validation found
// a problem on it (the `hasIssue` property, set by the canvas).
import {
  CircleNode,
  CircleNodeModel,
  DiamondNode,
  DiamondNodeModel,
  PolylineEdge,
  PolylineEdgeModel,
  RectNode,
  RectNodeModel,
  type LogicFlow,
} from '@logicflow/core';

/** Element Plus's danger red: SVG presentation attributes cannot read CSS variables. */
const ISSUE_COLOR = '#f56c6c';

function outerAttributes(model: { id: string; properties: Record<string, unknown> }): LogicFlow.DomAttributes {
  return {
    className: model.properties.hasIssue ? 'lf-node--issue' : '',
    'data-node-id': model.id,
  };
}

class RectWithHooks extends RectNodeModel {
  override getOuterGAttributes() {
    return outerAttributes(this);
  }
}

class CircleWithHooks extends CircleNodeModel {
  override getOuterGAttributes() {
    return outerAttributes(this);
  }
}

class DiamondWithHooks extends DiamondNodeModel {
  override getOuterGAttributes() {
    return outerAttributes(this);
  }
}

/** Edges with a problem are drawn in the error colour. */
class PolylineWithIssues extends PolylineEdgeModel {
  override getEdgeStyle() {
    const style = super.getEdgeStyle();
    return this.properties.hasIssue ? { ...style, stroke: ISSUE_COLOR, strokeWidth: 2 } : style;
  }
}

/** Registered under the built-in names, so the graph data keeps using `rect`, `circle`, `diamond`, `polyline`. */
export function registerCanvasElements(logicFlow: LogicFlow): void {
  logicFlow.batchRegister([
    { type: 'rect', view: RectNode, model: RectWithHooks },
    { type: 'circle', view: CircleNode, model: CircleWithHooks },
    { type: 'diamond', view: DiamondNode, model: DiamondWithHooks },
    { type: 'polyline', view: PolylineEdge, model: PolylineWithIssues },
  ]);
}
