// Calling a node's chat model, shared by the steps that ask one (agent.llm, agent.router): the key
// through the credentials service, token streaming, JSON checked against a schema, and retries of
// rate limits, server errors, timeouts and bad JSON that honour Retry-After, ending in a failure
// that names the provider and the cause.
import type { BaseChatModel, BaseChatModelCallOptions } from '@langchain/core/language_models/chat_models';
import { AIMessage, SystemMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { MAX_RETRY_INTERVAL_MS, retryDelayMs, type ModelConfig, type StructuredOutputMethod } from '@loomflow/graph-schema';
import { validateAnswer } from '../answer-schema';
import { causeOf, DETERMINISTIC, NodeExecutionError } from '../errors';
import type { CallCodec } from '../call-log';
import { answerReply, answersByTool, anthropicAnswerOptions, streamedAnswer } from '../models/structured-output';
import { messageJson } from '../message-json';
import type { ToolDescription } from '../tools/node-tools';
import type { ExecutionContext } from './executor';
import { TooLargeError } from '../body-limit';
import { ModelRedirectError } from '../models/guarded-fetch';
import { refusalIn } from './network-guard';
import { pause } from './pause';
import { TokenEvents } from './token-events';

/** Token counts of one reply, as providers report them. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
}

export function textOf(content: AIMessage['content']): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' && 'text' in part && typeof part.text === 'string' ? part.text : '')).join('');
}

interface Failure {
  readonly code: string;
  readonly message: string;
  /** Whether asking again may get another answer (rate limits, server errors, a bad reply). */
  readonly retryable: boolean;
  /** What the provider asked to wait, in milliseconds (Retry-After). */
  readonly retryAfterMs?: number;
}

/** What went wrong with a call, in words that name the provider and say what to do. */
function describeCallError(error: unknown, model: ModelConfig): Failure {
  const where =
    model.provider === 'scripted'
      ? 'the scripted model'
      : `the model "${model.model}" at ${model.baseUrl ?? (model.credential ? `provider "${model.credential}"` : model.provider === 'anthropic' ? 'the Anthropic API' : 'the default OpenAI address')}`;
  // The same answer would be as large again, the same redirect come again.
  const tooLarge = causeOf(error, TooLargeError);
  if (tooLarge) return { code: 'llm.too_large', message: `${where} failed: ${tooLarge.message}`, retryable: false };
  const redirect = causeOf(error, ModelRedirectError);
  if (redirect) return { code: 'llm.redirect', message: `${where} failed: ${redirect.message}`, retryable: false };
  // The same address is refused again: only the host's settings can change that.
  const refusal = refusalIn(error);
  if (refusal) {
    const flowAddress = model.provider !== 'scripted' && model.baseUrl !== undefined ? "; a flow's own baseUrl reaches only public addresses" : '';
    return { code: 'llm.refused', message: `${where} may not be called: ${refusal.message}${flowAddress}`, retryable: false };
  }
  const details = error as { status?: unknown; headers?: unknown; name?: unknown; message?: unknown; cause?: unknown };
  const status = typeof details.status === 'number' ? details.status : undefined;
  const text = typeof details.message === 'string' ? details.message : String(error);
  if (status === 401 || status === 403) return { code: 'llm.unauthorized', message: `${where} refused the API key (${status}); check the provider's key in the settings`, retryable: false };
  if (status === 429 || (status !== undefined && status >= 500)) {
    const headers = details.headers as { get?: (name: string) => string | null } | Record<string, string> | undefined;
    const raw = typeof headers?.get === 'function' ? headers.get('retry-after') : (headers as Record<string, string> | undefined)?.['retry-after'];
    const seconds = raw === null || raw === undefined ? Number.NaN : Number(raw);
    return {
      code: status === 429 ? 'llm.rate_limited' : 'llm.provider_error',
      // 529 is Anthropic's "overloaded".
      message: `${where} answered ${status}${status === 429 ? ' (too many requests)' : status === 529 ? ' (overloaded)' : ''}: ${text}`,
      retryable: true,
      ...(Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMs: seconds * 1000 } : {}),
    };
  }
  if (status !== undefined) return { code: 'llm.request_refused', message: `${where} refused the request (${status}): ${text}`, retryable: false };
  const name = typeof details.name === 'string' ? details.name : '';
  // The OpenAI client parses a reply it asked to be JSON, and throws when it is not.
  if (name === 'SyntaxError' && /structured output/i.test(text)) return { code: 'llm.schema', message: `the model's reply is not the JSON its responseSchema asks for (${text})`, retryable: true };
  if (/timeout/i.test(name) || /timed? ?out/i.test(text)) return { code: 'llm.timeout', message: `${where} did not answer in time (the model's timeoutMs)`, retryable: true };
  if (/connection|fetch failed|ECONNREFUSED|ENOTFOUND/i.test(`${name} ${text}`)) return { code: 'llm.unreachable', message: `${where} cannot be reached: ${text}`, retryable: true };
  return { code: 'llm.error', message: `${where} failed: ${text}`, retryable: true };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}


