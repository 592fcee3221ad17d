import { HumanMessage, type AIMessage, type BaseMessage } from '@langchain/core/messages';
import { RunnableLambda } from '@langchain/core/runnables';
import { tool as describeTool } from '@langchain/core/tools';
import { GraphRecursionError, type LangGraphRunnableConfig } from '@langchain/langgraph';
import { ToolNode, createReactAgent } from '@langchain/langgraph/prebuilt';
import type { ModelConfig, ToolConfig } from '@loomflow/graph-schema';
import { DETERMINISTIC, NodeExecutionError } from '../errors';
import { resolveTools, type RunnableTool } from '../tools/node-tools';
import { runToolCalls, type ToolPolicy } from '../tools/run-tool-calls';
import type { ExecutionContext, Executor } from './executor';
import { modelCaller, type TokenUsage } from './model-call';
import { conversationIn } from './conversation';
import { renderTemplate } from './template';

interface ReactConfig extends ToolPolicy {
  readonly model: ModelConfig;
  readonly systemPrompt: string;
  readonly prompt: string;
  readonly tools: readonly ToolConfig[];
  readonly maxIterations: number;
  readonly messages: string;
}

/**
 * The prebuilt agent's tools step, running calls the way agent.tools does: approvals first, events,
 * errors shown to the model, too many in a row fail the node. The prebuilt ToolNode would run each
 * call on its own and could run a tool again when a step resumes after an approval.
 */
class FlowToolNode extends ToolNode {
  constructor(
    private readonly context: ExecutionContext,
    private readonly runnable: ReadonlyMap<string, RunnableTool>,
    private readonly policy: ToolPolicy,
  ) {
    // The prebuilt agent binds these descriptions to the model when it is a chat model; here the
    // model is a function that binds them itself, but the agent reads the list all the same.
    super([...runnable.values()].map(({ description: { function: fn } }) => describeTool(() => '', { name: fn.name, description: fn.description, schema: fn.parameters as Record<string, unknown> })));
  }

  protected override async run(input: unknown, config: LangGraphRunnableConfig): Promise<{ messages: BaseMessage[] }> {
    const { messages } = input as { messages: BaseMessage[] };
    return { messages: await runToolCalls(this.context, this.runnable, messages, this.policy, config) };
  }
}

const sumUsage = (total: TokenUsage | undefined, usage: TokenUsage | undefined): TokenUsage | undefined =>
  !usage ? total : { inputTokens: (total?.inputTokens ?? 0) + usage.inputTokens, outputTokens: (total?.outputTokens ?? 0) + usage.outputTokens, totalTokens: (total?.totalTokens ?? 0) + usage.totalTokens };

/**
 * LangGraph's prebuilt ReAct agent, run as a subgraph of the flow: it checkpoints in its own
 * namespace of the run's thread, so an approval pauses and resumes it where it stood. Its model
 * calls go through modelCaller (key, streaming, retries, events) and its tool calls through the
 * flow's tool runner. `maxIterations` bounds its model turns.
 */
export const runReact: Executor = async (context) => {
  const { node, state, config } = context;
  const settings = node.config as unknown as ReactConfig;
  const tools = await resolveTools(context, settings.tools);
  const descriptions = [...tools.values()].map((each) => each.description);
  let usage: TokenUsage | undefined;
  // One client for all the iterations of this execution.
  const ask = modelCaller(context, { model: settings.model, stream: true, tools: descriptions });
  const model = RunnableLambda.from(async (messages: BaseMessage[]): Promise<AIMessage> => {
    const answer = await ask(messages);
    usage = sumUsage(usage, answer.usage);
    return answer.reply;
  });
  const system = renderTemplate(settings.systemPrompt, state, node.id);
  const agent = createReactAgent({
    llm: () => model,
    tools: new FlowToolNode(context, tools, settings),
    ...(system.trim() === '' ? {} : { prompt: system }),
  });

  const prompt = renderTemplate(settings.prompt, state, node.id);
  const asked = prompt.trim() === '' ? [] : [new HumanMessage(prompt)];
  const history = conversationIn(state, settings.messages);
  if (history.length === 0 && asked.length === 0) throw new NodeExecutionError(node.id, 'llm.empty', 'there is nothing to send: the prompt is empty and there is no conversation yet', DETERMINISTIC);
  let result: { messages: BaseMessage[] };
  try {
    // A model turn and a tools step per iteration, and the last turn answers.
    result = (await agent.invoke({ messages: [...history, ...asked] }, { ...config, recursionLimit: settings.maxIterations * 2 + 1 })) as { messages: BaseMessage[] };
  } catch (error) {
    if (error instanceof GraphRecursionError) {
      throw new NodeExecutionError(node.id, 'react.max_iterations', `the agent did not answer within its maxIterations (${settings.maxIterations}) model turns`, DETERMINISTIC);
    }
    throw error;
  }
  const added = result.messages.slice(history.length);
  const reply = result.messages.at(-1);
  return { update: { [settings.messages]: added }, output: { reply: reply ? reply.content : '', iterations: added.filter((message) => message.getType() === 'ai').length, ...(usage ? { usage } : {}) } };
};
