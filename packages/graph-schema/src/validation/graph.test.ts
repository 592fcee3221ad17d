import { describe, expect, it } from 'vitest';
import { reachableFrom, stronglyConnectedComponents } from './graph';

const adjacency = new Map([
  ['a', ['b']],
  ['b', ['c', 'a']],
  ['c', ['c']],
  ['d', ['a']],
]);

describe('graph helpers', () => {
  it('finds what is reachable from the roots', () => {
    expect([...reachableFrom(['a'], adjacency)].sort()).toEqual(['a', 'b', 'c']);
    expect([...reachableFrom([], adjacency)]).toEqual([]);
  });

  it('finds strongly connected components, self-loops included', () => {
    const components = stronglyConnectedComponents(['a', 'b', 'c', 'd'], adjacency).map((component) => [...component].sort());
    expect(components).toEqual(expect.arrayContaining([['a', 'b'], ['c'], ['d']]));
    expect(components).toHaveLength(3);
  });

  it('handles a 100,000-node chain without overflowing the stack', () => {
    const ids = Array.from({ length: 100_000 }, (_, index) => `n${index}`);
    const chain = new Map(ids.slice(0, -1).map((id, index) => [id, [ids[index + 1] as string]]));
    expect(stronglyConnectedComponents(ids, chain)).toHaveLength(100_000);
  });
});
