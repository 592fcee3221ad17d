import { describe, expect, it } from 'vitest';
import { projectionFor, toDrawing, toMinimap, unionOf, visibleArea } from './minimap-geometry';

describe('minimap geometry', () => {
  it('bounds a set of rectangles, and nothing when there are none', () => {
    expect(unionOf([{ x: 0, y: 10, width: 100, height: 20 }, { x: -50, y: 40, width: 10, height: 10 }])).toEqual({ x: -50, y: 10, width: 150, height: 40 });
    expect(unionOf([])).toBeUndefined();
  });

  it('reads the visible part of the drawing from LogicFlow’s transform', () => {
    const transform = { SCALE_X: 2, SCALE_Y: 2, TRANSLATE_X: -100, TRANSLATE_Y: 40 };
    expect(visibleArea(transform, { width: 800, height: 600 })).toEqual({ x: 50, y: -20, width: 400, height: 300 });
  });

  it('fits the drawing into the map, centred, with the padding around it', () => {
    const world = { x: 100, y: 100, width: 400, height: 100 };
    const projection = projectionFor(world, { width: 200, height: 140 }, 10);
    expect(projection.scale).toBeCloseTo(180 / 400);
    const drawn = toMinimap(world, projection);
    expect(drawn.x).toBeCloseTo(10);
    expect(drawn.width).toBeCloseTo(180);
    expect(drawn.y + drawn.height / 2).toBeCloseTo(70);
  });

  it('turns a point of the map back into the point of the drawing it shows', () => {
    const projection = projectionFor({ x: -300, y: 50, width: 900, height: 700 }, { width: 200, height: 140 }, 8);
    const point = { x: 123, y: 456 };
    const onMap = toMinimap({ ...point, width: 0, height: 0 }, projection);
    const back = toDrawing(onMap, projection);
    expect(back.x).toBeCloseTo(point.x);
    expect(back.y).toBeCloseTo(point.y);
  });
});
