import { describe, expect, it } from 'vitest';
import { glyphNames, placeGlyph } from './glyphs';

describe('glyphs', () => {
  it('draws each glyph inside its 24×24 grid, in the colour asked for', () => {
    for (const name of glyphNames) {
      const glyph = placeGlyph(name, 0, 0, 24, '#123456');
      expect(glyph.children?.length, name).toBeGreaterThan(0);
      for (const part of glyph.children ?? []) {
        expect(part.attrs.stroke, name).toBe('#123456');
        const numbers = String(part.attrs.d ?? '').match(/-?\d+(\.\d+)?/g)?.map(Number) ?? [];
        // Absolute path commands only, so every coordinate is a point of the grid.
        for (const value of numbers) expect(value >= -0.5 && value <= 24.5, `${name}: ${value}`).toBe(true);
      }
    }
  });

  it('scales and moves a glyph to the place it is put', () => {
    expect(placeGlyph('user', 10, 20, 12, '#000').attrs).toEqual({ 'data-glyph': 'user', transform: 'translate(10 20) scale(0.5)' });
  });
});
