// Large drawings (issue 5, item 9: a 2,000-node flow opens and stays interactive). LogicFlow
// builds a MobX model for every element it holds (1–2 ms each, anchors and edge routes included),
// many of its paths walk every element (a node move walks every edge, snaplines every node, each
// redraw of its element list serialises the whole graph), and its own partial rendering filters
// the whole graph again after every node move. So LogicFlow holds only the part of the document
// near the view: the nodes in the drawn area (the view and half a view around it), the edges
// crossing it and their end nodes, and whatever is selected. When the view leaves the drawn area,
// or an edit moved, added or removed elements, the document is scanned once (plain arithmetic)
// and LogicFlow gets the difference. The document in the store stays the source of truth; what
// LogicFlow lacks is drawn from it again when it comes near.
//
// The view arithmetic LogicFlow does too slowly or not at all for a large drawing is here too:
// `lf.fitView` measures the drawing by concatenating arrays node by node (quadratic) and refuses
// to zoom below its minimum zoom; fitting here uses the document's bounds and stops at the minimum.
import { action, type LogicFlow } from '@logicflow/core';
import type { FlowDocument, FlowEdge, FlowNode } from '@loomflow/graph-schema';
import { unionOf, visibleArea, type Point, type Rect } from './canvas/minimap-geometry';

/** How far beyond the view elements are drawn, as a share of the view's size on each side. */
const DRAWN_MARGIN = 0.5;
/** Zoomed in this far from the drawn area (in area), the drawn elements are chosen again. */
const MAX_DRAWN_TO_VIEW_AREA = 16;
/** Below this zoom names cannot be read: a drawing that only fits smaller opens at 100% instead. */
export const READABLE_ZOOM = 0.5;
/** LogicFlow's default zoom limits. */
const MIN_ZOOM = 0.2;
const MAX_ZOOM = 16;

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** LogicFlow's view transform: screen point = drawing point × scale + translation. */
export interface View {
  readonly scale: number;
  readonly translateX: number;
  readonly translateY: number;
}

/** The view `drawing` is fitted into `canvas` with: centred, `margin` pixels of room in all. */
export function fittedView(drawing: Rect, canvas: Size, margin: number): View {
  const ratio = 1 / Math.max((drawing.width + margin) / canvas.width, (drawing.height + margin) / canvas.height);
  const scale = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, ratio));
  return {
    scale,
    translateX: canvas.width / 2 - (drawing.x + drawing.width / 2) * scale,
    translateY: canvas.height / 2 - (drawing.y + drawing.height / 2) * scale,
  };
}

/**
 * How a drawing opens: fitted to the canvas when it is still readable so, otherwise at 100% with
 * its top-left corner in view, as bpmn-js and Camunda Modeler open a large diagram.
 */
export function openingView(drawing: Rect, canvas: Size, margin: number): View {
  const fitted = fittedView(drawing, canvas, margin);
  if (fitted.scale >= READABLE_ZOOM) return fitted;
  return { scale: 1, translateX: margin / 2 - drawing.x, translateY: margin / 2 - drawing.y };
}

/** The area drawn for a view: the view grown by DRAWN_MARGIN on every side. */
export function drawnAreaFor(view: Rect): Rect {
  const dx = view.width * DRAWN_MARGIN;
  const dy = view.height * DRAWN_MARGIN;
  return { x: view.x - dx, y: view.y - dy, width: view.width + 2 * dx, height: view.height + 2 * dy };
}

/** The drawn area still serves the view: it holds all of it, and not mostly what is out of sight. */
export function servesView(drawn: Rect, view: Rect): boolean {
  const holds = view.x >= drawn.x && view.y >= drawn.y && view.x + view.width <= drawn.x + drawn.width && view.y + view.height <= drawn.y + drawn.height;
  return holds && drawn.width * drawn.height <= MAX_DRAWN_TO_VIEW_AREA * view.width * view.height;
}

export function overlaps(a: Rect, b: Rect): boolean {
  return a.x <= b.x + b.width && b.x <= a.x + a.width && a.y <= b.y + b.height && b.y <= a.y + a.height;
}

export interface DrawnElements {
  readonly nodeIds: ReadonlySet<string>;
  readonly edgeIds: ReadonlySet<string>;
}

