import { describe, expect, it } from 'vitest';
import { findFeelContextReads, findFeelSyntaxError, findFeelVariableNames } from './feel';

describe('findFeelSyntaxError', () => {
  it.each(['amount > 5000', 'approved = true and comment != null', 'count + 1', '[1, 2, 3]', 'if x > 1 then "a" else "b"', 'sum(items)'])(
    'accepts %s',
    (expression) => expect(findFeelSyntaxError(expression)).toBeUndefined(),
  );

  it('points at the first character it cannot read', () => {
    expect(findFeelSyntaxError('amount >')).toEqual({ offset: 8 });
    expect(findFeelSyntaxError('foo(')).toEqual({ offset: 4 });
  });

  it('treats a blank expression as an error', () => {
    expect(findFeelSyntaxError('  ')).toEqual({ offset: 0 });
  });
});

describe('findFeelVariableNames', () => {
  it('lists the names an expression reads, paths by their root', () => {
    expect(findFeelVariableNames('sum(results.lineTotal) + item * 2')?.sort()).toEqual(['item', 'results', 'sum']);
  });

  it('gives nothing for an expression that does not parse', () => {
    expect(findFeelVariableNames('item *')).toBeUndefined();
  });
});

describe('findFeelContextReads', () => {
  const names = (expression: string) => findFeelContextReads(expression)?.map((read) => read.name);

  it('lists the names read from the context, with their places, and leaves out function names', () => {
    expect(findFeelContextReads('sum(results.lineTotal) + amount')).toEqual([
      { name: 'results', from: 4, to: 11 },
      { name: 'amount', from: 25, to: 31 },
    ]);
    expect(names('string length(name) > 3 and not(approved)')).toEqual(['name', 'approved']);
  });

  it('leaves out the names an expression binds itself', () => {
    expect(names('for x in items return x * rate')).toEqual(['items', 'rate']);
    expect(names('some y in list satisfies y > amount')).toEqual(['list', 'amount']);
    expect(names('list[item > limit]')).toEqual(['list', 'limit']);
    expect(names('{a: 1, b: a + c}.b')).toEqual(['c']);
    expect(names('(function(p) p + q)(1)')).toEqual(['q']);
  });

  it('gives nothing for an expression that does not parse', () => {
    expect(findFeelContextReads('item *')).toBeUndefined();
  });
});
