import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { NodeExecutionError } from './errors';
import { evaluateFeel } from './feel-eval';

// evaluateFeel hands feelin only the variables an expression names; the results must be those of
// feelin over the whole context.
const context = {
  amount: 7200,
  'order total': 99,
  'a-b': 3,
  approvers: ['alice', 'bob'],
  approvals: [{ approver: 'alice', approved: true }, null],
  customer: { name: 'Ada', tier: 'gold' },
  items: Array.from({ length: 1000 }, (_, index) => index),
};

/** evaluateFeel gives feelin's value, or a node error where feelin warns (yielding null) or throws. */
function expectAsFeelin(expression: string, context: Record<string, unknown>): void {
  const expected = (() => {
    try {
      const { value, warnings } = evaluate(expression, context);
      return warnings.length > 0 ? { error: true } : { value };
    } catch {
      return { error: true };
    }
  })();
  const ours = (() => {
    try {
      return { value: evaluateFeel(expression, context, 'node') };
    } catch (error) {
      return { error: error instanceof NodeExecutionError };
    }
  })();
  expect(ours).toEqual(expected);
}

describe('evaluateFeel', () => {
  it.each([
    'amount > 5000',
    'order total + 1',
    'a-b * 2',
    'customer.name',
    'some a in approvals[item != null] satisfies a.approved = false',
    'count(approvals[item != null]) = count(approvers)',
    'for i in 1..3 return i * amount',
    '{approver: customer.name, approved: amount < 10000}',
    'sum(items)',
    'if amount > 5000 then "director" else "manager"',
  ])('gives what feelin gives over the whole context: %s', (expression) => {
    const expected = evaluate(expression, context);
    expect(expected.warnings).toEqual([]);
    expect(evaluateFeel(expression, context, 'node')).toEqual(expected.value);
    // Cached the second time, with the same result.
    expect(evaluateFeel(expression, context, 'node')).toEqual(expected.value);
  });

  it.each(['1', '-2', '3.25', '.5', '0', ' 42 ', '"rejected"', '""', '"中文 text"', 'true', 'false', 'null', '007'])('gives the literal %s as feelin does, without it', (expression) => {
    const expected = evaluate(expression, {});
    expect(expected.warnings).toEqual([]);
    expect(evaluateFeel(expression, {}, 'node')).toStrictEqual(expected.value);
  });

  // Comparisons of a variable with a literal are answered without feelin when the types match.
  const compared = { amount: 7200, small: -3, ratio: 0.5, decision: 'approved', empty: '', missing: null, flag: true, list: [1] };
  it.each([
    ...['=', '!=', '<', '<=', '>', '>='].flatMap((operator) => [`amount ${operator} 7200`, `small ${operator} -3.5`, `ratio${operator}.5`, `decision ${operator} "approved"`, `empty ${operator} ""`, `decision ${operator} "zebra"`]),
    'amount = "7200"',
    'decision > 5',
    'missing = 1',
    'flag = 1',
    'list = 1',
    'true = 1',
  ])('compares as feelin does, with or without it: %s', (expression) => {
    expectAsFeelin(expression, compared);
  });

  // So is arithmetic of a number variable with a number literal (counters, scaling).
  const counted = { count: 3, ratio: 0.1, big: 1e308, text: 'a', missing: null, flag: true, 'total+1': 50, 'n - 1': 8, n: 2, total: 4, x: 1, '\u00a0x - 1': 9, ' y*2': 7, y: 5 };
  it.each([
    ...['+', '-', '*', '/'].flatMap((operator) => [`count ${operator} 1`, `count${operator}2.5`, `ratio ${operator} 0.2`, `count ${operator} -1`, `big ${operator} 10`]),
    'count / 0',
    'count / -0',
    'count ** 2',
    'count--1',
    'text + 1',
    'text + "b"',
    'missing + 1',
    'flag * 2',
    'total+1',
    'n - 1',
    'total + 1',
    'count + "1"',
    // Keys feelin matches once normalized (trimmed, spaces around operators evened out).
    'x - 1',
    'y * 2',
    // A form feed is white space to JavaScript, not to FEEL.
    'count\f+ 1',
    'count\f> 1',
    '\f1',
  ])('calculates as feelin does, with or without it: %s', (expression) => {
    expectAsFeelin(expression, counted);
  });

  it('reads a variable the context gains later, with the same expression', () => {
    expect(() => evaluateFeel('bonus + 1', context, 'pay')).toThrow(/^node "pay": FEEL expression "bonus \+ 1": .*bonus/);
    expect(evaluateFeel('bonus + 1', { ...context, bonus: 2 }, 'pay')).toBe(3);
  });

  it('reports a syntax error naming the node, as feelin words it', () => {
    const failure = (() => {
      try {
        return evaluateFeel('amount >', context, 'gate');
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(NodeExecutionError);
    expect((failure as Error).message).toMatch(/^node "gate": FEEL expression "amount >" failed: /);
  });
});
