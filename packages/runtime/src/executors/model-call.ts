// Calling a node's chat model, shared by the steps that ask one (agent.llm, agent.router): the key
// through the credentials service, token streaming, JSON checked against a schema, and retries of
// rate limits, server errors, timeouts and bad JSON that honour Retry-After, ending in a failure
// that names the provider and the cause.
import type { BaseChatModel, BaseChatModelCallOptions } from '@langchain/core/language_models/chat_models';
import { AIMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { MAX_RETRY_INTERVAL_MS, retryDelayMs, type ModelConfig } from '@loomflow/graph-schema';
import { validateAnswer } from '../answer-schema';
import { DETERMINISTIC, NodeExecutionError } from '../errors';
import { answerReply, answersByTool, streamedAnswer, structuredOutputOptions } from '../models/structured-output';
import type { ExecutionContext } from './executor';

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

/** Waits before another attempt, or ends at once when the run is stopped. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}

export interface ModelCall {
  readonly model: ModelConfig;
  readonly messages: readonly BaseMessage[];
  /** When set, the reply must be JSON this JSON Schema accepts. */
  readonly responseSchema?: Record<string, unknown> | undefined;
  /** Streams the reply's tokens as `llm.token` events. */
  readonly stream: boolean;
}

export interface ModelAnswer {
  readonly reply: AIMessage;
  /** The reply's JSON, when a responseSchema asked for it. */
  readonly value?: unknown;
  readonly usage?: TokenUsage;
}

export async function callModel({ node, service, emit, config }: ExecutionContext, call: ModelCall): Promise<ModelAnswer> {
  // Through the credentials service, so the run's secret guard redacts the key wherever it shows.
  const apiKey = 'credential' in call.model && call.model.credential ? await service('credentials').resolve(call.model.credential) : undefined;
  const model: BaseChatModel = await service('models').create(call.model, { nodeId: node.id, streaming: call.stream, apiKey });
  // Providers are asked to keep to the schema; the reply is checked here anyway.
  const callOptions = {
    ...(config.signal ? { signal: config.signal } : {}),
    ...(call.responseSchema ? structuredOutputOptions(call.model, call.responseSchema) : {}),
  } as BaseChatModelCallOptions;
  const byTool = call.responseSchema !== undefined && answersByTool(call.model);

  const callOnce = async (): Promise<AIMessage> => {
    if (!call.stream) return (await model.invoke([...call.messages], callOptions)) as AIMessage;
    let reply: AIMessageChunk | undefined;
    for await (const chunk of await model.stream([...call.messages], callOptions)) {
      // An answer given as a tool's input streams as that input's JSON.
      const token = byTool ? streamedAnswer(chunk) : textOf(chunk.content);
      if (token !== '') emit({ type: 'llm.token', token });
      reply = reply ? reply.concat(chunk) : chunk;
    }
    return new AIMessage({ content: reply?.content ?? '', tool_calls: reply?.tool_calls ?? [], ...(reply?.usage_metadata ? { usage_metadata: reply.usage_metadata } : {}) });
  };

  const structured = (reply: AIMessage): { value?: unknown; failure?: Failure } => {
    if (!call.responseSchema) return {};
    const text = textOf(reply.content);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { failure: { code: 'llm.schema', message: `the model's reply is not the JSON its responseSchema asks for: ${JSON.stringify(text.slice(0, 200))}`, retryable: true } };
    }
    const problem = validateAnswer(call.responseSchema, value);
    return problem === undefined ? { value } : { failure: { code: 'llm.schema', message: `the model's reply does not match its responseSchema: ${problem}`, retryable: true } };
  };

  const attempts = node.retry?.maxAttempts ?? 1;
  for (let attempt = 1; ; attempt += 1) {
    let failure: Failure;
    try {
      const reply = byTool ? answerReply(await callOnce()) : await callOnce();
      const { value, failure: badReply } = structured(reply);
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
      if (config.signal?.aborted) throw error;
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
}
