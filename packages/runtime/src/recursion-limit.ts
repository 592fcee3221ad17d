import type { FlowDocument } from '@loomflow/graph-schema';

/**
 * LangGraph stops a run after `recursionLimit` supersteps (25 by default), which a drawn 50-node
 * chain or a 40-turn loop exceeds. The limit is derived from the graph so drawn loops run, yet an
 * endless loop still ends; a flow, and then a run, may set its own.
 */
export function recursionLimitFor(flow: Pick<FlowDocument, 'nodes' | 'recursionLimit'>, runOverride?: number): number {
  return runOverride ?? flow.recursionLimit ?? Math.max(1000, 10 * flow.nodes.length);
}
