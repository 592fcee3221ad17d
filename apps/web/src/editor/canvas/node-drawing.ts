// What a node looks like, as data (see svg-element.ts): BPMN 2.0 notation for process elements,
// cards for agent nodes. A handful of plain SVG elements per node, no filters, no
// foreignObject, because a drawing may have thousands of nodes.
import { placeGlyph, type GlyphName } from './glyphs';
import { labelLines } from './label-lines';
import { labelPlacementOf, type EventMarker, type NodeView } from './node-views';
import { svg, type SvgElement } from './svg-element';

/** A node's box, by its centre as LogicFlow keeps it. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The colours of the current theme. */
export interface Ink {
  readonly stroke: string;
  readonly fill: string;
  readonly text: string;
}

/** Element Plus's danger red: SVG presentation attributes cannot read CSS variables. */
export const ISSUE_COLOR = '#F56C6C';

/** Width of the band that holds a pool's or a lane's name. */
const HEADER_BAND = 30;
const CARD_TILE = 28;
/** Height kept free of text for an activity's type marker at the top, or its loop markers at the bottom. */
const MARKER_ZONE = 24;
/** Space between the card's edge, its icon tile and its text. */
const CARD_GAP = 9;

/**
 * The node's shape with its markers. The first child is the outline, which carries the issue
 * colour when validation found a problem on the node.
 */
export function drawNode(view: NodeView, box: Box, ink: Ink, hasIssue = false): SvgElement {
  const outline = hasIssue ? ISSUE_COLOR : ink.stroke;
  const left = box.x - box.width / 2;
  const top = box.y - box.height / 2;
  const right = left + box.width;
  const bottom = top + box.height;
  switch (view.kind) {
    case 'event': {
      const r = Math.min(box.width, box.height) / 2;
      const dashes: Record<string, string> = view.interrupting ? {} : { 'stroke-dasharray': '4 3' };
      const width = view.position === 'end' ? 4 : view.position === 'start' ? 2 : 1.5;
      const rings = [svg.circle(box.x, box.y, r, { fill: ink.fill, stroke: outline, 'stroke-width': width, ...dashes })];
      if (view.position === 'intermediate' || view.position === 'boundary') {
        rings.push(svg.circle(box.x, box.y, r - 3, { fill: 'none', stroke: outline, 'stroke-width': 1.5, ...dashes }));
      }
      const marker = view.marker ? eventGlyph(view.marker, view.throwing) : undefined;
      const size = r * 1.25;
      return svg.g({}, marker ? [...rings, placeGlyph(marker, box.x - size / 2, box.y - size / 2, size, ink.stroke)] : rings);
    }
    case 'activity': {
      const style = {
        rx: 10,
        fill: ink.fill,
        stroke: outline,
        'stroke-width': view.call ? 4 : 2,
        ...(view.triggeredByEvent ? { 'stroke-dasharray': '2 3' } : {}),
      };
      const children = [svg.rect(left, top, box.width, box.height, style)];
      if (view.marker) children.push(placeGlyph(view.marker, left + 6, top + 6, 18, ink.stroke));
      const below: GlyphName[] = [...(view.loop ? [view.loop] : []), ...(view.subProcess === 'collapsed' ? ['collapsed' as const] : [])];
      const size = 14;
      below.forEach((glyph, index) => {
        const x = box.x - (below.length * (size + 2)) / 2 + index * (size + 2) + 1;
        children.push(placeGlyph(glyph, x, bottom - size - 4, size, ink.stroke));
      });
      return svg.g({}, children);
    }
    case 'gateway': {
      const diamond = svg.path(`M${box.x} ${top} L${right} ${box.y} L${box.x} ${bottom} L${left} ${box.y} Z`, {
        fill: ink.fill,
        stroke: outline,
        'stroke-width': 2,
        'stroke-linejoin': 'round',
      });
      const size = Math.min(box.width, box.height) * 0.7;
      return svg.g({}, view.marker ? [diamond, placeGlyph(view.marker, box.x - size / 2, box.y - size / 2, size, ink.stroke)] : [diamond]);
    }
    case 'pool':
    case 'lane':
      return svg.g({}, [
        svg.rect(left, top, box.width, box.height, { fill: ink.fill, stroke: outline, 'stroke-width': view.kind === 'pool' ? 2 : 1.5 }),
        svg.path(`M${left + Math.min(HEADER_BAND, box.width / 5)} ${top} V${bottom}`, { stroke: ink.stroke, 'stroke-width': 1.5 }),
      ]);
    case 'dataObject': {
      const fold = Math.min(box.width, box.height) * 0.28;
      const page = svg.path(`M${left} ${top} H${right - fold} L${right} ${top + fold} V${bottom} H${left} Z`, {
        fill: ink.fill,
        stroke: outline,
        'stroke-width': 1.5,
        'stroke-linejoin': 'round',
      });
      const corner = svg.path(`M${right - fold} ${top} V${top + fold} H${right}`, { fill: 'none', stroke: ink.stroke, 'stroke-width': 1.5 });
      return svg.g({}, [page, corner]);
    }
    case 'annotation':
      return svg.g({}, [
        svg.path(`M${left + 12} ${top} H${left} V${bottom} H${left + 12}`, { fill: 'none', stroke: outline, 'stroke-width': 1.5 }),
        // The open bracket alone is hard to hit: an invisible box takes the clicks.
        svg.rect(left, top, box.width, box.height, { fill: 'transparent', stroke: 'none' }),
      ]);
    case 'group':
      return svg.g({}, [
        svg.rect(left, top, box.width, box.height, { rx: 8, fill: 'none', stroke: outline, 'stroke-width': 1.5, 'stroke-dasharray': '10 4 2 4' }),
        // Only the border takes clicks, so that what the group frames stays clickable.
        svg.rect(left, top, box.width, box.height, { rx: 8, fill: 'none', stroke: 'transparent', 'stroke-width': 10 }),
      ]);
    case 'card': {
      const tileX = left + CARD_GAP;
      return svg.g({}, [
        svg.rect(left, top, box.width, box.height, {
          rx: 10,
          fill: ink.fill,
          stroke: outline,
          'stroke-opacity': hasIssue ? 1 : 0.35,
          'stroke-width': hasIssue ? 2 : 1.5,
        }),
        svg.rect(tileX, box.y - CARD_TILE / 2, CARD_TILE, CARD_TILE, { rx: 7, fill: view.color }),
        placeGlyph(view.icon, tileX + 5, box.y - CARD_TILE / 2 + 5, CARD_TILE - 10, '#FFFFFF'),
      ]);
    }
  }
}

