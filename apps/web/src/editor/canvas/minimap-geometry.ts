// The arithmetic of the minimap: which part of the drawing it shows, where a node or the visible
// area lands in it, and which point of the drawing a click on it means.

/** A rectangle by its top-left corner. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Minimap point = (drawing point − origin) × scale. */
export interface Projection {
  readonly scale: number;
  readonly originX: number;
  readonly originY: number;
}

/** LogicFlow's view transform: screen point = drawing point × scale + translation. */
export interface ViewTransform {
  readonly SCALE_X: number;
  readonly SCALE_Y: number;
  readonly TRANSLATE_X: number;
  readonly TRANSLATE_Y: number;
}

export function unionOf(rects: Iterable<Rect>): Rect | undefined {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const rect of rects) {
    left = Math.min(left, rect.x);
    top = Math.min(top, rect.y);
    right = Math.max(right, rect.x + rect.width);
    bottom = Math.max(bottom, rect.y + rect.height);
  }
  return left === Infinity ? undefined : { x: left, y: top, width: right - left, height: bottom - top };
}

/** The part of the drawing the canvas shows, in drawing coordinates. */
export function visibleArea(transform: ViewTransform, canvas: { readonly width: number; readonly height: number }): Rect {
  return {
    x: -transform.TRANSLATE_X / transform.SCALE_X,
    y: -transform.TRANSLATE_Y / transform.SCALE_Y,
    width: canvas.width / transform.SCALE_X,
    height: canvas.height / transform.SCALE_Y,
  };
}

/** Fits `world` into a `width` × `height` frame, centred, with `padding` pixels around it. */
export function projectionFor(world: Rect, frame: { readonly width: number; readonly height: number }, padding: number): Projection {
  const scale = Math.min((frame.width - 2 * padding) / Math.max(world.width, 1), (frame.height - 2 * padding) / Math.max(world.height, 1));
  return {
    scale,
    originX: world.x + world.width / 2 - frame.width / 2 / scale,
    originY: world.y + world.height / 2 - frame.height / 2 / scale,
  };
}

export function toMinimap(rect: Rect, { scale, originX, originY }: Projection): Rect {
  return { x: (rect.x - originX) * scale, y: (rect.y - originY) * scale, width: rect.width * scale, height: rect.height * scale };
}

export function toDrawing(point: Point, { scale, originX, originY }: Projection): Point {
  return { x: point.x / scale + originX, y: point.y / scale + originY };
}