/**
 * The elements to draw for `area`: nodes whose box overlaps it, edges whose end nodes' boxes
 * together overlap it (with both end nodes, which an edge cannot be drawn without), and the
 * selected elements wherever they are.
 */
export function elementsToDraw(flow: FlowDocument, boxOf: (node: FlowNode) => Rect, area: Rect, selectedIds: ReadonlySet<string>): DrawnElements {
  const boxes = new Map<string, Rect>();
  const nodeIds = new Set<string>();
  for (const node of flow.nodes) {
    const box = boxOf(node);
    boxes.set(node.id, box);
    if (selectedIds.has(node.id) || overlaps(box, area)) nodeIds.add(node.id);
  }
  const edgeIds = new Set<string>();
  for (const edge of flow.edges) {
    const source = boxes.get(edge.source);
    const target = boxes.get(edge.target);
    if (!source || !target) continue;
    if (selectedIds.has(edge.id) || overlaps(unionOf([source, target]) as Rect, area)) {
      edgeIds.add(edge.id);
      nodeIds.add(edge.source);
      nodeIds.add(edge.target);
    }
  }
  return { nodeIds, edgeIds };
}

/** What the viewport draws from: the document and how its elements look on the canvas. */
export interface CanvasContent {
  document(): FlowDocument;
  boxOf(node: FlowNode): Rect;
  nodeData(node: FlowNode): LogicFlow.NodeConfig;
  edgeData(edge: FlowEdge): LogicFlow.EdgeConfig;
  selectedIds(): ReadonlySet<string>;
}

export interface CanvasViewport {
  /** Shows a freshly opened document in `view`, drawing only what is near it. */
  open(view: View): void;
  /** Moves the view; what comes near is drawn on the next frame. */
  show(view: View): void;
  /** Centres the view on a node or edge of the document, drawn or not. */
  focus(elementId: string): void;
  /** Adds an edge to the canvas with its end nodes, which may not have been drawn yet. */
  addEdge(edge: FlowEdge): void;
  /** Chooses what to draw again on the next frame, after an edit. */
  refresh(): void;
  /** After a change of selection: draws selected elements that are not drawn yet, next frame. */
  drawSelection(): void;
  /** Draws the whole document (for a picture of it); the returned function goes back. */
  drawEverything(): Promise<() => void>;
  dispose(): void;
}

const viewports = new WeakMap<LogicFlow, CanvasViewport>();

/**
 * Draws the whole document on a canvas that only draws what is near its view (for a picture of
 * it); the returned function goes back. A canvas without a viewport draws everything anyway.
 */
