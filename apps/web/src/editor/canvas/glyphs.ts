// The small pictures drawn inside nodes: BPMN markers (task types, event definitions, gateway
// types, loop kinds) and the icons of agent nodes. Each is drawn on a 24×24 grid with strokes of
// one colour; `placeGlyph` scales it to where a node wants it. Drawn for Loomflow, after the
// shapes the BPMN 2.0 specification describes.
import { svg, type SvgElement } from './svg-element';

type GlyphPart =
  | { readonly d: string; readonly filled?: boolean; readonly width?: number }
  | { readonly circle: readonly [cx: number, cy: number, r: number]; readonly filled?: boolean; readonly width?: number };

const polar = (radius: number, angle: number): string =>
  `${(12 + radius * Math.cos(angle)).toFixed(2)} ${(12 + radius * Math.sin(angle)).toFixed(2)}`;

/** A cog wheel: each tooth is a trapezoid between the inner and the outer radius. */
function cogPath(teeth: number, outer: number, inner: number): string {
  const step = (2 * Math.PI) / teeth;
  const points: string[] = [];
  for (let tooth = 0; tooth < teeth; tooth += 1) {
    const angle = tooth * step;
    points.push(polar(inner, angle - step * 0.28), polar(outer, angle - step * 0.16), polar(outer, angle + step * 0.16), polar(inner, angle + step * 0.28));
  }
  return `M${points.join(' L')} Z`;
}

/** A regular polygon with a corner at the top. */
function polygonPath(corners: number, radius: number): string {
  const points = Array.from({ length: corners }, (_, corner) => polar(radius, -Math.PI / 2 + (corner * 2 * Math.PI) / corners));
  return `M${points.join(' L')} Z`;
}

const envelope: readonly GlyphPart[] = [{ d: 'M3.5 6.5 H20.5 V17.5 H3.5 Z M3.5 6.5 L12 13 L20.5 6.5' }];
// Thrown messages are black envelopes; the flap is the gap between two filled parts.
const filledEnvelope: readonly GlyphPart[] = [
  { d: 'M3.5 6.5 H20.5 L12 12.6 Z', filled: true, width: 1 },
  { d: 'M3.5 8.6 L12 14.8 L20.5 8.6 V17.5 H3.5 Z', filled: true, width: 1 },
];

