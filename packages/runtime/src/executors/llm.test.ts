import { MemorySaver } from '@langchain/langgraph';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunEvent } from '@loomflow/graph-schema';
import { startOpenAiTestServer, type OpenAiTestServer } from '@loomflow/openai-test-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FlowRuntime } from '../flow-runtime';
import { createModelFactory } from '../models/model-factory';
import { TOKEN_EVENT_INTERVAL_MS } from './token-events';
import { askFlow as llmStepFlow } from '../testing/flows';

const KEY = 'sk-test-key-for-the-local-server';

let provider: OpenAiTestServer;
beforeAll(async () => {
  provider = await startOpenAiTestServer();
});
afterAll(() => provider.close());
beforeEach(() => {
  provider.requests.length = 0;
});

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** The ask flow (testing/flows.ts) on the `local` OpenAI-compatible provider, `llm` merged into its config. */
const askFlow = (llm: Record<string, unknown>, extraChannels?: Parameters<typeof llmStepFlow>[1]) => llmStepFlow({ model: { provider: 'openai-compatible', model: 'test-model', credential: 'local' }, ...llm }, extraChannels);

const runtime = () =>
  new FlowRuntime({
    checkpointer: new MemorySaver(),
    hostServices: {
      models: createModelFactory({ resolveProvider: async (name) => (name === 'local' ? { baseUrl: provider.baseUrl } : undefined) }),
      credentials: { resolve: async (name) => (name === 'local' ? KEY : undefined) },
    },
  });

const failureOf = (events: RunEvent[]) => events.at(-1) as Extract<RunEvent, { type: 'run.failed' }>;

