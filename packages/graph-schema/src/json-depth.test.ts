import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_JSON_DEPTH, findJsonDepthExcess } from './json-depth';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('findJsonDepthExcess', () => {
  it('accepts text up to the limit and names the bracket that goes over it', () => {
    expect(findJsonDepthExcess(nested(DEFAULT_MAX_JSON_DEPTH))).toBeUndefined();
    expect(findJsonDepthExcess(nested(DEFAULT_MAX_JSON_DEPTH + 1))).toEqual({ depth: DEFAULT_MAX_JSON_DEPTH + 1, offset: DEFAULT_MAX_JSON_DEPTH });
    expect(findJsonDepthExcess(nested(5000), 10)).toEqual({ depth: 11, offset: 10 });
  });

  it('counts objects and arrays alike, and depth that closes again does not add up', () => {
    expect(findJsonDepthExcess('{"a":[{"b":[1]}]}', 4)).toBeUndefined();
    expect(findJsonDepthExcess('{"a":[{"b":[1]}]}', 3)).toEqual({ depth: 4, offset: 11 });
    expect(findJsonDepthExcess(`[${Array.from({ length: 1000 }, () => '[[1]]').join(',')}]`, 3)).toBeUndefined();
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(findJsonDepthExcess(JSON.stringify({ text: '[[[[[[{{{{{{' }), 2)).toBeUndefined();
    expect(findJsonDepthExcess(JSON.stringify({ text: 'say \\"[[[[" and "{{{{' }), 2)).toBeUndefined();
    expect(findJsonDepthExcess(JSON.stringify(['\\', [[['x']]]]), 3)).toEqual({ depth: 4, offset: 8 });
  });
});
