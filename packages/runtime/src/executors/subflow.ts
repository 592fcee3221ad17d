import { DETERMINISTIC, NodeExecutionError } from '../errors';
import { evaluateFeel } from '../feel-eval';
import type { Executor } from './executor';

/**
 * Runs another flow as a LangGraph subgraph: invoked inside this node with this node's config,
 * it checkpoints under its own namespace of the same thread, so it pauses and resumes with it.
 */
export const runSubflow: Executor = async ({ node, state, config, loadSubflow }) => {
  const { flowId, version, inputs, outputs } = node.config as {
    flowId: string;
    version?: number;
    inputs: Record<string, string>;
    outputs: Record<string, string>;
  };
  if (!loadSubflow) throw new NodeExecutionError(node.id, 'subflow', 'this runtime was given no way to load sub-flows', DETERMINISTIC);
  const subflow = await loadSubflow(flowId, version, node.id);
  const input = Object.fromEntries(Object.entries(inputs).map(([channel, expression]) => [channel, evaluateFeel(expression, state, node.id)]));
  const result = await subflow.invoke(input, config);
  const update: Record<string, unknown> = {};
  for (const [parentChannel, subChannel] of Object.entries(outputs)) {
    if (!(subChannel in result)) {
      throw new NodeExecutionError(node.id, 'subflow.output', `sub-flow "${flowId}" has no channel "${subChannel}" to return as "${parentChannel}"`, DETERMINISTIC);
    }
    update[parentChannel] = result[subChannel];
  }
  return { update, output: result };
};