describe('agent.llm against an OpenAI-protocol server', () => {
  it('streams the reply token by token and appends the question and the reply to the conversation', async () => {
    provider.reply({ text: 'Refunds take five days.', usage: { prompt: 12, completion: 4 } });
    const events = await collect(runtime().compile(askFlow({ systemPrompt: 'You answer {{question}} briefly.' })).run({ question: 'How long do refunds take?' }));

    expect(events.filter((event) => event.type === 'llm.token').map((event) => (event as { token: string }).token).join('')).toBe('Refunds take five days.');
    expect(events.filter((event) => event.type === 'llm.token').length).toBeGreaterThan(1);
    const request = provider.requests[0];
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.body).toMatchObject({
      model: 'test-model',
      stream: true,
      messages: [
        { role: 'system', content: 'You answer How long do refunds take? briefly.' },
        { role: 'user', content: 'How long do refunds take?' },
      ],
    });
    const completed = events.find((event) => event.type === 'node.completed' && event.nodeId === 'ask');
    expect(completed).toMatchObject({ output: { reply: 'Refunds take five days.', usage: { inputTokens: 12, outputTokens: 4, totalTokens: 16 } } });
    const done = events.at(-1) as Extract<RunEvent, { type: 'run.completed' }>;
    expect(done.type).toBe('run.completed');
    expect(JSON.stringify(done.state)).toContain('Refunds take five days.');
  });

  it('answers into a text channel without streaming, and sends the conversation so far', async () => {
    const flow = runtime().compile(askFlow({ output: 'answer', stream: false }));
    provider.reply({ text: 'Five days.' });
    const events = await collect(flow.run({ question: 'How long?' }));
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { answer: 'Five days.' } });
    expect(events.some((event) => event.type === 'llm.token')).toBe(false);
    expect(provider.requests[0]?.body.stream).toBeFalsy();
  });

  it('keeps every reply of a conversation without streaming, each under the id its provider gave', async () => {
    const compiled = runtime().compile(askFlow({ stream: false }));
    provider.reply({ text: 'First.' }, { text: 'Second.' });
    await collect(compiled.run({ question: 'One?' }, { threadId: 'twice' }));
    const events = await collect(compiled.run({ question: 'Two?' }, { threadId: 'twice' }));
    const messages = (events.at(-1) as Extract<RunEvent, { type: 'run.completed' }>).state.messages as { type: string; content: string }[];
    expect(messages.map((message) => message.content)).toEqual(['One?', 'First.', 'Two?', 'Second.']);
  });

  it('asks for JSON by the response schema, writes the object, and tries again when a reply breaks the schema', async () => {
    const schema = { type: 'object', properties: { intent: { type: 'string', enum: ['refund', 'other'] } }, required: ['intent'] };
    const flow = runtime().compile(askFlow({ output: 'result', responseSchema: schema, retry: { maxAttempts: 2, initialIntervalMs: 0, backoffFactor: 1 } }, [{ name: 'result', type: 'object' }]));
    provider.reply({ text: '{"intent": "maybe"}' }, { text: '{"intent": "refund"}' });
    const events = await collect(flow.run({ question: 'I want my money back' }));
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { result: { intent: 'refund' } } });
    expect(provider.requests).toHaveLength(2);
    expect(provider.requests[0]?.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { schema } });

    for (const stream of [true, false]) {
      provider.reply({ text: 'not json at all' });
      const once = runtime().compile(askFlow({ output: 'result', responseSchema: schema, stream }, [{ name: 'result', type: 'object' }]));
      const failed = failureOf(await collect(once.run({ question: 'hm' })));
      expect(failed).toMatchObject({ type: 'run.failed', nodeId: 'ask', error: { code: 'llm.schema' } });
      expect(failed.error.message).toContain("the model's reply is not the JSON its responseSchema asks for");
    }
  });

  it('asks by a forced function call with structuredOutput functionCalling, and takes the call\'s arguments', async () => {
    const schema = { type: 'object', properties: { intent: { type: 'string', enum: ['refund', 'other'] } }, required: ['intent'] };
    provider.reply({ toolCalls: [{ name: 'response', args: { intent: 'refund' } }] });
    const flow = runtime().compile(askFlow({ output: 'result', responseSchema: schema, structuredOutput: 'functionCalling' }, [{ name: 'result', type: 'object' }]));
    const events = await collect(flow.run({ question: 'I want my money back' }));
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { result: { intent: 'refund' } } });
    const body = provider.requests[0]?.body;
    expect(body?.response_format).toBeUndefined();
    expect(body?.tools).toEqual([{ type: 'function', function: { name: 'response', description: expect.any(String), parameters: schema } }]);
    expect(body?.tool_choice).toEqual({ type: 'function', function: { name: 'response' } });

    provider.reply({ text: '{"intent": "refund"}' });
    const failed = failureOf(await collect(flow.run({ question: 'again' })));
    expect(failed).toMatchObject({ nodeId: 'ask', error: { code: 'llm.schema', message: expect.stringContaining('did not call the function "response"') } });
  });

  it('asks for a JSON object with the schema in the instructions with structuredOutput jsonMode', async () => {
    const schema = { type: 'object', properties: { score: { type: 'number' } }, required: ['score'] };
    provider.reply({ text: '{"score": 4}' });
    const flow = runtime().compile(askFlow({ output: 'result', responseSchema: schema, structuredOutput: 'jsonMode', systemPrompt: 'You grade answers.' }, [{ name: 'result', type: 'object' }]));
    const events = await collect(flow.run({ question: 'Grade: 2+2=4' }));
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { result: { score: 4 } } });
    const body = provider.requests[0]?.body;
    expect(body?.response_format).toEqual({ type: 'json_object' });
    expect(body?.messages?.[0]).toEqual({ role: 'system', content: `You grade answers.\n\nAnswer with one JSON object that this JSON Schema accepts, and nothing else:\n${JSON.stringify(schema)}` });
  });

  it('fails at once on a refused key, naming the node and the provider, and never sends the key back', async () => {
    // A provider that quotes the key in a refusal the node reports as it is: the guard hides it.
    provider.reply({ status: 400, message: `Bad request for key ${KEY}` });
    const quoted = failureOf(await collect(runtime().compile(askFlow({})).run({ question: 'hi' })));
    expect(quoted.error.code).toBe('llm.request_refused');
    expect(JSON.stringify(quoted)).not.toContain(KEY);
    provider.requests.length = 0;

    provider.reply({ status: 401, message: `Incorrect API key provided: ${KEY}` });
    const failed = failureOf(await collect(runtime().compile(askFlow({ retry: { maxAttempts: 3, initialIntervalMs: 0, backoffFactor: 1 } })).run({ question: 'hi' })));
    expect(failed).toMatchObject({ nodeId: 'ask', error: { code: 'llm.unauthorized' } });
    expect(failed.error.message).toContain('provider "local" refused the API key (401)');
    expect(JSON.stringify(failed)).not.toContain(KEY);
    expect(provider.requests).toHaveLength(1);
  });

  it('waits as long as Retry-After asks before trying a rate-limited call again', async () => {
    provider.reply({ status: 429, retryAfterSeconds: 1 }, { text: 'Now it works.' });
    const started = performance.now();
    const events = await collect(runtime().compile(askFlow({ output: 'answer', retry: { maxAttempts: 2, initialIntervalMs: 0, backoffFactor: 1 } })).run({ question: 'hi' }));
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { answer: 'Now it works.' } });
    // A lower bound only: a loaded machine can take longer, never shorter.
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(provider.requests).toHaveLength(2);

    provider.reply({ status: 503 }, { status: 503 });
    const failed = failureOf(await collect(runtime().compile(askFlow({ retry: { maxAttempts: 2, initialIntervalMs: 0, backoffFactor: 1 } })).run({ question: 'hi' })));
    expect(failed.error).toMatchObject({ code: 'llm.provider_error', message: expect.stringContaining('(after 2 attempts)') });
  });

  it('says when the provider is down or does not answer in time, and the failed thread stays readable', async () => {
    // A provider on loopback, as a local model server is, with nothing listening there any more.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const down = new FlowRuntime({ checkpointer: new MemorySaver(), hostServices: { models: createModelFactory({ resolveProvider: async () => ({ baseUrl: `http://127.0.0.1:${port}/v1` }) }), credentials: { resolve: async () => undefined } } });
    expect(failureOf(await collect(down.compile(askFlow({ model: { model: 'test-model', credential: 'down' } })).run({ question: 'hi' })))).toMatchObject({ nodeId: 'ask', error: { code: 'llm.unreachable' } });

    provider.reply({ hang: true });
    const hung = runtime().compile(askFlow({ model: { provider: 'openai-compatible', model: 'test-model', credential: 'local', timeoutMs: 300 } }));
    const events = await collect(hung.run({ question: 'hi' }, { threadId: 'hung' }));
    expect(failureOf(events)).toMatchObject({ nodeId: 'ask', error: { code: 'llm.timeout' } });
    const state = await hung.getState('hung');
    expect(state.values).toMatchObject({ question: 'hi' });
  });

  it('stops a reply cut into endless tiny tokens at the run event limit, gathering the tokens meanwhile', async () => {
    // A provider that sends one character per chunk, never ending, until the client hangs up.
    let hungUp!: () => void;
    const gone = new Promise<void>((resolve) => (hungUp = resolve));
    const endless = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const chunk = () => res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }] })}\n\n`);
      const send = () => {
        if (res.destroyed) return;
        for (let i = 0; i < 20; i += 1) chunk();
        setImmediate(send);
      };
      res.on('close', hungUp);
      send();
    });
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = endless.address() as AddressInfo;
      const limited = new FlowRuntime({
        checkpointer: new MemorySaver(),
        limits: { maxRunEvents: 40 },
        limitNames: { maxRunEvents: 'MAX_EVENTS' },
        hostServices: { models: createModelFactory({ resolveProvider: async () => ({ baseUrl: `http://127.0.0.1:${port}/v1` }) }), credentials: { resolve: async () => 'key' } },
      });
      const started = performance.now();
      const events = await collect(limited.compile(askFlow({ model: { model: 'm', credential: 'endless' } })).run({ question: 'hi' }));
      const elapsed = performance.now() - started;
      expect(failureOf(events)).toMatchObject({ nodeId: 'ask', error: { code: 'limit.events', message: expect.stringContaining('more than 40 events (MAX_EVENTS)') } });
      // Thousands of chunks came, but at most one token event per gathering interval.
      const tokens = events.filter((event) => event.type === 'llm.token');
      expect(tokens.length).toBeLessThanOrEqual(2 + elapsed / TOKEN_EVENT_INTERVAL_MS);
      expect(tokens.map((event) => (event as { token: string }).token).join('').length).toBeGreaterThan(tokens.length * 10);
      // Stopping the run hung up on the provider.
      await gone;
    } finally {
      endless.closeAllConnections();
      await new Promise((resolve) => endless.close(resolve));
    }
  });

  it('streams no more of a reply than a node may output, and fails it there', async () => {
    const limited = new FlowRuntime({
      checkpointer: new MemorySaver(),
      limits: { maxNodeOutputBytes: 1000 },
      hostServices: {
        models: createModelFactory({ resolveProvider: async (name) => (name === 'local' ? { baseUrl: provider.baseUrl } : undefined) }),
        credentials: { resolve: async (name) => (name === 'local' ? KEY : undefined) },
      },
    });
    // Small words, then one piece far larger than the node's output may be.
    provider.reply({ text: `${'word '.repeat(100)}${'x'.repeat(50_000)}` });
    const events = await collect(limited.compile(askFlow({})).run({ question: 'hi' }));
    expect(failureOf(events)).toMatchObject({ nodeId: 'ask', error: { code: 'limit.output' } });
    // The first word went out at once; the batch with the large piece would pass the limit.
    const streamed = events.flatMap((event) => (event.type === 'llm.token' ? [event.token] : [])).join('');
    expect(streamed.startsWith('word ')).toBe(true);
    expect(streamed.length).toBeLessThanOrEqual(1000);
    expect(streamed).not.toContain('x');
  });

  it('names a credential the host does not know', async () => {
    const flow = askFlow({ model: { model: 'test-model', credential: 'nowhere' } });
    const failed = failureOf(await collect(runtime().compile(flow).run({ question: 'hi' })));
    expect(failed).toMatchObject({ nodeId: 'ask', error: { code: 'llm.credential', message: expect.stringContaining('no model provider "nowhere"') } });
  });
});

describe('the scripted model', () => {
  it('answers with its replies in turn, streamed, with no network', async () => {
    const replies = [{ text: 'First answer.' }, { text: 'Second answer.' }];
    const flow = runtime().compile(askFlow({ model: { provider: 'scripted', replies } }));
    const first = await collect(flow.run({ question: 'one' }, { threadId: 'chat' }));
    expect(first.filter((event) => event.type === 'llm.token').map((event) => (event as { token: string }).token)).toEqual(['First ', 'answer.']);
    const second = await collect(flow.run({ question: 'two' }, { threadId: 'chat' }));
    expect(JSON.stringify(second.at(-1))).toContain('Second answer.');
    expect(provider.requests).toHaveLength(0);
  });
});
