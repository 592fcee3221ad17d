// The `anthropic` provider end to end: the real @langchain/anthropic client (and @anthropic-ai/sdk
// under it) against a real HTTP server on loopback speaking Anthropic's Messages protocol.
import { tool } from '@langchain/core/tools';
import { MemorySaver } from '@langchain/langgraph';
import type { FlowDocumentInput, ModelConfig, RunEvent } from '@loomflow/graph-schema';
import { startOpenAiTestServer } from '@loomflow/openai-test-server';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { FlowRuntime } from '../flow-runtime';
import { askFlow as llmStepFlow } from '../testing/flows';
import { createModelFactory, type ResolvedProvider } from './model-factory';

const KEY = 'sk-ant-test-key-for-the-local-server';

const provider = await startOpenAiTestServer();
afterAll(() => provider.close());
beforeEach(() => {
  provider.requests.length = 0;
});

/** The ask flow (testing/flows.ts) on the `claude` provider, `llm` merged into its config. */
const askFlow = (llm: Record<string, unknown>, extraChannels?: Parameters<typeof llmStepFlow>[1]) => llmStepFlow({ model: { provider: 'anthropic', model: 'claude-test', credential: 'claude' }, ...llm }, extraChannels);

/** `claude` is an Anthropic provider at the test server, `gpt` an OpenAI-compatible one. */
const providers = (): Record<string, ResolvedProvider> => ({
  claude: { baseUrl: provider.anthropicBaseUrl, kind: 'anthropic' },
  gpt: { baseUrl: provider.baseUrl, kind: 'openai-compatible' },
});
const factory = () => createModelFactory({ resolveProvider: async (name) => providers()[name] });
const runtime = () => new FlowRuntime({ checkpointer: new MemorySaver(), hostServices: { models: factory(), credentials: { resolve: async () => KEY } } });
async function run(flow: FlowDocumentInput, input: Record<string, unknown> = { question: 'hi' }): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const event of runtime().compile(flow).run(input)) events.push(event);
  return events;
}
const tokensOf = (events: RunEvent[]) => events.flatMap((event) => (event.type === 'llm.token' ? [event.token] : []));
const completedOf = (events: RunEvent[]) => events.find((event) => event.type === 'node.completed' && event.nodeId === 'ask');
const failureOf = (events: RunEvent[]) => events.find((event) => event.type === 'node.failed') as Extract<RunEvent, { type: 'node.failed' }> | undefined;
const RETRY = { maxAttempts: 2, initialIntervalMs: 0, backoffFactor: 1 };

