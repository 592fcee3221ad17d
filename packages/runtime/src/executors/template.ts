import { replacePlaceholders } from '@loomflow/graph-schema';
import { DETERMINISTIC, NodeExecutionError } from '../errors';
import type { Executor, State } from './executor';

function lookup(state: State, path: string): unknown {
  let value: unknown = state;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Fills `{{channel}}` and `{{channel.field}}` placeholders from the state. A placeholder with no
 * value is an error that lists every missing one, rather than text with silent gaps.
 */
export function renderTemplate(template: string, state: State, nodeId: string): string {
  const missing = new Set<string>();
  const text = replacePlaceholders(template, (path) => {
    const value = lookup(state, path);
    if (value === undefined) {
      missing.add(path);
      return '';
    }
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
  if (missing.size > 0) {
    throw new NodeExecutionError(nodeId, 'template', `the template refers to ${[...missing].map((path) => `"${path}"`).join(', ')}, which the state does not have`, DETERMINISTIC);
  }
  return text;
}

export const runTemplate: Executor = ({ node, state }) => {
  const config = node.config as { template: string; output: string };
  const text = renderTemplate(config.template, state, node.id);
  return { update: { [config.output]: text } };
};