export interface ModelCall {
  readonly model: ModelConfig;
  readonly messages: readonly BaseMessage[];
  /** When set, the reply must be JSON this JSON Schema accepts. */
  readonly responseSchema?: Record<string, unknown> | undefined;
  /** How the model is asked for that JSON (`jsonSchema` when unset). */
  readonly structuredOutput?: StructuredOutputMethod | undefined;
  /** Streams the reply's tokens as `llm.token` events. */
  readonly stream: boolean;
  /** Tools the model may call; their calls come back in the reply's `tool_calls`. */
  readonly tools?: readonly ToolDescription[] | undefined;
}

export interface ModelAnswer {
  readonly reply: AIMessage;
  /** The reply's JSON, when a responseSchema asked for it. */
  readonly value?: unknown;
  readonly usage?: TokenUsage;
}

/** The model with the tools bound (one of them forced, when named), or a failure naming the node when its provider cannot call tools. */
function bindTools(model: BaseChatModel, tools: readonly ToolDescription[], nodeId: string, forced: string | undefined) {
  if (typeof model.bindTools !== 'function') throw new NodeExecutionError(nodeId, 'llm.no_tools', `the ${model._llmType()} model cannot call tools`, DETERMINISTIC);
  return model.bindTools([...tools], forced ? { tool_choice: forced } : {});
}

/** The function whose arguments are the answer, with `functionCalling`. */
const RESPONSE_TOOL = 'response';
const responseTool = (schema: Record<string, unknown>): ToolDescription => ({
  type: 'function',
  function: { name: RESPONSE_TOOL, description: 'Gives the answer, as the arguments of this call.', parameters: schema },
});

/** json_object mode needs the word JSON in the prompt, and the model needs the schema to know the shape. */
function withJsonInstruction(messages: readonly BaseMessage[], schema: Record<string, unknown>): BaseMessage[] {
  const instruction = `Answer with one JSON object that this JSON Schema accepts, and nothing else:\n${JSON.stringify(schema)}`;
  const [first, ...rest] = messages;
  if (first && SystemMessage.isInstance(first)) return [new SystemMessage(`${textOf(first.content)}\n\n${instruction}`), ...rest];
  return [new SystemMessage(instruction), ...messages];
}

/** A chat model, with the call's tools bound when it has any. */
type PreparedModel = Pick<BaseChatModel, 'invoke' | 'stream'> | ReturnType<typeof bindTools>;

/** Asks a node's model once. */
export function callModel(context: ExecutionContext, call: ModelCall): Promise<ModelAnswer> {
  return modelCaller(context, call)(call.messages);
}

/**
 * A node's model, to ask as often as one execution of the node needs (agent.react asks once per
 * iteration): the key is resolved and the client made, with its tools bound, on the first call
 * and reused by the next, as a hand-written agent keeps one client.
 */
