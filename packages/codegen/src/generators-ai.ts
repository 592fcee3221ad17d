// The AI nodes written out as TypeScript: model calls (agent.llm, with tool calling and structured
// output), the tool runner (agent.tools), the ReAct agent (agent.react) and the intent router
// (agent.router), each doing what the runtime's executor of its type does (executors/llm.ts,
// tools.ts, react.ts, router.ts) through the same LangChain and LangGraph classes. A scripted model
// (Loomflow's test double) becomes a small chat model class of the project's own, so the project
// runs offline exactly as the flow does in Loomflow, until someone swaps in a real model.
import { toolKindsRefusedInCode, type ModelConfig, type StructuredOutputMethod, type ToolConfig } from '@loomflow/graph-schema';
import type { RouteIR } from '@loomflow/runtime';
import type { GeneratorContext, NodeGenerator } from './generator-context';
import { httpToolRun } from './generators-http';
import { NodeRefusal } from './refusal';

const literal = (value: unknown) => JSON.stringify(value);

/** The environment variable holding one thing (`API_KEY`, `BASE_URL`) of a credential the flow names. */
export function credentialVariable(credential: string, what: 'API_KEY' | 'BASE_URL'): string {
  return `${credential.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${what}`;
}

/** Sent as the key when the flow names no credential, as the runtime's model factory does (the client refuses to start without one). */
const NO_API_KEY = 'no-key';

/** Anthropic's address and the client's own timeout, given explicitly as the runtime's model factory does (models/model-factory.ts says why). */
const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
const ANTHROPIC_TIMEOUT_MS = 600_000;

/**
 * The project's stand-in for Loomflow's scripted model (runtime models/scripted-chat-model.ts).
 * LangChain's fakes in @langchain/core/utils/testing do not fit: FakeListChatModel answers in call
 * order per instance and carries no tool calls, FakeStreamingChatModel always gives its first
 * response. A scripted reply depends on the conversation instead (the prompt it mentions, or the
 * number of model turns so far), which is what makes a replayed or resumed run answer the same.
 */
const SCRIPTED_MODEL = `// A scripted stand-in for a chat model: it answers with the replies written in the flow, so the
// project runs with no key and no network, as the flow's scripted model does in Loomflow.
// To use a real model, replace \`new ScriptedChatModel([...])\` in src/nodes.ts with a LangChain
// chat model, e.g. \`new ChatOpenAI({ model: 'gpt-4o-mini' })\` from @langchain/openai.
import { BaseChatModel, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';

export interface ScriptedReply {
  /** Given whenever the last user message contains this text. */
  readonly when?: string;
  readonly text: string;
  readonly toolCalls?: readonly { readonly name: string; readonly args: Record<string, unknown> }[];
}

const textOf = (message: BaseMessage | undefined) => (typeof message?.content === 'string' ? message.content : JSON.stringify(message?.content ?? ''));

/** Word-ish tokens with their spacing, to report token counts as providers do. */
const tokensOf = (text: string) => text.match(/\\S+\\s*|\\s+/g) ?? [];

export class ScriptedChatModel extends BaseChatModel {
  constructor(private readonly replies: readonly ScriptedReply[]) {
    super({});
  }

  override _llmType(): string {
    return 'scripted';
  }

  /** The script says which tools it calls; the tools' descriptions change nothing. */
  override bindTools(_tools: BindToolsInput[]): this {
    return this;
  }

  /**
   * The first reply whose \`when\` the last user message contains; else, of the replies without
   * \`when\`, the one at the number of model turns so far (after the last, the last), so a
   * tool-calling loop goes through the script in order and the same conversation always gets the
   * same reply.
   */
  #replyFor(messages: readonly BaseMessage[]): ScriptedReply {
    const asked = textOf(messages.findLast((message) => message.getType() === 'human'));
    const matched = this.replies.find((reply) => reply.when !== undefined && asked.includes(reply.when));
    if (matched) return matched;
    const inTurn = this.replies.filter((reply) => reply.when === undefined);
    const turn = messages.filter((message) => message.getType() === 'ai').length;
    return inTurn[Math.min(turn, inTurn.length - 1)] ?? (this.replies.at(-1) as ScriptedReply);
  }

  override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const reply = this.#replyFor(messages);
    // Ids unique in the conversation (by its turn), as a provider's are.
    const turn = messages.filter((message) => message.getType() === 'ai').length + 1;
    const toolCalls = (reply.toolCalls ?? []).map((call, index) => ({ id: \`scripted_\${turn}_\${index + 1}\`, name: call.name, args: { ...call.args }, type: 'tool_call' as const }));
    const input = messages.reduce((count, message) => count + tokensOf(textOf(message)).length, 0);
    const output = tokensOf(reply.text).length;
    const usage = { input_tokens: input, output_tokens: output, total_tokens: input + output };
    const message = new AIMessage({ content: reply.text, tool_calls: toolCalls, usage_metadata: usage });
    return { generations: [{ text: reply.text, message }] };
  }
}
`;

