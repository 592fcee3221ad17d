import type { ToolConfig } from '@loomflow/graph-schema';
import { resolveTools } from '../tools/node-tools';
import { runToolCalls, type ToolPolicy } from '../tools/run-tool-calls';
import { conversationIn } from './conversation';
import type { Executor } from './executor';

interface ToolsConfig extends ToolPolicy {
  readonly tools: readonly ToolConfig[];
  readonly messages: string;
}

/**
 * Runs the tool calls of the conversation's last model message (the model's `tools` port leads
 * here) and appends their answers, so that the model, called again, reads them.
 */
export const runTools: Executor = async (context) => {
  const { node, state } = context;
  const settings = node.config as unknown as ToolsConfig;
  const answers = await runToolCalls(context, await resolveTools(context, settings.tools), conversationIn(state, settings.messages), settings);
  return { update: { [settings.messages]: answers }, output: answers.map((answer) => ({ tool: answer.name, status: answer.status, content: answer.content })) };
};
