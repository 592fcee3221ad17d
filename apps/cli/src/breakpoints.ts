import type { Breakpoints } from '@loomflow/runtime';
import { UsageError } from './command';
import { flowNodeIds } from './flow-check';

/** The options `run` and `resume` share to pause a run; parseArgs gives each as a list. */
export const breakpointOptions = {
  'breakpoint-before': { type: 'string', multiple: true },
  'breakpoint-after': { type: 'string', multiple: true },
} as const;

export const breakpointHelp = `  --breakpoint-before node,…  Pause before these nodes (repeatable); breakpoints hold for this
                              command only: give them again to \`resume\` to pause further on
  --breakpoint-after node,…   Pause after these nodes (repeatable)`;

/**
 * The breakpoints given on the command line, as node ids of the (valid) flow. A node id the flow
 * does not have is a usage error rather than a breakpoint that silently never fires.
 */
export function breakpointsFor(values: { readonly 'breakpoint-before'?: string[]; readonly 'breakpoint-after'?: string[] }, flow: unknown): Breakpoints {
  const known = flowNodeIds(flow);
  const nodes = (option: 'breakpoint-before' | 'breakpoint-after') => {
    const given = values[option];
    if (!given) return undefined;
    const nodeIds = given.flatMap((value) => value.split(',')).map((nodeId) => nodeId.trim()).filter(Boolean);
    const unknown = nodeIds.filter((nodeId) => !known.has(nodeId));
    if (unknown.length > 0) throw new UsageError(`--${option} names ${unknown.map((nodeId) => `"${nodeId}"`).join(', ')}, which the flow has no node for`);
    return nodeIds;
  };
  return { before: nodes('breakpoint-before'), after: nodes('breakpoint-after') };
}