/** Running a model's tool calls, shared by the tool runner and the ReAct agent's tools step (runtime tools/run-tool-calls.ts). */
const TOOL_CALLS = `// Running the tool calls of a model's reply, for the Tools node and the ReAct agent's tools step, as
// Loomflow runs them: calls of tools that need approval wait for a person first (all of them
// before any tool runs, so a resumed step never runs a tool twice), then the calls run in
// parallel; a failed call is answered with an error the model reads, and more failures in a row
// than the step allows fail it.
import { AIMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { interrupt } from '@langchain/langgraph';

/** A tool the model may call: what the model is told of it, and the function that runs it. */
export interface Tool {
  readonly name: string;
  readonly description: string;
  /** The JSON Schema of its arguments. */
  readonly parameters: Record<string, unknown>;
  readonly run: (args: Record<string, unknown>) => unknown;
}

export interface ToolPolicy {
  /** Tools whose calls a person approves, edits or rejects first. */
  readonly approveTools: readonly string[];
  /** More failed calls in a row than this fail the step. */
  readonly maxConsecutiveErrors: number;
}

interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly args: Record<string, unknown>;
}

interface Approval {
  readonly decision: 'approve' | 'edit' | 'reject';
  readonly arguments?: Record<string, unknown>;
  readonly reason?: string;
}

/** The tools as a chat model's bindTools takes them (the OpenAI function format). */
export const describeTools = (tools: readonly Tool[]) =>
  tools.map(({ name, description, parameters }) => ({ type: 'function' as const, function: { name, description, parameters } }));

/** The calls of the conversation's last model message that no tool message answers yet. */
function pendingToolCalls(messages: readonly BaseMessage[]): ToolCall[] {
  const last = messages.findLast((message) => AIMessage.isInstance(message));
  if (!last) return [];
  const answered = new Set(messages.flatMap((message) => (ToolMessage.isInstance(message) ? [message.tool_call_id] : [])));
  return (last.tool_calls ?? []).flatMap((call, index) => {
    const id = call.id ?? \`call_\${index}\`;
    return answered.has(id) ? [] : [{ id, name: call.name, args: { ...call.args } }];
  });
}

/** The approval form: both languages in one text, as Loomflow's task list shows it. */
const APPROVAL_SCHEMA = {
  type: 'object',
  properties: {
    decision: { type: 'string', enum: ['approve', 'edit', 'reject'], title: 'Decision / 决定' },
    arguments: { type: 'object', title: 'Arguments, when edited / 修改后的参数' },
    reason: { type: 'string', title: 'Reason, when rejected / 拒绝理由' },
  },
  required: ['decision'],
};

/** What is wrong with an answer to the approval form, or nothing when it fits. */
function approvalProblem(answer: unknown): string | undefined {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return 'the answer must be an object';
  const { decision, arguments: edited, reason } = answer as Record<string, unknown>;
  if (decision !== 'approve' && decision !== 'edit' && decision !== 'reject') return 'decision must be "approve", "edit" or "reject"';
  if (edited !== undefined && (typeof edited !== 'object' || edited === null || Array.isArray(edited))) return 'arguments must be an object';
  if (reason !== undefined && typeof reason !== 'string') return 'reason must be a text';
  return undefined;
}

/** Asks a person about one call (a LangGraph interrupt), until the answer fits the form. */
function askApproval(nodeId: string, call: ToolCall): Approval {
  const request = {
    kind: 'human',
    nodeId,
    prompt: \`Approve the call of tool "\${call.name}"? / 是否批准调用工具 "\${call.name}"？\\n\${JSON.stringify(call.args, null, 2)}\`,
    schema: APPROVAL_SCHEMA,
    fields: [
      {
        key: 'decision',
        label: APPROVAL_SCHEMA.properties.decision.title,
        type: 'enum',
        required: true,
        options: [
          { value: 'approve', label: 'Approve / 批准' },
          { value: 'edit', label: 'Run with edited arguments / 修改参数后执行' },
          { value: 'reject', label: 'Reject / 拒绝' },
        ],
      },
      { key: 'reason', label: APPROVAL_SCHEMA.properties.reason.title, type: 'string', required: false },
    ],
    candidateGroups: [],
  };
  let answer = interrupt<typeof request, unknown>(request);
  for (let problem = approvalProblem(answer); problem !== undefined; problem = approvalProblem(answer)) {
    answer = interrupt<typeof request & { rejected: string }, unknown>({ ...request, rejected: problem });
  }
  return answer as Approval;
}

const contentOf = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value ?? null));

/** The failed tool messages at the end of the conversation, model messages aside. */
function trailingErrors(messages: readonly BaseMessage[]): ToolMessage[] {
  const failed: ToolMessage[] = [];
  for (const message of [...messages].reverse()) {
    if (!ToolMessage.isInstance(message)) {
      if (AIMessage.isInstance(message)) continue;
      break;
    }
    if (message.status !== 'error') break;
    failed.push(message);
  }
  return failed;
}

/** Runs the pending calls of the conversation's last model message; returns their answers, in the order of the calls. */
export async function runToolCalls(nodeId: string, tools: readonly Tool[], messages: readonly BaseMessage[], policy: ToolPolicy): Promise<ToolMessage[]> {
  const calls = pendingToolCalls(messages);
  // Approvals first: interrupt() pauses here, and on resume this step runs again from the top.
  const decided = calls.map((call) => ({ call, approval: policy.approveTools.includes(call.name) ? askApproval(nodeId, call) : undefined }));
  const answers = await Promise.all(
    decided.map(async ({ call, approval }) => {
      const answer = (content: string, status: 'success' | 'error') => new ToolMessage({ content, status, name: call.name, tool_call_id: call.id });
      if (approval?.decision === 'reject') {
        const reason = approval.reason?.trim() ? approval.reason : 'no reason given';
        return answer(\`A person rejected this call (\${reason}). Do not call it again with the same arguments.\`, 'error');
      }
      const args = approval?.decision === 'edit' && approval.arguments ? approval.arguments : call.args;
      const tool = tools.find((each) => each.name === call.name);
      try {
        if (!tool) throw new Error(\`there is no tool "\${call.name}"; the tools are \${tools.map((each) => \`"\${each.name}"\`).join(', ') || 'none'}\`);
        // A copy, as Loomflow's sandbox hands the code one.
        return answer(contentOf(await tool.run(structuredClone(args))), 'success');
      } catch (error) {
        return answer(\`Error: \${error instanceof Error ? error.message : String(error)}\`, 'error');
      }
    }),
  );
  const failed = trailingErrors([...messages, ...answers]);
  const last = failed[0];
  if (last && failed.length > policy.maxConsecutiveErrors) {
    throw new Error(
      \`node "\${nodeId}": \${failed.length} tool calls failed in a row, more than its maxConsecutiveErrors (\${policy.maxConsecutiveErrors}); the last, of "\${last.name ?? '?'}": \${contentOf(last.content).slice(0, 500)}\`,
    );
  }
  return answers;
}
`;