describe('agent.llm on an Anthropic model', () => {
  it('streams the reply as llm.token events, with the key and version headers, and reports usage', async () => {
    provider.reply({ text: 'Refunds take five days.', usage: { prompt: 12, completion: 4 } });
    const events = await run(askFlow({ systemPrompt: 'Answer briefly.' }), { question: 'How long do refunds take?' });

    // The first token at once, the rest as they gathered (executors/token-events.ts).
    expect(tokensOf(events)[0]).toBe('Refunds ');
    expect(tokensOf(events).join('')).toBe('Refunds take five days.');
    const request = provider.requests[0];
    expect(request).toMatchObject({ path: '/v1/messages', headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' } });
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toMatchObject({
      model: 'claude-test',
      stream: true,
      temperature: 0.7,
      max_tokens: expect.any(Number),
      system: 'Answer briefly.',
      messages: [{ role: 'user', content: 'How long do refunds take?' }],
    });
    // Anthropic counts one output token in message_start and all of them in message_delta; the
    // client adds both, as it does against the real API.
    expect(completedOf(events)).toMatchObject({ output: { reply: 'Refunds take five days.', usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17 } } });
    expect(events.at(-1)).toMatchObject({ type: 'run.completed' });
    expect(JSON.stringify(events)).not.toContain(KEY);
  });

  it('answers without streaming, even with a maxTokens the client refuses to send without a timeout', async () => {
    provider.reply({ text: 'Five days.', usage: { prompt: 7, completion: 2 } });
    const events = await run(askFlow({ output: 'answer', stream: false, model: { provider: 'anthropic', credential: 'claude', maxTokens: 64_000, stop: ['\n\n'] } }));
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { answer: 'Five days.' } });
    expect(tokensOf(events)).toEqual([]);
    expect(completedOf(events)).toMatchObject({ output: { usage: { inputTokens: 7, outputTokens: 2, totalTokens: 9 } } });
    expect(provider.requests[0]?.body).toMatchObject({ model: 'claude-sonnet-4-5', max_tokens: 64_000, stop_sequences: ['\n\n'] });
    expect(provider.requests[0]?.body.stream).toBeFalsy();
  });

  it('gets JSON by forcing the answer tool, streams its input, and retries an answer the schema refuses', async () => {
    const schema = { type: 'object', properties: { intent: { type: 'string', enum: ['refund', 'other'] } }, required: ['intent'] };
    const answer = (intent: string) => ({ toolCalls: [{ name: 'answer', args: { intent } }] });
    for (const stream of [true, false]) {
      provider.requests.length = 0;
      provider.reply(answer('maybe'), answer('refund'));
      const events = await run(askFlow({ output: 'result', responseSchema: schema, stream, retry: RETRY }, [{ name: 'result', type: 'object' }]));
      expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { result: { intent: 'refund' } } });
      expect(completedOf(events)).toMatchObject({ output: { reply: { intent: 'refund' } } });
      expect(completedOf(events)).not.toHaveProperty('output.toolCalls');
      expect(provider.requests).toHaveLength(2);
      expect(provider.requests[0]?.body).toMatchObject({ tools: [{ name: 'answer', input_schema: schema }], tool_choice: { type: 'tool', name: 'answer' } });
      if (stream) expect(tokensOf(events).join('')).toBe('{"intent":"maybe"}{"intent":"refund"}');
    }

    // No call of the answer tool, or a call whose input is not JSON: the reply is not the JSON asked for.
    provider.reply({ text: 'I think it is a refund.' }, { malformedToolCall: 'answer' });
    const failed = failureOf(await run(askFlow({ output: 'result', responseSchema: schema, retry: RETRY }, [{ name: 'result', type: 'object' }])));
    expect(failed).toMatchObject({ nodeId: 'ask', error: { code: 'llm.schema', message: expect.stringContaining('(after 2 attempts)') } });
  });

  it('reports the tools the reply calls as toolCalls, streamed or not', async () => {
    for (const stream of [true, false]) {
      provider.reply({ text: 'Let me look.', toolCalls: [{ name: 'lookup_order', args: { orderId: 'A-1' }, id: 'toolu_01' }] });
      const events = await run(askFlow({ stream }));
      expect(completedOf(events)).toMatchObject({
        output: { reply: 'Let me look.', toolCalls: [{ name: 'lookup_order', args: { orderId: 'A-1' }, id: 'toolu_01', type: 'tool_call' }] },
      });
    }
  });

  it('fails at once on a refused key, naming the model and the provider', async () => {
    provider.reply({ status: 401, message: 'invalid x-api-key' });
    const events = await run(askFlow({ retry: { maxAttempts: 3, initialIntervalMs: 0, backoffFactor: 1 } }));
    expect(failureOf(events)).toMatchObject({ nodeId: 'ask', error: { code: 'llm.unauthorized', message: expect.stringContaining('the model "claude-test" at provider "claude" refused the API key (401)') } });
    expect(events.at(-1)).toMatchObject({ type: 'run.failed', nodeId: 'ask' });
    expect(provider.requests).toHaveLength(1);
  });

  it('waits as long as retry-after asks on a 429, and retries 529 (overloaded) by the node policy', async () => {
    provider.reply({ status: 429, retryAfterSeconds: 1, message: 'rate limited' }, { text: 'Now it works.' });
    const started = performance.now();
    const events = await run(askFlow({ output: 'answer', retry: RETRY }));
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { answer: 'Now it works.' } });
    // A lower bound only: a loaded machine can take longer, never shorter.
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(provider.requests).toHaveLength(2);

    provider.reply({ status: 529, message: 'Overloaded' }, { status: 529, message: 'Overloaded' });
    const failed = failureOf(await run(askFlow({ retry: RETRY })));
    expect(failed?.error).toMatchObject({ code: 'llm.provider_error', message: expect.stringMatching(/answered 529 \(overloaded\).*Overloaded.*\(after 2 attempts\)/s) });
  });

  it('ends a call that takes longer than timeoutMs', async () => {
    provider.reply({ hang: true });
    const events = await run(askFlow({ model: { provider: 'anthropic', model: 'claude-test', credential: 'claude', timeoutMs: 300 } }));
    expect(failureOf(events)).toMatchObject({ nodeId: 'ask', error: { code: 'llm.timeout' } });
  });

  it('refuses a credential whose provider speaks another protocol, before calling it', async () => {
    const failed = failureOf(await run(askFlow({ model: { provider: 'anthropic', credential: 'gpt' } })));
    expect(failed).toMatchObject({ error: { code: 'llm.credential', message: expect.stringContaining('model provider "gpt" is openai-compatible, but the node\'s model is anthropic') } });
    expect(provider.requests).toHaveLength(0);
  });
});