export function modelCaller({ node, service, emit, config, fromOutside }: ExecutionContext, call: Omit<ModelCall, 'messages'>): (messages: readonly BaseMessage[]) => Promise<ModelAnswer> {
  // OpenAI-compatible servers are asked by the node's method; Anthropic models give the answer as
  // a forced tool's input (models/structured-output.ts); a scripted model's text is the JSON.
  const method: StructuredOutputMethod | undefined = call.responseSchema && call.model.provider === 'openai-compatible' ? (call.structuredOutput ?? 'jsonSchema') : undefined;
  const byTool = call.responseSchema !== undefined && answersByTool(call.model);
  let prepared: Promise<PreparedModel> | undefined;
  const prepare = async (): Promise<PreparedModel> => {
    // Through the credentials service, so the run's secret guard redacts the key wherever it shows.
    const apiKey = 'credential' in call.model && call.model.credential ? await service('credentials').resolve(call.model.credential) : undefined;
    const created: BaseChatModel = await service('models').create(call.model, { nodeId: node.id, streaming: call.stream, apiKey });
    const tools = [...(call.tools ?? []), ...(method === 'functionCalling' && call.responseSchema ? [responseTool(call.responseSchema)] : [])];
    return tools.length > 0 ? bindTools(created, tools, node.id, method === 'functionCalling' ? RESPONSE_TOOL : undefined) : created;
  };
  // The server constrains the reply to the schema (jsonSchema) or to JSON (jsonMode); it is checked here anyway.
  const responseFormat =
    method === 'jsonSchema'
      ? { type: 'json_schema', json_schema: { name: 'response', schema: call.responseSchema, strict: false } }
      : method === 'jsonMode'
        ? { type: 'json_object' }
        : undefined;
  const callOptions = {
    ...(config.signal ? { signal: config.signal } : {}),
    ...(responseFormat ? { response_format: responseFormat } : {}),
    ...(byTool && call.responseSchema ? anthropicAnswerOptions(call.responseSchema) : {}),
  } as BaseChatModelCallOptions;

  const callOnce = async (model: PreparedModel, asked: readonly BaseMessage[]): Promise<AIMessage> => {
    const messages = method === 'jsonMode' && call.responseSchema ? withJsonInstruction(asked, call.responseSchema) : asked;
    if (!call.stream) return (await model.invoke([...messages], callOptions)) as AIMessage;
    let reply: AIMessageChunk | undefined;
    const tokens = new TokenEvents(emit);
    try {
      for await (const chunk of await model.stream([...messages], callOptions)) {
        // An answer given as a tool's input streams as that input's JSON.
        const token = byTool ? streamedAnswer(chunk) : textOf(chunk.content);
        if (token !== '') tokens.add(token);
        reply = reply ? reply.concat(chunk) : chunk;
      }
    } finally {
      tokens.end();
    }
    // Chunks parse arguments leniently ('{"a": ' becomes {}); a call is only good if its whole text is JSON.
    const unparsable = (reply?.tool_call_chunks ?? []).filter((chunk) => chunk.args !== undefined && chunk.args !== '' && !isJson(chunk.args));
    return new AIMessage({
      content: reply?.content ?? '',
      tool_calls: (reply?.tool_calls ?? []).filter((call) => !unparsable.some((chunk) => chunk.id === call.id)),
      invalid_tool_calls: [
        ...(reply?.invalid_tool_calls ?? []),
        ...unparsable.map((chunk) => ({ type: 'invalid_tool_call' as const, id: chunk.id, name: chunk.name, args: chunk.args, error: 'not JSON' })),
      ],
      ...(reply?.usage_metadata ? { usage_metadata: reply.usage_metadata } : {}),
    });
  };

  /** A tool call whose arguments are not JSON cannot run; asking again may get a good one. */
  const malformed = (reply: AIMessage): Failure | undefined => {
    const bad = reply.invalid_tool_calls?.[0];
    // An answer given as a forced tool's input is checked as the answer: broken JSON is llm.schema.
    if (!bad || byTool) return undefined;
    return { code: 'llm.tool_call_malformed', message: `the model called tool "${bad.name ?? '?'}" with arguments that are not JSON: ${JSON.stringify((bad.args ?? '').slice(0, 200))}`, retryable: true };
  };

  const structured = (reply: AIMessage): { value?: unknown; failure?: Failure } => {
    if (!call.responseSchema) return {};
    let value: unknown;
    if (method === 'functionCalling') {
      const answer = reply.tool_calls?.find((toolCall) => toolCall.name === RESPONSE_TOOL);
      if (!answer) return { failure: { code: 'llm.schema', message: `the model did not call the function "${RESPONSE_TOOL}" that carries its JSON answer`, retryable: true } };
      value = answer.args;
    } else {
      const text = textOf(reply.content);
      try {
        value = JSON.parse(text);
      } catch {
        return { failure: { code: 'llm.schema', message: `the model's reply is not the JSON its responseSchema asks for: ${JSON.stringify(text.slice(0, 200))}`, retryable: true } };
      }
    }
    const problem = validateAnswer(call.responseSchema, value);
    return problem === undefined ? { value } : { failure: { code: 'llm.schema', message: `the model's reply does not match its responseSchema: ${problem}`, retryable: true } };
  };

  /** What a call asks, for the run's call log: the same question hashes the same in a replay (message ids aside). */
  const askedOf = (messages: readonly BaseMessage[]) => ({
    model: { ...call.model, ...('credential' in call.model ? { credential: undefined } : {}) },
    messages: messages.map((message) => {
      const { id: _id, usage_metadata: _usage, ...asked } = messageJson(message);
      return asked;
    }),
    tools: call.tools ?? [],
    responseSchema: call.responseSchema ?? null,
    method: method ?? null,
  });
  const replies: CallCodec<AIMessage> = {
    toJson: (reply) => messageJson(reply),
    fromJson: (json) => {
      const { type: _type, ...fields } = json as { type: string } & Record<string, unknown>;
      const reply = new AIMessage(fields as ConstructorParameters<typeof AIMessage>[0] & object);
      // A recorded reply streams as one token: the text is what matters in a replay.
      const text = textOf(reply.content);
      if (call.stream && text !== '') emit({ type: 'llm.token', token: text });
      return reply;
    },
  };

  return async (messages) => {
    const attempts = node.retry?.maxAttempts ?? 1;
    for (let attempt = 1; ; attempt += 1) {
      let failure: Failure;
      try {
        // The client is made on the first real call: a replay needs neither the key nor the provider.
        const reply = await fromOutside(
          'model',
          askedOf(messages),
          async () => {
            const answered = await callOnce(await (prepared ??= prepare()), messages);
            return byTool ? answerReply(answered) : answered;
          },
          replies,
        );
        const { value, failure: badJson } = structured(reply);
        const badReply = malformed(reply) ?? badJson;
        if (!badReply) {
          const usage: TokenUsage | undefined = reply.usage_metadata && {
            inputTokens: reply.usage_metadata.input_tokens,
            outputTokens: reply.usage_metadata.output_tokens,
            totalTokens: reply.usage_metadata.total_tokens,
          };
          return { reply, ...(call.responseSchema ? { value } : {}), ...(usage ? { usage } : {}) };
        }
        failure = badReply;
      } catch (error) {
        // A missing credential or provider, or a replay that diverges, fails the node at once.
        if (config.signal?.aborted || error instanceof NodeExecutionError) throw error;
        failure = describeCallError(error, call.model);
      }
      if (!failure.retryable || attempt >= attempts) {
        const tried = attempts > 1 && failure.retryable ? ` (after ${attempt} attempts)` : '';
        // The retries happened here, with Retry-After: LangGraph must not repeat them.
        throw new NodeExecutionError(node.id, failure.code, `${failure.message}${tried}`, DETERMINISTIC);
      }
      const policy = node.retry ?? { initialIntervalMs: 0, backoffFactor: 1 };
      await pause(Math.min(MAX_RETRY_INTERVAL_MS, Math.max(retryDelayMs(policy, attempt), failure.retryAfterMs ?? 0)), config.signal);
    }
  };
}