/** The ReAct agent's tools step: LangGraph's ToolNode, running calls through tool-calls.ts (runtime react.ts's FlowToolNode). */
const AGENT_TOOLS = `// The ReAct agent's tools step: LangGraph's ToolNode, running the calls the way the Tools node
// does (tool-calls.ts) rather than each on its own, so approvals come first and a step resumed
// after an approval never runs a tool twice.
import type { BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { runToolCalls, type Tool, type ToolPolicy } from './tool-calls.js';

export class AgentTools extends ToolNode {
  constructor(
    private readonly nodeId: string,
    private readonly runnable: readonly Tool[],
    private readonly policy: ToolPolicy,
  ) {
    // createReactAgent binds these (name, description, JSON Schema) to the model; run() below calls them.
    super(runnable.map(({ name, description, parameters, run }) => tool(async (args) => run(args as Record<string, unknown>), { name, description, schema: parameters })));
  }

  protected override async run(input: unknown): Promise<{ messages: BaseMessage[] }> {
    const { messages } = input as { messages: BaseMessage[] };
    return { messages: await runToolCalls(this.nodeId, this.runnable, messages, this.policy) };
  }
}
`;

const README_SCRIPTED = [
  '## Scripted models',
  '',
  'The flow’s model nodes use scripted models: Loomflow’s stand-in that answers with replies written in the flow, so',
  'a run needs no key and no network. Here they are `ScriptedChatModel` (`src/scripted-model.ts`), a LangChain chat',
  'model. To use a real model, replace `new ScriptedChatModel([...])` in `src/nodes.ts` with a LangChain chat model,',
  'for example `new ChatOpenAI({ model: "gpt-4o-mini" })` (`npm install @langchain/openai`, and set `OPENAI_API_KEY`).',
].join('\n');