describe('the Anthropic chat model', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const model = (config: Partial<Extract<ModelConfig, { provider: 'anthropic' }>> = {}, apiKey?: string, streaming = false) =>
    factory().create({ provider: 'anthropic', model: 'claude-test', temperature: 0, credential: 'claude', ...config }, { nodeId: 'n', apiKey, streaming });

  it('binds tools, LangChain and JSON Schema ones, and returns the calls of the reply', async () => {
    const lookup = tool(async ({ orderId }: { orderId: string }) => `order ${orderId}`, { name: 'lookup_order', description: 'Finds an order.', schema: z.object({ orderId: z.string() }) });
    const weather = { type: 'function', function: { name: 'weather', description: 'Tells the weather.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };
    const chat = await model({}, KEY);
    if (!chat.bindTools) throw new Error('ChatAnthropic has bindTools');
    provider.reply({ toolCalls: [{ name: 'lookup_order', args: { orderId: 'A-1' } }, { name: 'weather', args: { city: 'Paris' } }] });
    const reply = await chat.bindTools([lookup, weather]).invoke('Where is order A-1, and how is the weather in Paris?');

    expect(reply.tool_calls).toMatchObject([
      { name: 'lookup_order', args: { orderId: 'A-1' }, id: 'toolu_1' },
      { name: 'weather', args: { city: 'Paris' }, id: 'toolu_2' },
    ]);
    expect(provider.requests[0]?.body.tools).toMatchObject([
      { name: 'lookup_order', description: 'Finds an order.', input_schema: { type: 'object', properties: { orderId: { type: 'string' } } } },
      { name: 'weather', input_schema: weather.function.parameters },
    ]);

    // A streaming model's invoke() reads the stream and returns (ChatOpenAI's would hang offline counting tokens).
    const streaming = await model({}, KEY, true);
    provider.reply({ text: 'Checking.', toolCalls: [{ name: 'lookup_order', args: { orderId: 'B-2' } }] });
    const streamed = await streaming.bindTools?.([lookup]).invoke('Where is order B-2?');
    expect(provider.requests[1]?.body.stream).toBe(true);
    expect(streamed?.tool_calls).toMatchObject([{ name: 'lookup_order', args: { orderId: 'B-2' } }]);
  });

  it("takes no key, address or token from the host's environment", async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'env-key');
    vi.stubEnv('ANTHROPIC_AUTH_TOKEN', 'env-token');
    vi.stubEnv('ANTHROPIC_BASE_URL', 'http://127.0.0.1:9');
    vi.stubEnv('LANGSMITH_GATEWAY', 'true');
    // The provider's address, and no key: what the environment offers must fill neither.
    const chat = await model();
    provider.reply({ text: 'ok' });
    await chat.invoke('hi');
    expect(provider.requests[0]?.headers['x-api-key']).toBe('no-key');
    expect(provider.requests[0]?.headers.authorization).toBeUndefined();
  });
});