export async function drawEverything(lf: LogicFlow): Promise<() => void> {
  return (await viewports.get(lf)?.drawEverything()) ?? (() => undefined);
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

export function createCanvasViewport(lf: LogicFlow, content: CanvasContent): CanvasViewport {
  const { graphModel } = lf;
  /** The area the drawn elements were chosen for. */
  let drawn: Rect | undefined;
  /** The whole document is drawn for a picture: the view does not choose until it is taken. */
  let everything = false;
  let frame = 0;
  let recount = false;

  const currentView = () => visibleArea(lf.getTransform(), graphModel);

  /** The whole wanted set, for a fresh render: LogicFlow builds it in one pass. */
  const renderAll = (wanted: DrawnElements) => {
    const flow = content.document();
    lf.renderRawData({
      nodes: flow.nodes.filter((node) => wanted.nodeIds.has(node.id)).map(content.nodeData),
      edges: flow.edges.filter((edge) => wanted.edgeIds.has(edge.id)).map(content.edgeData),
    });
    for (const id of content.selectedIds()) lf.selectElementById(id, true, false);
  };

  // One action: LogicFlow redraws its element list once, not once per added or removed element.
  const applyDifference = action((wanted: DrawnElements) => {
    const flow = content.document();
    // What a gesture holds (a dragged or selected element) stays, whatever the document says.
    const held = (model: { isSelected: boolean; isDragging?: boolean }) => model.isSelected || model.isDragging === true;
    for (const edge of [...graphModel.edges]) {
      if (!wanted.edgeIds.has(edge.id) && !held(edge)) lf.deleteEdge(edge.id);
    }
    for (const node of [...graphModel.nodes]) {
      if (!wanted.nodeIds.has(node.id) && !held(node)) lf.deleteNode(node.id);
    }
    const drawnIds = new Set([...graphModel.nodes, ...graphModel.edges].map((model) => model.id));
    const selected = content.selectedIds();
    const added: string[] = [];
    for (const node of flow.nodes) {
      if (wanted.nodeIds.has(node.id) && !drawnIds.has(node.id)) added.push(lf.addNode(content.nodeData(node)).id);
    }
    for (const edge of flow.edges) {
      if (wanted.edgeIds.has(edge.id) && !drawnIds.has(edge.id)) added.push(lf.addEdge(content.edgeData(edge)).id);
    }
    for (const id of added) if (selected.has(id)) lf.selectElementById(id, true, false);
  });

  const draw = (area: Rect | undefined) => {
    const flow = content.document();
    const wanted = area
      ? elementsToDraw(flow, content.boxOf, area, content.selectedIds())
      : { nodeIds: new Set(flow.nodes.map((node) => node.id)), edgeIds: new Set(flow.edges.map((edge) => edge.id)) };
    // Each element added or removed one by one costs a lookup over the drawn ones (LogicFlow's
    // id maps are rebuilt after every change); a mostly different set is cheaper to render afresh.
    let changes = 0;
    for (const model of [...graphModel.nodes, ...graphModel.edges]) if (!wanted.nodeIds.has(model.id) && !wanted.edgeIds.has(model.id)) changes += 1;
    for (const id of [...wanted.nodeIds, ...wanted.edgeIds]) if (!graphModel.getElement(id)) changes += 1;
    if (changes > wanted.nodeIds.size + wanted.edgeIds.size) renderAll(wanted);
    else applyDifference(wanted);
  };

  const update = () => {
    frame = 0;
    if (everything) return;
    const view = currentView();
    if (!recount && drawn && servesView(drawn, view)) return;
    recount = false;
    drawn = drawnAreaFor(view);
    draw(drawn);
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(update);
  };
  lf.on('graph:transform,graph:resize', schedule);

  const show = (view: View) => {
    lf.resetZoom();
    lf.resetTranslate();
    lf.zoom(view.scale, [0, 0]);
    lf.translate(view.translateX, view.translateY);
  };

  const viewport: CanvasViewport = {
    open(view) {
      show(view);
      cancelAnimationFrame(frame);
      frame = 0;
      // What is in view first, so that it is on screen sooner; the area around it a frame later.
      drawn = currentView();
      renderAll(elementsToDraw(content.document(), content.boxOf, drawn, content.selectedIds()));
      viewport.refresh();
    },
    show,
    focus(elementId) {
      const flow = content.document();
      const node = flow.nodes.find((candidate) => candidate.id === elementId);
      const edge = node ? undefined : flow.edges.find((candidate) => candidate.id === elementId);
      const ends = edge && [edge.source, edge.target].map((id) => flow.nodes.find((candidate) => candidate.id === id)?.position);
      const centre: Point | undefined = node?.position ?? (ends?.[0] && ends[1] && { x: (ends[0].x + ends[1].x) / 2, y: (ends[0].y + ends[1].y) / 2 });
      if (centre) lf.focusOn({ coordinate: centre });
    },
    addEdge(edge) {
      const flow = content.document();
      for (const id of [edge.source, edge.target]) {
        const node = flow.nodes.find((candidate) => candidate.id === id);
        if (node && !lf.getNodeModelById(id)) lf.addNode(content.nodeData(node));
      }
      lf.addEdge(content.edgeData(edge));
    },
    refresh() {
      recount = true;
      schedule();
    },
    drawSelection() {
      for (const id of content.selectedIds()) {
        if (!graphModel.getElement(id)) return viewport.refresh();
      }
    },
    async drawEverything() {
      everything = true;
      draw(undefined);
      // LogicFlow redraws on its next render pass; two frames see it done.
      await nextFrame();
      await nextFrame();
      return () => {
        everything = false;
        viewport.refresh();
      };
    },
    dispose() {
      cancelAnimationFrame(frame);
      lf.off('graph:transform,graph:resize', schedule);
      viewports.delete(lf);
    },
  };
  viewports.set(lf, viewport);
  return viewport;
}
