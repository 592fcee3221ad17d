import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { NodeExecutionError } from '../errors';
import { evaluateFeel } from '../feel-eval';
import type { Executor } from './executor';

/** A compiled sub-flow, as the builder provides it. */
export interface SubflowRunner {
  invoke(input: Record<string, unknown>, config: LangGraphRunnableConfig): Promise<Record<string, unknown>>;
}

/**
 * Runs another flow as a LangGraph subgraph: invoked inside this node with this node's config,
 * it checkpoints under its own namespace of the same thread, so it pauses and resumes with it.
 */
export function createSubflowExecutor(load: (flowId: string, version: number | undefined, nodeId: string) => Promise<SubflowRunner>): Executor {
  return async ({ node, state, config }) => {
    const { flowId, version, inputs, outputs } = node.config as {
      flowId: string;
      version?: number;
      inputs: Record<string, string>;
      outputs: Record<string, string>;
    };
    const subflow = await load(flowId, version, node.id);
    const input = Object.fromEntries(Object.entries(inputs).map(([channel, expression]) => [channel, evaluateFeel(expression, state, node.id)]));
    const result = await subflow.invoke(input, config);
    const update: Record<string, unknown> = {};
    for (const [parentChannel, subChannel] of Object.entries(outputs)) {
      if (!(subChannel in result)) {
        throw new NodeExecutionError(node.id, 'subflow.output', `sub-flow "${flowId}" has no channel "${subChannel}" to return as "${parentChannel}"`);
      }
      update[parentChannel] = result[subChannel];
    }
    return { update, output: result };
  };
}
