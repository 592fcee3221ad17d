// The LogicFlow node types that draw the views of node-views.ts. The geometry decides the base
// model (events are circles, gateways diamonds, everything else boxes), which gives each its
// anchors; one view class draws them all from the `view` property the canvas sets. Every node's
// outer <g> carries `data-node-id`, and `lf-node--issue` when validation found a problem on it;
// while a run is shown, `data-run-state` and `lf-node--run-<state>` (features/run); with
// breakpoints, `data-breakpoint`.
import {
  BaseNode,
  BaseNodeModel,
  CircleNodeModel,
  DiamondNodeModel,
  ElementState,
  RectNodeModel,
  h,
  type LogicFlow,
  type OverlapMode,
} from '@logicflow/core';
import { drawDebugMarks, drawRunMark, isBreakpointMark, isNodeRunStatus } from '../../features/run/canvas-run-marks';
import { drawLabel, drawNode, type Box, type Ink, type TextStyle } from './node-drawing';
import { containerDepthOf, decodeView, hasAnchors, logicFlowTypeOf, nodeViewKinds, type NodeView } from './node-views';
import { customStyleOf, copyStyle } from './style-copy';
import type { SvgElement } from './svg-element';

/** What a node shows when its `view` property is missing, which the canvas never does. */
const FALLBACK_VIEW: NodeView = { kind: 'card', icon: 'box', color: '#909399' };

/** Decoded views by model, kept while the model's `view` text stays the same. */
const decodedViews = new WeakMap<BaseNodeModel, { readonly text: string; readonly view: NodeView }>();

/** The model's view, decoded once per change: it is read on every render and anchor lookup. */
function viewOf(model: BaseNodeModel): NodeView {
  const text: unknown = model.properties.view;
  if (typeof text !== 'string') return FALLBACK_VIEW;
  const decoded = decodedViews.get(model);
  if (decoded?.text === text) return decoded.view;
  const view = decodeView(text) ?? FALLBACK_VIEW;
  decodedViews.set(model, { text, view });
  return view;
}

function outerAttributes(model: BaseNodeModel): LogicFlow.DomAttributes {
  const { hasIssue, runState, breakpoint } = model.properties;
  const classes = [...(hasIssue ? ['lf-node--issue'] : []), ...(isNodeRunStatus(runState) ? [`lf-node--run-${runState}`] : [])];
  return {
    className: classes.join(' '),
    'data-node-id': model.id,
    ...(isNodeRunStatus(runState) ? { 'data-run-state': runState } : {}),
    ...(isBreakpointMark(breakpoint) && breakpoint !== '' ? { 'data-node-breakpoint': breakpoint } : {}),
  };
}

function toPreact(element: SvgElement): h.JSX.Element {
  return h(element.tag, element.attrs, ...(element.children?.map(toPreact) ?? []), element.text);
}

const boxOf = (model: BaseNodeModel): Box => ({ x: model.x, y: model.y, width: model.width, height: model.height });

function inkOf(model: BaseNodeModel): Ink {
  const { stroke, fill } = model.getNodeStyle();
  return { stroke: String(stroke ?? '#474747'), fill: String(fill ?? '#FFFFFF'), text: textStyleOf(model).color };
}

function textStyleOf(model: BaseNodeModel): TextStyle {
  const { color, fontSize } = model.getTextStyle();
  return { color: String(color ?? '#474747'), fontSize: typeof fontSize === 'number' ? fontSize : 12 };
}

class NotationNode extends BaseNode {
  override getShape() {
    const { model } = this.props;
    const shape = drawNode(viewOf(model), boxOf(model), inkOf(model), model.properties.hasIssue === true);
    const { runState, runNote, breakpoint, runHere } = model.properties;
    const box = boxOf(model);
    const marks = [
      ...(isNodeRunStatus(runState) ? [drawRunMark(runState, typeof runNote === 'string' ? runNote : '', box)] : []),
      ...drawDebugMarks(isBreakpointMark(breakpoint) ? breakpoint : '', runHere === true, box),
    ];
    if (marks.length === 0) return toPreact(shape);
    return h('g', {}, toPreact(shape), ...marks.map(toPreact));
  }

