import { describe, expect, it } from 'vitest';
import { recursionLimitFor } from './recursion-limit';

const nodes = (count: number) => Array.from({ length: count }, (_, index) => ({ id: `n${index}`, type: 'agent.assign', position: { x: 0, y: 0 }, config: {} }));

describe('recursionLimitFor', () => {
  it('gives small flows room for long drawn loops', () => {
    expect(recursionLimitFor({ nodes: nodes(3) })).toBe(1000);
  });

  it('grows with the graph', () => {
    expect(recursionLimitFor({ nodes: nodes(200) })).toBe(2000);
  });

  it('lets the flow, then the run, override it', () => {
    expect(recursionLimitFor({ nodes: nodes(3), recursionLimit: 50 })).toBe(50);
    expect(recursionLimitFor({ nodes: nodes(3), recursionLimit: 50 }, 7)).toBe(7);
  });
});