/** Throwing events show their marker filled, where BPMN has a filled variant. */
function eventGlyph(marker: EventMarker, throwing: boolean): GlyphName {
  switch (marker) {
    case 'message':
    case 'error':
    case 'signal':
    case 'escalation':
    case 'link':
    case 'compensation':
      return throwing ? `${marker}Filled` : marker;
    default:
      return marker;
  }
}

/** Text as LogicFlow's theme sets it. */
export interface TextStyle {
  readonly color: string;
  readonly fontSize: number;
}

/** The node's name where its kind of shape shows it, wrapped to fit. */
export function drawLabel(view: NodeView, box: Box, name: string, style: TextStyle, summary?: string): SvgElement | undefined {
  const { fontSize } = style;
  const lineHeight = Math.round(fontSize * 1.25);
  const left = box.x - box.width / 2;
  const top = box.y - box.height / 2;
  const text = (lines: readonly string[], x: number, firstY: number, anchor: 'start' | 'middle', size = fontSize, extra = {}): SvgElement => ({
    tag: 'text',
    attrs: { x, y: firstY, fill: style.color, 'font-size': size, 'text-anchor': anchor, 'dominant-baseline': 'central', ...extra },
    children: lines.map((line, index) => ({ tag: 'tspan', attrs: { x, y: firstY + index * lineHeight }, text: line })),
  });
  switch (labelPlacementOf(view)) {
    case 'inside': {
      const isAnnotation = view.kind === 'annotation';
      const markers = view.kind === 'activity' ? (view.marker ? MARKER_ZONE : 4) + (view.loop || view.subProcess ? MARKER_ZONE : 4) : 8;
      const maxLines = Math.max(1, Math.floor((box.height - markers) / lineHeight));
      const lines = labelLines(name, box.width - (isAnnotation ? 14 : 12), fontSize, maxLines);
      if (lines.length === 0) return undefined;
      // Centred, unless that would run into the type marker in the top-left corner.
      const clearTop = view.kind === 'activity' && view.marker ? top + MARKER_ZONE : top;
      const blockTop = Math.max(box.y - (lines.length * lineHeight) / 2, clearTop);
      const firstY = blockTop + lineHeight / 2;
      return isAnnotation ? text(lines, left + 8, firstY, 'start') : text(lines, box.x, firstY, 'middle');
    }
    case 'below': {
      const label = 'label' in view ? view.label : undefined;
      if (label) {
        // Inside the DI label bounds, centred on them: lines wrap at their width (other tools'
        // fonts differ from ours, so the block may run a little over their height).
        const lines = labelLines(name, Math.max(label.width, 30), fontSize, Math.max(3, Math.ceil(label.height / lineHeight)));
        const firstY = box.y + label.y + label.height / 2 - ((lines.length - 1) * lineHeight) / 2;
        return lines.length > 0 ? text(lines, box.x + label.x + label.width / 2, firstY, 'middle') : undefined;
      }
      const lines = labelLines(name, Math.max(box.width, 90), fontSize, 3);
      return lines.length > 0 ? text(lines, box.x, top + box.height + 6 + lineHeight / 2, 'middle') : undefined;
    }
    case 'top': {
      const lines = labelLines(name, box.width - 20, fontSize, 2);
      return lines.length > 0 ? text(lines, left + 10, top + 6 + lineHeight / 2, 'start') : undefined;
    }
    case 'header': {
      const lines = labelLines(name, box.height - 10, fontSize, 2);
      if (lines.length === 0) return undefined;
      const x = left + HEADER_BAND / 2;
      return svg.g({ transform: `rotate(-90 ${x} ${box.y})` }, [text(lines, x, box.y - ((lines.length - 1) * lineHeight) / 2, 'middle')]);
    }
    case 'card': {
      const x = left + CARD_GAP + CARD_TILE + CARD_GAP;
      const width = box.width - (x - left) - CARD_GAP;
      const title = labelLines(name, width, fontSize + 1, 1);
      const detail = summary ? labelLines(summary, width, fontSize - 1, 1) : [];
      const parts: SvgElement[] = [];
      if (title.length > 0) parts.push(text(title, x, detail.length > 0 ? box.y - 8 : box.y, 'start', fontSize + 1, { 'font-weight': 600 }));
      if (detail.length > 0) parts.push(text(detail, x, title.length > 0 ? box.y + 10 : box.y, 'start', fontSize - 1, { 'fill-opacity': 0.6 }));
      return parts.length > 0 ? svg.g({}, parts) : undefined;
    }
  }
}