const glyphParts = {
  // Task types
  user: [{ circle: [12, 8, 3.8] }, { d: 'M4.5 20.5 V19.5 C4.5 16 7.8 14 12 14 S19.5 16 19.5 19.5 V20.5 Z' }],
  service: [{ d: cogPath(8, 9.5, 7) }, { circle: [12, 12, 3] }],
  script: [
    { d: 'M8 3.5 H18.5 C16.5 5.5 16.5 7.5 18 9.5 S19.5 14.5 17.5 16.5 C15.5 18.5 16 19.5 16.5 20.5 H6 C7.5 19 7.5 17 6 15 S4.5 10 6.5 8 C8.5 6 8.5 5 8 3.5 Z' },
    { d: 'M8.5 8 H15 M8 12 H15.5 M8 16 H14.5', width: 1.4 },
  ],
  send: filledEnvelope,
  receive: envelope,
  manual: [
    { d: 'M3 10.5 H8 L11.5 6.5 H14.5 L12.5 10 H20 C21.5 10 21.5 12.3 20 12.3 H14 M20 12.3 C21.4 12.3 21.4 14.6 20 14.6 H14 M19.3 14.6 C20.7 14.6 20.7 16.9 19.3 16.9 H14 M18.3 16.9 C19.6 16.9 19.6 19 18.3 19 H3 Z' },
  ],
  businessRule: [{ d: 'M3.5 5 H20.5 V19 H3.5 Z M3.5 14 H20.5 M8.5 9 V19' }, { d: 'M3.5 5 H20.5 V9 H3.5 Z', filled: true, width: 1 }],

  // Event definitions; the `…Filled` variants are the throwing ones.
  message: envelope,
  messageFilled: filledEnvelope,
  timer: [{ circle: [12, 12, 8.5] }, { d: 'M12 6.5 V12 L15.5 14.5' }, { d: 'M12 3.5 V5 M20.5 12 H19 M12 20.5 V19 M3.5 12 H5', width: 1.2 }],
  error: [{ d: 'M4.5 19.5 L8.5 7.5 L13 13.5 L19.5 4.5 L15.5 16.5 L11 10.5 Z', width: 1.5 }],
  errorFilled: [{ d: 'M4.5 19.5 L8.5 7.5 L13 13.5 L19.5 4.5 L15.5 16.5 L11 10.5 Z', filled: true, width: 1.5 }],
  signal: [{ d: 'M12 4 L20.5 18.5 H3.5 Z' }],
  signalFilled: [{ d: 'M12 4 L20.5 18.5 H3.5 Z', filled: true }],
  escalation: [{ d: 'M12 3.5 L18.5 19.5 L12 14 L5.5 19.5 Z' }],
  escalationFilled: [{ d: 'M12 3.5 L18.5 19.5 L12 14 L5.5 19.5 Z', filled: true }],
  conditional: [{ d: 'M6 3.5 H18 V20.5 H6 Z' }, { d: 'M8.5 7.5 H15.5 M8.5 10.5 H15.5 M8.5 13.5 H15.5 M8.5 16.5 H15.5', width: 1.4 }],
  link: [{ d: 'M3.5 9 H12.5 V5 L20.5 12 L12.5 19 V15 H3.5 Z' }],
  linkFilled: [{ d: 'M3.5 9 H12.5 V5 L20.5 12 L12.5 19 V15 H3.5 Z', filled: true }],
  compensation: [{ d: 'M11.5 6 L4 12 L11.5 18 Z M20 6 L12.5 12 L20 18 Z' }],
  compensationFilled: [{ d: 'M11.5 6 L4 12 L11.5 18 Z M20 6 L12.5 12 L20 18 Z', filled: true }],
  cancel: [{ d: 'M6 6 L18 18 M18 6 L6 18', width: 3.2 }],
  terminate: [{ circle: [12, 12, 8], filled: true }],

  // Gateway types
  exclusive: [{ d: 'M6.5 6.5 L17.5 17.5 M17.5 6.5 L6.5 17.5', width: 3.4 }],
  parallel: [{ d: 'M12 4.5 V19.5 M4.5 12 H19.5', width: 3.4 }],
  inclusive: [{ circle: [12, 12, 7], width: 2.6 }],
  eventBased: [{ circle: [12, 12, 9.5], width: 1 }, { circle: [12, 12, 8], width: 1 }, { d: polygonPath(5, 5), width: 1.2 }],
  complex: [{ d: 'M12 4.5 V19.5 M4.5 12 H19.5 M6.7 6.7 L17.3 17.3 M17.3 6.7 L6.7 17.3', width: 2.8 }],

  // Loop kinds and the collapsed sub-process
  loop: [{ d: 'M16.6 17.6 A7 7 0 1 0 7.4 17.6' }, { d: 'M7.4 13 V17.6 H2.8' }],
  parallelInstances: [{ d: 'M7 5 V19 M12 5 V19 M17 5 V19', width: 2.4 }],
  sequentialInstances: [{ d: 'M5 7 H19 M5 12 H19 M5 17 H19', width: 2.4 }],
  collapsed: [{ d: 'M4.5 4.5 H19.5 V19.5 H4.5 Z', width: 1.5 }, { d: 'M12 8 V16 M8 12 H16', width: 1.8 }],

  // Agent node icons
  sparkles: [
    { d: 'M11 4 L12.9 10.1 L19 12 L12.9 13.9 L11 20 L9.1 13.9 L3 12 L9.1 10.1 Z', filled: true, width: 1 },
    { d: 'M18.5 2.5 L19.3 4.7 L21.5 5.5 L19.3 6.3 L18.5 8.5 L17.7 6.3 L15.5 5.5 L17.7 4.7 Z', filled: true, width: 0.8 },
  ],
  wrench: [{ d: 'M19 10 A5 5 0 1 1 14 5 V10 Z', width: 2 }, { d: 'M11.5 12.5 L4.5 19.5', width: 3 }],
  cycle: [{ d: 'M19.5 12 A7.5 7.5 0 1 1 17.3 6.7' }, { d: 'M18.5 2.8 V7.2 H14.1' }],
  signpost: [{ d: 'M3.5 12 H9.5 L17 6 M9.5 12 H17 M9.5 12 L17 18' }, { circle: [18.5, 6, 2], filled: true }, { circle: [18.5, 12, 2], filled: true }, { circle: [18.5, 18, 2], filled: true }],
  branch: [{ d: 'M12 21 V13 L6 6.5 M12 13 L18 6.5' }, { d: 'M5.5 10.5 V6 H10 M18.5 10.5 V6 H14' }],
  person: [{ circle: [12, 8, 4] }, { d: 'M4.5 20.5 C4.5 16.3 7.8 14 12 14 S19.5 16.3 19.5 20.5' }],
  code: [{ d: 'M8 6.5 L2.8 12 L8 17.5 M16 6.5 L21.2 12 L16 17.5 M13.8 4.5 L10.2 19.5' }],
  globe: [{ circle: [12, 12, 9] }, { d: 'M3 12 H21 M12 3 C15.5 6.5 15.5 17.5 12 21 C8.5 17.5 8.5 6.5 12 3' }],
  braces: [
    { d: 'M9 4 C7 4 6.8 5 6.8 6.8 V9.8 C6.8 11 6 11.8 4.8 12 C6 12.2 6.8 13 6.8 14.2 V17.2 C6.8 19 7 20 9 20' },
    { d: 'M15 4 C17 4 17.2 5 17.2 6.8 V9.8 C17.2 11 18 11.8 19.2 12 C18 12.2 17.2 13 17.2 14.2 V17.2 C17.2 19 17 20 15 20' },
  ],
  assign: [{ d: 'M3.5 9 H11.5 M3.5 15 H11.5' }, { d: 'M14 12 H20.5 M17.5 9 L20.5 12 L17.5 15' }],
  search: [{ circle: [10.5, 10.5, 6.5] }, { d: 'M15.3 15.3 L20.5 20.5', width: 2.4 }],
  nested: [{ d: 'M3.5 4.5 H20.5 V19.5 H3.5 Z' }, { d: 'M7.5 9.5 H11 V14.5 H7.5 Z M13 9.5 H16.5 V14.5 H13 Z M11 12 H13', width: 1.4 }],
  stack: [{ d: 'M4 8.5 H15.5 V20 H4 Z' }, { d: 'M7.5 5 H19 V16.5', width: 1.6 }, { d: 'M10.8 2 H22 V13.2', width: 1.2 }],
  plug: [{ d: 'M9 3 V8 M15 3 V8 M6 8 H18 V11 A6 6 0 0 1 6 11 Z M12 17 V21.5' }],
  play: [{ d: 'M8 5 L19 12 L8 19 Z', filled: true }],
  stop: [{ d: 'M6.5 6.5 H17.5 V17.5 H6.5 Z', filled: true }],
  database: [{ d: 'M5 6 C5 2.7 19 2.7 19 6 C19 9.3 5 9.3 5 6 Z M5 6 V18 C5 21.3 19 21.3 19 18 V6 M5 12 C5 15.3 19 15.3 19 12' }],
  box: [{ d: 'M4 7.5 L12 3.5 L20 7.5 V16.5 L12 20.5 L4 16.5 Z M4 7.5 L12 11.5 L20 7.5 M12 11.5 V20.5' }],
} as const satisfies Record<string, readonly GlyphPart[]>;

export type GlyphName = keyof typeof glyphParts;

export const glyphNames = Object.keys(glyphParts) as GlyphName[];

/**
 * The glyph scaled to `size` with its top-left corner at (`x`, `y`), in `color`. Its group carries
 * `data-glyph`, which tests and scripts look for.
 */
export function placeGlyph(name: GlyphName, x: number, y: number, size: number, color: string): SvgElement {
  const parts: readonly GlyphPart[] = glyphParts[name];
  const children = parts.map((part) => {
    const paint = {
      fill: part.filled ? color : 'none',
      stroke: color,
      'stroke-width': part.width ?? 1.8,
      'stroke-linecap': 'round',
      'stroke-linejoin': 'round',
    };
    return 'circle' in part ? svg.circle(...part.circle, paint) : svg.path(part.d, paint);
  });
  return svg.g({ 'data-glyph': name, transform: `translate(${round(x)} ${round(y)}) scale(${round(size / 24)})` }, children);
}

const round = (value: number) => Math.round(value * 1000) / 1000;
