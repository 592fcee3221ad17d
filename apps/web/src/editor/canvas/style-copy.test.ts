import { describe, expect, it } from 'vitest';
import { copyStyle, customStyleOf } from './style-copy';

describe('copyStyle', () => {
  it('copies nested style data as deeply as cloneDeep, into plain objects', () => {
    const rect = { stroke: '#474747', shadow: { dx: 0, dy: 0, floodColor: '#9CA1AA55' }, dash: [3, 2] };
    const copy = copyStyle(rect);
    expect(copy).toEqual(rect);
    expect(copy.shadow).not.toBe(rect.shadow);
    expect(copy.dash).not.toBe(rect.dash);
  });

  it('reads objects through their keys, as a MobX observable theme is read, into plain data', () => {
    const theme = new Proxy({ fill: '#fff', shadow: { dx: 1 } }, {});
    const copy = copyStyle(theme);
    expect(copy).toEqual({ fill: '#fff', shadow: { dx: 1 } });
    expect(Object.getPrototypeOf(copy.shadow)).toBe(Object.prototype);
  });
});

describe('customStyleOf', () => {
  it('is the element’s own style, or nothing', () => {
    expect(customStyleOf({ style: { stroke: 'red' } })).toEqual({ stroke: 'red' });
    expect(customStyleOf({})).toEqual({});
    expect(customStyleOf({ style: 'red' })).toEqual({});
  });
});
