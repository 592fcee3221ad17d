import { HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { ModelConfig, StructuredOutputMethod } from '@loomflow/graph-schema';
import { DETERMINISTIC, NodeExecutionError } from '../errors';
import type { Executor } from './executor';
import { callModel, textOf } from './model-call';
import { resolveTools } from '../tools/node-tools';
import { conversationIn } from './conversation';
import { renderTemplate } from './template';

interface LlmConfig {
  readonly model: ModelConfig;
  readonly systemPrompt: string;
  readonly prompt: string;
  readonly responseSchema?: Record<string, unknown>;
  readonly structuredOutput: StructuredOutputMethod;
  readonly output: string;
  readonly stream: boolean;
}

/**
 * Calls a chat model with the system and user prompts (templates over the state) after the
 * conversation so far, streaming its tokens as `llm.token` events. The reply goes to the output
 * channel: appended to the conversation when that is a messages channel, else as text; with a
 * `responseSchema`, as the JSON object the reply must be (model-call.ts retries and checks).
 */
export const runLlm: Executor = async (context) => {
  const { node, state, channels } = context;
  const settings = node.config as unknown as LlmConfig;
  const isMessages = channels.get(settings.output)?.type === 'messages';
  const prompt = renderTemplate(settings.prompt, state, node.id);
  const system = renderTemplate(settings.systemPrompt, state, node.id);
  // The conversation so far: the output channel's messages, when it is a messages channel.
  const history = isMessages ? conversationIn(state, settings.output) : [];
  // Back from its tools, the model goes on with the same turn: the prompt was asked already.
  const continuing = ToolMessage.isInstance(history.at(-1));
  const asked = prompt.trim() === '' || continuing ? [] : [new HumanMessage(prompt)];
  const messages: BaseMessage[] = [...(system.trim() === '' ? [] : [new SystemMessage(system)]), ...history, ...asked];
  if (messages.length === 0) throw new NodeExecutionError(node.id, 'llm.empty', 'there is nothing to send: the prompts are empty and there is no conversation yet', DETERMINISTIC);

  // The tools of the Tools nodes its tools port leads to (lowering gathered them).
  const tools = node.tools ? [...(await resolveTools(context, node.tools)).values()].map((tool) => tool.description) : undefined;
  const { reply, value, usage } = await callModel(context, { model: settings.model, messages, responseSchema: settings.responseSchema, structuredOutput: settings.structuredOutput, stream: settings.stream, tools });
  const text = textOf(reply.content);
  const written = settings.responseSchema ? value : isMessages ? [...asked, reply] : text;
  return { update: { [settings.output]: written }, output: { reply: settings.responseSchema ? value : text, ...(reply.tool_calls?.length ? { toolCalls: reply.tool_calls } : {}), ...(usage ? { usage } : {}) } };
};