  /** Names are wrapped here (see label-lines.ts); LogicFlow shows its editor in their place while one is edited. */
  override getText() {
    const { model } = this.props;
    if (model.state === ElementState.TEXT_EDIT) return null;
    const view = viewOf(model);
    const label = drawLabel(view, boxOf(model), model.text.value, textStyleOf(model), view.kind === 'card' ? view.summary : undefined);
    return label ? toPreact(label) : null;
  }

  /**
   * Artifacts, pools and lanes show no anchors, so no sequence flow starts from them. Their model
   * keeps its anchors: an association, a data association or a message flow ends on them, and
   * LogicFlow cannot place an edge on a node without anchors (an imported MIWG B.1.0 failed so).
   */
  override getAnchors() {
    return hasAnchors(viewOf(this.props.model)) ? super.getAnchors() : [];
  }

  /** Pools, lanes and expanded sub-processes stay behind their content when clicked. */
  override toFront(): void {
    if (containerDepthOf(viewOf(this.props.model)) === undefined) super.toFront();
  }
}

/**
 * LogicFlow's `anchors` getter, recomputed on every read (it is no MobX computed), puts each anchor
 * through three matrix operations (move to the node's centre, rotate, move back) whether the node
 * is rotated or not. Opening 500 nodes, those matrices were the largest JavaScript cost in a
 * profile. Unrotated, an anchor is simply where its offset from the centre puts it.
 */
function anchorsOf(model: BaseNodeModel, rotated: () => BaseNodeModel['anchors']): BaseNodeModel['anchors'] {
  return model.rotate === 0 ? model.getAnchorsByOffset() : rotated();
}

/**
 * What LogicFlow's circle, diamond and rectangle models return from `getNodeStyle` (the base
 * node's style, the shape's theme entry, the node's own style), copied without lodash (style-copy.ts).
 */
function nodeStyleOf(model: BaseNodeModel, shapeTheme: object): ReturnType<BaseNodeModel['getNodeStyle']> {
  return { ...BaseNodeModel.prototype.getNodeStyle.call(model), ...copyStyle(shapeTheme), ...customStyleOf(model.properties) };
}

class EventModel extends CircleNodeModel {
  override getNodeStyle() {
    return nodeStyleOf(this, this.graphModel.theme.circle);
  }

  override getOuterGAttributes() {
    return outerAttributes(this);
  }

  override get anchors(): BaseNodeModel['anchors'] {
    return anchorsOf(this, () => super.anchors);
  }
}

class GatewayModel extends DiamondNodeModel {
  override getNodeStyle() {
    return nodeStyleOf(this, this.graphModel.theme.diamond);
  }

  override getOuterGAttributes() {
    return outerAttributes(this);
  }

  override get anchors(): BaseNodeModel['anchors'] {
    return anchorsOf(this, () => super.anchors);
  }
}

class BoxModel extends RectNodeModel {
  override getNodeStyle() {
    return nodeStyleOf(this, this.graphModel.theme.rect);
  }

  override getOuterGAttributes() {
    return outerAttributes(this);
  }

  override get anchors(): BaseNodeModel['anchors'] {
    return anchorsOf(this, () => super.anchors);
  }

  override updateZIndexByOverlap(overlapMode: OverlapMode, defaultZIndex: number): void {
    const depth = containerDepthOf(viewOf(this));
    if (depth === undefined) super.updateZIndexByOverlap(overlapMode, defaultZIndex);
    else this.zIndex = depth;
  }

  override setZIndex(zIndex?: number): void {
    super.setZIndex(zIndex ?? containerDepthOf(viewOf(this)));
  }
}

/** The node types to register with LogicFlow, one per kind of view. */
export const notationElements: readonly LogicFlow.RegisterConfig[] = nodeViewKinds.map((kind) => ({
  type: logicFlowTypeOf(kind),
  view: NotationNode,
  model: kind === 'event' ? EventModel : kind === 'gateway' ? GatewayModel : BoxModel,
}));
