import { reducerOf } from '../channels';
import { evaluateFeel } from '../feel-eval';
import type { Executor } from './executor';

/**
 * Every value is evaluated over the state as it was when the node started. Several assignments to
 * one channel are first combined in order with that channel's reducer, so the node writes each
 * channel once and the result is what writing them one after another would give.
 */
export const runAssign: Executor = ({ node, state, channels }) => {
  const { assignments } = node.config as { assignments: { key: string; value: string }[] };
  const writes = assignments.map(({ key, value }) => ({ key, value: evaluateFeel(value, state, node.id) }));
  const update: Record<string, unknown> = {};
  for (const { key, value } of writes) {
    const channel = channels.get(key);
    update[key] = key in update && channel ? reducerOf(channel)(update[key], value) : value;
  }
  return { update, output: writes };
};