interface ModelLines {
  /** Statements making `model`. */
  readonly lines: string[];
  readonly scripted: boolean;
}

/**
 * The statements making `model` as the runtime's model factory does: the same ChatOpenAI for an
 * OpenAI-compatible model and ChatAnthropic for an Anthropic one (key and address from the
 * environment), the project's ScriptedChatModel for a scripted one.
 */
function chatModel(context: GeneratorContext, model: ModelConfig): ModelLines {
  const { node } = context;
  if (model.provider === 'scripted') {
    const scripted = context.local('ScriptedChatModel', 'scripted-model', SCRIPTED_MODEL);
    context.readme(README_SCRIPTED);
    return { lines: [`// A scripted stand-in (see README.md): swap in a real chat model here.`, `const model = new ${scripted}(${literal(model.replies)});`], scripted: true };
  }
  const what = model.credential ? `model provider "${model.credential}"` : undefined;
  const apiKey = model.credential ? credentialVariable(model.credential, 'API_KEY') : undefined;
  const baseUrlVariable = model.credential ? credentialVariable(model.credential, 'BASE_URL') : undefined;
  const lines: string[] = [];
  if (apiKey) {
    lines.push(`const apiKey = ${context.environment(apiKey, `The API key of ${what}.`)};`);
    lines.push(`if (!apiKey) throw new Error(${literal(`node "${node.id}": set ${apiKey} to the API key of ${what} (see .env.example)`)});`);
  }
  // What both clients take alike, as the runtime's model factory gives them.
  const sampling = [
    `model: ${literal(model.model)}`,
    `temperature: ${literal(model.temperature)}`,
    ...(model.maxTokens === undefined ? [] : [`maxTokens: ${literal(model.maxTokens)}`]),
    // The node's retry policy (the graph's retryPolicy) decides about retries.
    'maxRetries: 0',
    `apiKey: ${apiKey ? 'apiKey' : literal(NO_API_KEY)}`,
  ];
  if (model.provider === 'anthropic') {
    // The node's own address, then the provider's, then Anthropic's: never one from the environment's ANTHROPIC_BASE_URL.
    if (!model.baseUrl && baseUrlVariable) lines.push(`const baseURL = ${context.environment(baseUrlVariable, `The address of ${what}; empty for ${ANTHROPIC_BASE_URL}.`)} || ${literal(ANTHROPIC_BASE_URL)};`);
    const options = [
      ...sampling,
      `anthropicApiUrl: ${model.baseUrl ? literal(model.baseUrl) : baseUrlVariable ? 'baseURL' : literal(ANTHROPIC_BASE_URL)}`,
      ...(model.stop === undefined ? [] : [`stopSequences: ${literal(model.stop)}`]),
      // `authToken: null`: no ANTHROPIC_AUTH_TOKEN of the environment is sent to the address above.
      `clientOptions: { timeout: ${literal(model.timeoutMs ?? ANTHROPIC_TIMEOUT_MS)}, authToken: null }`,
    ];
    lines.push(`const model = new ${context.use('ChatAnthropic', '@langchain/anthropic')}({ ${options.join(', ')} });`);
    return { lines, scripted: false };
  }
  // The node's own address or its provider's: validateFlow refuses a model that names both.
  const baseUrl = model.baseUrl ? literal(model.baseUrl) : baseUrlVariable ? 'baseURL' : undefined;
  if (!model.baseUrl && baseUrlVariable) {
    lines.push(`const baseURL = ${context.environment(baseUrlVariable, `The address of ${what}, e.g. https://api.openai.com/v1.`)};`);
    lines.push(`if (!baseURL) throw new Error(${literal(`node "${node.id}": set ${baseUrlVariable} to the address of ${what} (see .env.example)`)});`);
  }
  const options = [
    ...sampling,
    ...(baseUrl ? [`configuration: { baseURL: ${baseUrl} }`] : []),
    ...(model.stop === undefined ? [] : [`stop: ${literal(model.stop)}`]),
    ...(model.timeoutMs === undefined ? [] : [`timeout: ${literal(model.timeoutMs)}`]),
  ];
  lines.push(`const model = new ${context.use('ChatOpenAI', '@langchain/openai')}({ ${options.join(', ')} });`);
  return { lines, scripted: false };
}

const README_TOOLS = [
  '## Tools',
  '',
  'The code tools the model calls run the JavaScript drawn in the flow (`src/code/<node>-<tool>.js`) as plain functions',
  'of their arguments, in this process: Loomflow’s code sandbox and its limits are not part of the project.',
  '`src/tool-calls.ts` runs a reply’s calls as Loomflow does: approvals first (a pause, resumed with',
  '`{"decision": "approve" | "edit" | "reject", "arguments": {...}, "reason": "..."}`), then the calls, a failed call told to the model.',
].join('\n');

/**
 * The tools as a `Tool[]` literal for tool-calls.ts: a code tool runs the drawn source as a plain
 * function of its arguments; other kinds are refused with the registry's reason.
 */
function toolList(context: GeneratorContext, tools: readonly ToolConfig[]): string {
  context.readme(README_TOOLS);
  const entries = tools.map((tool) => {
    if (tool.kind === 'http') return `{ name: ${literal(tool.name)}, description: ${literal(tool.description)}, parameters: ${literal(tool.parameters)}, run: ${httpToolRun(context, tool)} }`;
    if (tool.kind !== 'code') throw new NodeRefusal(toolKindsRefusedInCode[tool.kind]);
    const run = context.javascript(tool.source, `${context.node.id}-${tool.name}`);
    return `{ name: ${literal(tool.name)}, description: ${literal(tool.description)}, parameters: ${literal(tool.parameters)}, run: ${run} }`;
  });
  return `[${entries.join(', ')}]`;
}

/** The function whose arguments are the answer (`functionCalling`), and the tool Anthropic models are made to call with it: the runtime's (executors/model-call.ts, models/structured-output.ts). */
const RESPONSE_TOOL = { name: 'response', description: 'Gives the answer, as the arguments of this call.' };
const ANSWER_TOOL = { name: 'answer', description: 'Gives your answer, in the form it must take.' };

/**
 * Code asking `model` for `messages` with a reply that is JSON `schema` accepts, then checking it,
 * as the runtime's model call does (executors/model-call.ts): an OpenAI-compatible server by the
 * node's method (a json_schema response format, a forced `response` function, or JSON mode with
 * the schema in the instructions), an Anthropic model by a forced `answer` tool, a scripted model
 * by its text. Leaves `reply` and `value` in scope. `tools`, when given, is code for the tool
 * descriptions the model may also call.
 */
function structuredCall(context: GeneratorContext, model: ModelConfig, method: StructuredOutputMethod | undefined, schema: Record<string, unknown>, what: string, tools?: string): string[] {
  const z = context.use('z', 'zod');
  const id = context.node.id;
  const by = model.provider === 'anthropic' ? 'answerTool' : model.provider === 'openai-compatible' ? (method ?? 'jsonSchema') : 'text';
  const notJson = (text: string) => `throw new Error(${literal(`node "${id}": the model's reply is not the JSON ${what} asks for: `)} + JSON.stringify(${text}.slice(0, 200)));`;
  const bound = (extra?: string) => (tools || extra ? `model.bindTools([${[...(tools ? [`...${tools}`] : []), ...(extra ? [extra] : [])].join(', ')}]${extra ? `, { tool_choice: ${literal(RESPONSE_TOOL.name)} }` : ''})` : 'model');
  const lines: string[] = [];
  if (by === 'jsonSchema') {
    lines.push(`const reply = await ${bound()}.invoke(messages, { response_format: { type: 'json_schema', json_schema: { name: 'response', schema: ${literal(schema)}, strict: false } } });`);
  } else if (by === 'jsonMode') {
    const system = context.use('SystemMessage', '@langchain/core', '/messages');
    lines.push(
      '// JSON mode needs the word JSON in the prompt, and the model needs the schema to know the shape.',
      `const instruction = ${literal(`Answer with one JSON object that this JSON Schema accepts, and nothing else:\n${JSON.stringify(schema)}`)};`,
      'const [first, ...rest] = messages;',
      `const instructed = first && ${system}.isInstance(first) ? [new ${system}(\`\${first.text}\\n\\n\${instruction}\`), ...rest] : [new ${system}(instruction), ...messages];`,
      `const reply = await ${bound()}.invoke(instructed, { response_format: { type: 'json_object' } });`,
    );
  } else if (by === 'functionCalling') {
    lines.push(`const reply = await ${bound(`{ type: 'function' as const, function: { ...${literal(RESPONSE_TOOL)}, parameters: ${literal(schema)} } }`)}.invoke(messages);`);
  } else if (by === 'answerTool') {
    lines.push(`const reply = await ${bound()}.invoke(messages, { tools: [{ ...${literal(ANSWER_TOOL)}, input_schema: ${literal(schema)} }], tool_choice: { type: 'tool', name: ${literal(ANSWER_TOOL.name)} } });`);
  } else {
    lines.push(`const reply = await ${bound()}.invoke(messages);`);
  }
  lines.push('let value: unknown;');
  if (by === 'functionCalling') {
    lines.push(
      `const answer = reply.tool_calls?.find((call) => call.name === ${literal(RESPONSE_TOOL.name)});`,
      `if (!answer) throw new Error(${literal(`node "${id}": the model did not call the function "${RESPONSE_TOOL.name}" that carries its JSON answer`)});`,
      'value = answer.args;',
    );
  } else {
    // An Anthropic model's answer is its forced tool call's input; without that call, its text is checked (and fails).
    if (by === 'answerTool') lines.push(`const answer = reply.tool_calls?.find((call) => call.name === ${literal(ANSWER_TOOL.name)});`);
    lines.push(...(by === 'answerTool' ? ['if (answer) value = answer.args;', 'else'] : []), 'try {', 'value = JSON.parse(reply.text);', '} catch {', notJson('reply.text'), '}');
  }
  lines.push(
    `const checked = ${z}.fromJSONSchema(${literal(schema)}).safeParse(value);`,
    `if (!checked.success) throw new Error(${literal(`node "${id}": the model's reply does not match ${what}: `)} + checked.error.message);`,
  );
  return lines;
}

/**
 * A model call as the runtime's agent.llm executor makes it (executors/llm.ts): the system prompt,
 * the conversation so far when the output is a messages channel, then the prompt (unless the model
 * is back from its tools, mid-turn). The reply is appended to the conversation, or its text (its
 * JSON, with a responseSchema) written to the output channel. Streaming only shows tokens in
 * Loomflow's events, so the code asks once with invoke().
 */
const llm: NodeGenerator = (context) => {
  const { node } = context;
  const config = node.config as {
    model: ModelConfig;
    systemPrompt: string;
    prompt: string;
    responseSchema?: Record<string, unknown>;
    structuredOutput: StructuredOutputMethod;
    output: string;
    callsTools: boolean;
  };
  const isMessages = context.channels.get(config.output)?.type === 'messages';
  const { lines } = chatModel(context, config.model);
  const human = context.use('HumanMessage', '@langchain/core', '/messages');
  const system = context.use('SystemMessage', '@langchain/core', '/messages');
  lines.push(`const system = ${context.template(config.systemPrompt)};`, `const prompt = ${context.template(config.prompt)};`);
  if (isMessages) {
    const toolMessage = context.use('ToolMessage', '@langchain/core', '/messages');
    lines.push(
      `const history = state[${literal(config.output)}];`,
      '// Back from its tools, the model goes on with the same turn: the prompt was asked already.',
      `const asked = prompt.trim() === '' || ${toolMessage}.isInstance(history.at(-1)) ? [] : [new ${human}(prompt)];`,
      `const messages = [...(system.trim() === '' ? [] : [new ${system}(system)]), ...history, ...asked];`,
      `if (messages.length === 0) throw new Error(${literal(`node "${node.id}": there is nothing to send: the prompts are empty and there is no conversation yet`)});`,
    );
  } else {
    lines.push(
      // Empty prompts are left out, as in the runtime.
      `const messages = [...(system.trim() === '' ? [] : [new ${system}(system)]), ...(prompt.trim() === '' ? [] : [new ${human}(prompt)])];`,
      `if (messages.length === 0) throw new Error(${literal(`node "${node.id}": there is nothing to send: the prompts are empty`)});`,
    );
  }
  // The tools of the Tools nodes its tools port leads to: the model is told of them; they run there.
  const described = config.callsTools ? `${context.local('describeTools', 'tool-calls', TOOL_CALLS)}(${toolList(context, node.tools ?? [])})` : undefined;
  if (config.responseSchema) {
    lines.push(...structuredCall(context, config.model, config.structuredOutput, config.responseSchema, 'its responseSchema', described), `return { ${literal(config.output)}: value as ${context.typeOf(config.output)} };`);
    return { body: lines.join('\n'), async: true };
  }
  lines.push(
    `const reply = await ${described ? `model.bindTools(${described})` : 'model'}.invoke(messages);`,
    `return { ${literal(config.output)}: ${isMessages ? '[...asked, reply]' : 'reply.text'} };`,
  );
  return { body: lines.join('\n'), async: true };
};

interface ToolPolicyConfig {
  readonly tools: readonly ToolConfig[];
  readonly messages: string;
  readonly approveTools: readonly string[];
  readonly maxConsecutiveErrors: number;
}

const policyOf = (config: ToolPolicyConfig) => `{ approveTools: ${literal(config.approveTools)}, maxConsecutiveErrors: ${literal(config.maxConsecutiveErrors)} }`;

/** The tool runner (executors/tools.ts): runs the last model message's calls and appends their answers to the conversation. */
const tools: NodeGenerator = (context) => {
  const config = context.node.config as unknown as ToolPolicyConfig;
  const list = toolList(context, config.tools);
  const run = context.local('runToolCalls', 'tool-calls', TOOL_CALLS);
  const channel = literal(config.messages);
  return {
    body: `const answers = await ${run}(${literal(context.node.id)}, ${list}, state[${channel}], ${policyOf(config)});\nreturn { ${channel}: answers };`,
    async: true,
  };
};

/**
 * LangGraph's prebuilt ReAct agent, run inside the node as in executors/react.ts: the model's
 * turns and a tools step that runs calls as the tool runner does, bounded by maxIterations; the
 * messages it adds (the prompt, its turns, the tools' answers) are the node's update. It gets the
 * node's config, so its own checkpoints sit under the run's thread and an approval resumes it.
 */
const react: NodeGenerator = (context) => {
  const { node } = context;
  const config = node.config as unknown as ToolPolicyConfig & { model: ModelConfig; systemPrompt: string; prompt: string; maxIterations: number };
  const { lines } = chatModel(context, config.model);
  const list = toolList(context, config.tools);
  context.module('tool-calls', TOOL_CALLS);
  const agentTools = context.local('AgentTools', 'agent-tools', AGENT_TOOLS);
  const createReactAgent = context.use('createReactAgent', '@langchain/langgraph', '/prebuilt');
  const recursionError = context.use('GraphRecursionError', '@langchain/langgraph');
  const human = context.use('HumanMessage', '@langchain/core', '/messages');
  const channel = literal(config.messages);
  lines.push(
    `const system = ${context.template(config.systemPrompt)};`,
    `const reactAgent = ${createReactAgent}({ llm: model, tools: new ${agentTools}(${literal(node.id)}, ${list}, ${policyOf(config)}), ...(system.trim() === '' ? {} : { prompt: system }) });`,
    `const prompt = ${context.template(config.prompt)};`,
    `const asked = prompt.trim() === '' ? [] : [new ${human}(prompt)];`,
    `const history = state[${channel}];`,
    `if (history.length === 0 && asked.length === 0) throw new Error(${literal(`node "${node.id}": there is nothing to send: the prompt is empty and there is no conversation yet`)});`,
    'try {',
    `// A model turn and a tools step per iteration, and the last turn answers: ${config.maxIterations} iterations at most.`,
    `const result = await reactAgent.invoke({ messages: [...history, ...asked] }, { ...config, recursionLimit: ${config.maxIterations * 2 + 1} });`,
    `return { ${channel}: result.messages.slice(history.length) };`,
    '} catch (error) {',
    `if (error instanceof ${recursionError}) throw new Error(${literal(`node "${node.id}": the agent did not answer within its maxIterations (${config.maxIterations}) model turns`)});`,
    'throw error;',
    '}',
  );
  return { body: lines.join('\n'), async: true, config: true };
};

/** What the model answers when no intent fits, and the port it leaves by. */
const FALLBACK = 'fallback';

/**
 * The intent router (executors/router.ts): the model classifies the input into one of the intents,
 * answering JSON; the intent's id goes to the output channel (an id the model made up becomes
 * `fallback`), which the graph routes on (portRoute).
 */
const router: NodeGenerator = (context) => {
  const { node } = context;
  const config = node.config as {
    model: ModelConfig;
    instruction: string;
    input: string;
    intents: readonly { id: string; description: string; examples: readonly string[] }[];
    output: string;
    reasonOutput?: string;
    structuredOutput: StructuredOutputMethod;
  };
  const { lines } = chatModel(context, config.model);
  const ids = config.intents.map((intent) => intent.id);
  const intents = config.intents.map((intent) => [`- ${intent.id}: ${intent.description}`, ...intent.examples.map((example) => `  example: ${JSON.stringify(example)}`)].join('\n'));
  const schema = { type: 'object', properties: { intent: { type: 'string', description: `one of ${[...ids, FALLBACK].join(', ')}` }, reason: { type: 'string' } }, required: ['intent'] };
  const human = context.use('HumanMessage', '@langchain/core', '/messages');
  const system = context.use('SystemMessage', '@langchain/core', '/messages');
  lines.push(
    `const input = ${context.template(config.input)};`,
    '// The instruction, then each intent with its examples as few-shot.',
    `const instructions = [${context.template(config.instruction)}, 'Classify the message into exactly one of these intents:', ...${literal(intents)}, ${literal(`If none of them fits, answer "${FALLBACK}".`)}, ${literal('Answer with JSON: {"intent": "<intent id>", "reason": "<one sentence on why>"}.')}];`,
    `const messages = [new ${system}(instructions.filter((line) => line.trim() !== '').join('\\n')), new ${human}(input)];`,
    ...structuredCall(context, config.model, config.structuredOutput, schema, 'the router'),
    'const answer = value as { intent: string; reason?: string };',
    `const intent = ${literal(ids)}.includes(answer.intent) ? answer.intent : ${literal(FALLBACK)};`,
    `return { ${literal(config.output)}: intent${config.reasonOutput ? `, ${literal(config.reasonOutput)}: answer.reason ?? ''` : ''} };`,
  );
  return { body: lines.join('\n'), async: true };
};

/**
 * The route after a node that chooses an output port (build-graph.ts chooseTargets): a model's
 * reply leaves by `tools` when it calls tools, else by `out`; a router's intent names its port.
 */
export function portRoute(route: Extract<RouteIR, { kind: 'port' }>, name: string, graphName: (nodeId: string) => string): { source: string; imports: string[] } {
  const targets = (port: string) => literal((route.ports[port] ?? []).map(graphName));
  const fallback = targets(route.fallbackPort);
  const lines: string[] = [];
  if (route.select === 'tool-calls') {
    lines.push(
      `/** Where the run goes after "${route.source}": to its tools when its reply calls any, else on. */`,
      `function ${name}(state: State): string[] {`,
      `const last = state[${literal(route.channel)}].at(-1);`,
      `return AIMessage.isInstance(last) && (last.tool_calls?.length ?? 0) > 0 ? ${targets('tools')} : ${targets('out')};`,
      '}',
    );
    return { source: lines.join('\n'), imports: [`import { AIMessage } from '@langchain/core/messages';`] };
  }
  const byPort = Object.fromEntries(Object.keys(route.ports).map((port) => [port, (route.ports[port] ?? []).map(graphName)]));
  lines.push(
    `/** Where the run goes after "${route.source}": the edges of the port its "${route.channel}" names, else those of "${route.fallbackPort}". */`,
    `function ${name}(state: State): string[] {`,
    `const byPort: Record<string, string[]> = ${literal(byPort)};`,
    `return byPort[String(state[${literal(route.channel)}])] ?? ${fallback};`,
    '}',
  );
  return { source: lines.join('\n'), imports: [] };
}

/** Generators of the AI node types the registry marks `codegen: generates`. */
export const aiGenerators: Readonly<Record<string, NodeGenerator>> = {
  'agent.llm': llm,
  'agent.tools': tools,
  'agent.react': react,
  'agent.router': router,
};
