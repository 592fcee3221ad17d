// A sub-flow node written out as code: the flow it runs becomes a graph of the project's own
// (`src/flows/<flow id>/`, written by the project writer), invoked inside the node as the
// runtime's subflow executor invokes it (executors/subflow.ts).
import type { NodeGenerator } from './generator-context';
import { NodeRefusal } from './refusal';

const literal = (value: unknown) => JSON.stringify(value);

/**
 * agent.subflow: the inputs are FEEL over this flow's state, the sub-flow's graph is invoked with
 * the node's config (so it checkpoints in the node's place of the thread and a pause inside
 * pauses the run), and the outputs map the sub-flow's channels back.
 */
const subflow: NodeGenerator = (context) => {
  const { node } = context;
  const { flowId, inputs, outputs } = node.config as { flowId: string; inputs: Record<string, string>; outputs: Record<string, string> };
  const { graph, outputs: given } = context.subflow(flowId);
  // Checked here: the runtime finds out when the sub-flow has ended.
  const missing = Object.values(outputs).filter((channel) => !given.includes(channel));
  if (missing.length > 0) throw new NodeRefusal(`sub-flow "${flowId}" has no output channel ${missing.map((channel) => `"${channel}"`).join(', ')} to return`);
  const input = Object.entries(inputs).map(([channel, expression]) => `${literal(channel)}: ${context.feel(expression)}`);
  const update = Object.entries(outputs).map(([channel, from]) => `${literal(channel)}: result[${literal(from)}] as ${context.typeOf(channel)}`);
  return {
    body: [
      `const input = { ${input.join(', ')} };`,
      `const result = await ${graph}.invoke(input as Parameters<typeof ${graph}.invoke>[0], config);`,
      `return { ${update.join(', ')} };`,
    ].join('\n'),
    async: true,
    config: true,
  };
};

/** Generators of the node types that run another flow. */
export const flowGenerators: Readonly<Record<string, NodeGenerator>> = {
  'agent.subflow': subflow,
};
