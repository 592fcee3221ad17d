// Node drawings are described as plain data first and only then turned into elements, so that one
// description serves LogicFlow's Preact views on the canvas, the Vue icons of the palette, and the
// tests, which can read what a node shows without a DOM.

export type SvgTag = 'g' | 'path' | 'circle' | 'rect' | 'text' | 'tspan' | 'title';

export type SvgAttributes = Readonly<Record<string, string | number>>;

export interface SvgElement {
  readonly tag: SvgTag;
  /** Attribute names as SVG spells them (`stroke-width`), which both Preact and Vue pass through. */
  readonly attrs: SvgAttributes;
  readonly children?: readonly SvgElement[];
  /** Text content, for `text`, `tspan` and `title`. */
  readonly text?: string;
}

export const svg = {
  g: (attrs: SvgAttributes, children: readonly SvgElement[]): SvgElement => ({ tag: 'g', attrs, children }),
  path: (d: string, attrs: SvgAttributes): SvgElement => ({ tag: 'path', attrs: { d, ...attrs } }),
  circle: (cx: number, cy: number, r: number, attrs: SvgAttributes): SvgElement => ({ tag: 'circle', attrs: { cx, cy, r, ...attrs } }),
  rect: (x: number, y: number, width: number, height: number, attrs: SvgAttributes): SvgElement => ({
    tag: 'rect',
    attrs: { x, y, width, height, ...attrs },
  }),
};

/** Every element of a drawing, depth first: what the tests search for markers in. */
export function* walkSvg(element: SvgElement): Generator<SvgElement> {
  yield element;
  for (const child of element.children ?? []) yield* walkSvg(child);
}