/** A palette icon: the canvas picture of the view, small, drawn in the text colour. */
export function drawThumbnail(view: NodeView): { readonly viewBox: string; readonly element: SvgElement } {
  const ink: Ink = { stroke: 'currentColor', fill: 'none', text: 'currentColor' };
  switch (view.kind) {
    case 'card':
      return {
        viewBox: '0 0 24 24',
        element: svg.g({}, [svg.rect(0, 0, 24, 24, { rx: 6, fill: view.color }), placeGlyph(view.icon, 3, 3, 18, '#FFFFFF')]),
      };
    case 'activity': {
      // The marker in the middle: in the corner it would be too small to recognize.
      const frame = svg.rect(2, 6, 40, 32, { rx: 6, fill: 'none', stroke: 'currentColor', 'stroke-width': view.call ? 4 : 2 });
      const glyph = view.marker ?? (view.subProcess ? 'collapsed' : undefined);
      return { viewBox: '0 0 44 44', element: svg.g({}, glyph ? [frame, placeGlyph(glyph, 11, 11, 22, 'currentColor')] : [frame]) };
    }
    case 'event':
      return { viewBox: '-3 -3 42 42', element: drawNode(view, { x: 18, y: 18, width: 36, height: 36 }, ink) };
    case 'gateway':
      return { viewBox: '-2 -2 54 54', element: drawNode(view, { x: 25, y: 25, width: 50, height: 50 }, ink) };
    case 'dataObject':
      return { viewBox: '-8 -2 52 54', element: drawNode(view, { x: 18, y: 25, width: 36, height: 50 }, ink) };
    case 'pool':
    case 'lane':
    case 'annotation':
    case 'group':
      return { viewBox: '-2 -2 64 64', element: drawNode(view, { x: 30, y: 30, width: 60, height: view.kind === 'annotation' ? 40 : 44 }, ink) };
  }
}
