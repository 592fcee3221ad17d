import { describe, expect, it } from 'vitest';
import { findFeelSyntaxError, findFeelVariableNames } from './feel';

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
