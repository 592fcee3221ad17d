// The node and edge types the canvas draws with. Nodes: the BPMN notation and agent cards of
// canvas/ (every node's outer <g> carries `data-node-id`, and `lf-node--issue` when validation
// found a problem on it). Edges (`data-edge-id`): LogicFlow's polyline, in the error colour when it has a problem,
// in the run's completed colour when the shown run took it, with BPMN's slash across the start of
// a default flow.
import { BaseEdgeModel, h, PolylineEdge, PolylineEdgeModel, type LogicFlow } from '@logicflow/core';
import { TAKEN_EDGE_COLOR } from '../features/run/canvas-run-marks';
import { ISSUE_COLOR } from './canvas/node-drawing';
import { copyStyle, customStyleOf } from './canvas/style-copy';
import { notationElements } from './canvas/notation-elements';

class SequenceFlowModel extends PolylineEdgeModel {
  override getEdgeStyle() {
    // LogicFlow's polyline style (base edge, polyline theme, own style), copied without lodash (canvas/style-copy.ts).
    const style = { ...BaseEdgeModel.prototype.getEdgeStyle.call(this), ...copyStyle(this.graphModel.theme.polyline), ...customStyleOf(this.properties) };
    if (this.properties.hasIssue) return { ...style, stroke: ISSUE_COLOR, strokeWidth: 2 };
    return this.properties.runTaken === true ? { ...style, stroke: TAKEN_EDGE_COLOR, strokeWidth: 2 } : style;
  }

  /** Read for every arrow drawn, animated or not; copied without lodash as above. */
  override getEdgeAnimationStyle() {
    return copyStyle(this.graphModel.theme.edgeAnimation);
  }
}

class SequenceFlow extends PolylineEdge {
  /** Every edge carries its id (`data-edge-id`), one the shown run took a mark for tests and styles (`data-run-taken`). */
  override getEdge() {
    const { id, properties } = this.props.model;
    return h('g', { 'data-edge-id': id, ...(properties.runTaken === true ? { 'data-run-taken': id } : {}) }, super.getEdge());
  }

  /** Drawn in the start marker, which LogicFlow turns along the flow's first segment. */
  override getStartArrow() {
    const { model } = this.props;
    if (model.properties.isDefault !== true) return super.getStartArrow();
    const { stroke, strokeWidth } = model.getArrowStyle();
    return h('path', { d: 'M 7 -6 L 15 6', stroke, 'stroke-width': strokeWidth, 'stroke-linecap': 'round', fill: 'none', 'data-default-flow': '' });
  }
}

/** The edge type keeps the built-in name, so the graph data keeps using `polyline`. */
export function registerCanvasElements(logicFlow: LogicFlow): void {
  logicFlow.batchRegister([...notationElements, { type: 'polyline', view: SequenceFlow, model: SequenceFlowModel }]);
}
