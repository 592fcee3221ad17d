// Pictures of the drawing: a standalone SVG of what LogicFlow has drawn, and a PNG rasterised from
// it. LogicFlow's Snapshot plugin copies every stylesheet of the page into the file and keeps the
// app's class names; here each element instead gets the computed values of the few properties
// that paint it, so the SVG looks the same in any viewer and carries no CSS, no classes to resolve
// and nothing of Element Plus. Interaction chrome (anchors, hit areas, resize handles) is left out.
import type { LogicFlow } from '@logicflow/core';
import { drawEverything } from './canvas-viewport';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Room around the drawing in the picture, in drawing units. */
const MARGIN = 24;

/** Classes of what LogicFlow draws for editing rather than for the picture. */
const CHROME_CLASSES = ['lf-anchor', 'lf-node-anchor', 'lf-edge-append', 'lf-outline', 'lf-rotate-control', 'lf-edge-adjust-point', 'lf-bezier-adjust-anchor'];

/** Inherited properties that paint SVG shapes and text; written where they differ from the parent's. */
const INHERITED_PROPERTIES = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'letter-spacing',
] as const;

/**
 * Browsers limit a canvas to about 16k pixels a side and 268 million pixels in all (Chromium);
 * a larger drawing is rasterised at a smaller scale rather than not at all.
 */
const MAX_CANVAS_SIDE = 16_384;
const MAX_CANVAS_AREA = 16_384 * 16_384;

export interface DrawingSvg {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

/** The whole drawing as a standalone SVG document, on the canvas's background. */
export async function drawingToSvg(lf: LogicFlow, title: string): Promise<DrawingSvg> {
  return withWholeDrawing(lf, () => {
    const base = lf.container.querySelector<SVGGElement>('.lf-canvas-overlay .lf-base');
    if (!base) throw new Error('the canvas has not drawn anything yet');
    const box = base.getBBox();
    const x = Math.floor(box.x - MARGIN);
    const y = Math.floor(box.y - MARGIN);
    const width = Math.ceil(box.width + 2 * MARGIN);
    const height = Math.ceil(box.height + 2 * MARGIN);

    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('xmlns', SVG_NS);
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `${x} ${y} ${width} ${height}`);
    const titleElement = document.createElementNS(SVG_NS, 'title');
    titleElement.textContent = title;
    const background = document.createElementNS(SVG_NS, 'rect');
    for (const [name, value] of Object.entries({ x, y, width, height })) background.setAttribute(name, String(value));
    background.setAttribute('fill', backgroundOf(lf.container));
    const drawing = base.cloneNode(true) as SVGGElement;
    inlineStyles(base, drawing, undefined);
    svg.append(titleElement, background, drawing);
    return { svg: new XMLSerializer().serializeToString(svg), width, height };
  });
}

/** Rasterises an SVG document at the screen's pixel density (at least 1, at most 2). */
export async function svgToPng({ svg, width, height }: DrawingSvg): Promise<Blob> {
  const density = Math.min(Math.max(window.devicePixelRatio || 1, 1), 2);
  const scale = Math.min(density, MAX_CANVAS_SIDE / width, MAX_CANVAS_SIDE / height, Math.sqrt(MAX_CANVAS_AREA / (width * height)));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.floor(width * scale));
  canvas.height = Math.max(1, Math.floor(height * scale));
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser cannot draw on a canvas');
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
  } finally {
    URL.revokeObjectURL(url);
  }
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the picture is too large to encode'))), 'image/png');
  });
}

/**
 * The canvas draws only what is near its view (canvas-viewport.ts); the picture needs every
 * element, so the whole document is drawn until the copy is taken.
 */
async function withWholeDrawing<Result>(lf: LogicFlow, take: () => Result): Promise<Result> {
  const goBack = await drawEverything(lf);
  try {
    return take();
  } finally {
    goBack();
  }
}

/** The colour the canvas shows behind the drawing: the first opaque background up the tree. */
function backgroundOf(element: Element): string {
  for (let current: Element | null = element; current; current = current.parentElement) {
    const colour = getComputedStyle(current).backgroundColor;
    if (colour && colour !== 'transparent' && colour !== 'rgba(0, 0, 0, 0)') return colour;
  }
  return '#ffffff';
}

/**
 * Walks the drawn elements and their copies side by side: hidden elements and editing chrome are
 * removed from the copy, and each copied element gets the paint it has on screen as inline style.
 */
function inlineStyles(original: Element, copy: Element, parentStyle: CSSStyleDeclaration | undefined): void {
  const style = getComputedStyle(original);
  const declarations: string[] = [];
  for (const property of INHERITED_PROPERTIES) {
    const value = style.getPropertyValue(property);
    // The root writes everything; below it, a value equal to the parent's is inherited anyway,
    // unless an attribute on the element would override the inherited one.
    if (!parentStyle || value !== parentStyle.getPropertyValue(property) || original.hasAttribute(property)) declarations.push(`${property}:${value}`);
  }
  if (style.opacity !== '1') declarations.push(`opacity:${style.opacity}`);
  if (declarations.length > 0) copy.setAttribute('style', declarations.join(';'));
  else copy.removeAttribute('style');
  copy.removeAttribute('class');

  const originals = [...original.children];
  const copies = [...copy.children];
  originals.forEach((child, index) => {
    const childCopy = copies[index];
    if (!childCopy) return;
    if (isLeftOut(child)) childCopy.remove();
    else inlineStyles(child, childCopy, style);
  });
}

function isLeftOut(element: Element): boolean {
  if (CHROME_CLASSES.some((name) => element.classList.contains(name))) return true;
  const style = getComputedStyle(element);
  return style.display === 'none' || style.visibility === 'hidden';
}
