// agent.llm calling tools through its tools port, agent.tools running them, and agent.react: against
// the local OpenAI-protocol server and a real HTTP endpoint on loopback, with the code sandbox and
// a stored flow as tools.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemorySaver } from '@langchain/langgraph';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { startOpenAiTestServer, type OpenAiTestServer } from '@loomflow/openai-test-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FlowRuntime } from '../flow-runtime';
import { SdkMcpClientPool } from '../mcp/mcp-client-pool';
import { createModelFactory } from '../models/model-factory';
import { everythingServer } from '../testing/mcp-servers';

const at = { x: 0, y: 0 };
const KEY = 'sk-test-key-for-the-local-server';
const model = { provider: 'openai-compatible', model: 'test-model', credential: 'local' };

let provider: OpenAiTestServer;
let weather: Server;
let weatherUrl: string;
const weatherHits: string[] = [];
beforeAll(async () => {
  provider = await startOpenAiTestServer();
  weather = createServer((req, res) => {
    weatherHits.push(req.url ?? '');
    const city = new URL(req.url ?? '/', 'http://x').searchParams.get('city');
    if (city === 'Atlantis') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'no such city' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ city, forecast: 'sunny', celsius: 21 }));
  });
  await new Promise<void>((resolve) => weather.listen(0, '127.0.0.1', resolve));
  weatherUrl = `http://127.0.0.1:${(weather.address() as AddressInfo).port}`;
});
const mcp = new SdkMcpClientPool();
afterAll(async () => {
  await mcp.close();
  await provider.close();
  await new Promise((resolve) => weather.close(resolve));
});
beforeEach(() => {
  provider.requests.length = 0;
  weatherHits.length = 0;
});

const weatherTool = () => ({
  kind: 'http',
  name: 'get_weather',
  description: 'The forecast for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  url: `${weatherUrl}/forecast`,
  allowHosts: ['127.0.0.1'],
});
const addTool = {
  kind: 'code',
  name: 'add',
  description: 'Adds two numbers',
  parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  source: 'if (typeof state.a !== "number") throw new Error("a must be a number"); return state.a + state.b;',
};

const channels = [
  { name: 'question', type: 'string' },
  { name: 'messages', type: 'messages', reducer: 'messages' },
] as const;

/** start → assistant (agent.llm calling tools) ⇄ tools → end: LangGraph's tool-calling loop, drawn. */
function assistantFlow(tools: unknown[], toolsConfig: Record<string, unknown> = {}): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id: 'assistant',
    name: 'Assistant',
    kind: 'agent',
    state: { channels: [...channels] },
    nodes: [
      { id: 'start', type: 'agent.start', position: at },
      { id: 'assistant', type: 'agent.llm', position: at, config: { model, prompt: '{{question}}', callsTools: true } },
      { id: 'tools', type: 'agent.tools', position: at, config: { tools, ...toolsConfig } },
      { id: 'end', type: 'agent.end', position: at },
    ],
    edges: [
      { id: 'e0', source: 'start', target: 'assistant' },
      { id: 'e1', source: 'assistant', target: 'end', sourcePort: 'out' },
      { id: 'e2', source: 'assistant', target: 'tools', sourcePort: 'tools' },
      { id: 'e3', source: 'tools', target: 'assistant' },
    ],
  };
}

/** start → agent (agent.react) → end. */
function reactFlow(react: Record<string, unknown>): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id: 'react',
    name: 'ReAct',
    kind: 'agent',
    state: { channels: [...channels] },
    nodes: [
      { id: 'start', type: 'agent.start', position: at },
      { id: 'agent', type: 'agent.react', position: at, config: { model, prompt: '{{question}}', ...react } },
      { id: 'end', type: 'agent.end', position: at },
    ],
    edges: [
      { id: 'e0', source: 'start', target: 'agent' },
      { id: 'e1', source: 'agent', target: 'end' },
    ],
  };
}

/** A stored flow used as a tool: doubles `n` into `doubled`. */
const doubler: FlowDocumentInput = {
  schemaVersion: 1,
  id: 'doubler',
  name: 'Doubler',
  kind: 'agent',
  state: { channels: [{ name: 'n', type: 'number' }, { name: 'doubled', type: 'number' }], input: ['n'], output: ['doubled'] },
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { id: 'double', type: 'agent.assign', position: at, config: { assignments: [{ key: 'doubled', value: 'n * 2' }] } },
    { id: 'end', type: 'agent.end', position: at },
  ],
  edges: [
    { id: 'e0', source: 'start', target: 'double' },
    { id: 'e1', source: 'double', target: 'end' },
  ],
};

const runtime = (checkpointer = new MemorySaver(), pool = mcp) =>
  new FlowRuntime({
    checkpointer,
    services: { loadFlow: async (flowId) => (flowId === 'doubler' ? doubler : Promise.reject(new Error(`no flow ${flowId}`))) },
    hostServices: {
      models: createModelFactory({ resolveProvider: async (name) => (name === 'local' ? { baseUrl: provider.baseUrl } : undefined) }),
      credentials: { resolve: async (name) => (name === 'local' ? KEY : undefined) },
      mcp: pool,
    },
  });

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) => events.filter((event): event is Extract<RunEvent, { type: T }> => event.type === type);
const messagesSent = (index: number) => provider.requests[index]?.body.messages ?? [];

describe('agent.llm with a tools port, and agent.tools', () => {
  it('binds the tools, runs the calls (HTTP and code), and answers after reading their results', async () => {
    provider.reply(
      { toolCalls: [{ name: 'get_weather', args: { city: 'Paris' }, id: 'call_w' }, { name: 'add', args: { a: 2, b: 3 }, id: 'call_a' }] },
      { text: 'Sunny in Paris, and 2 + 3 = 5.' },
    );
    const events = await collect(runtime().compile(assistantFlow([weatherTool(), addTool])).run({ question: 'Weather in Paris, and 2+3?' }));

    expect(events.at(-1)?.type).toBe('run.completed');
    const tools = provider.requests[0]?.body.tools as { function: { name: string; parameters: unknown } }[];
    expect(tools.map((tool) => tool.function.name)).toEqual(['get_weather', 'add']);
    expect(tools[0]?.function.parameters).toMatchObject({ properties: { city: { type: 'string' } } });
    expect(weatherHits).toEqual(['/forecast?city=Paris']);
    expect(ofType(events, 'tool.call').map((event) => [event.name, event.args])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['add', { a: 2, b: 3 }],
    ]);
    expect(ofType(events, 'tool.result').map((event) => [event.name, event.result, event.isError])).toEqual([
      ['get_weather', { city: 'Paris', forecast: 'sunny', celsius: 21 }, false],
      ['add', 5, false],
    ]);
    // The second request carries both answers, each tied to its call.
    const answered = messagesSent(1).filter((message) => message.role === 'tool') as unknown as { tool_call_id: string; content: string }[];
    expect(answered.map((message) => [message.tool_call_id, message.content])).toEqual([
      ['call_w', JSON.stringify({ city: 'Paris', forecast: 'sunny', celsius: 21 })],
      ['call_a', '5'],
    ]);
    expect(ofType(events, 'node.started').map((event) => event.nodeId)).toEqual(['start', 'assistant', 'tools', 'assistant', 'end']);
    expect(JSON.stringify(ofType(events, 'run.completed')[0]?.state)).toContain('Sunny in Paris, and 2 + 3 = 5.');
  });

  it('fills {{argument}} placeholders of a tool URL, encoded, and sends the other arguments in the query', async () => {
    const tool = { ...weatherTool(), url: `${weatherUrl}/forecast/{{city}}`, parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'number' } } } };
    provider.reply({ toolCalls: [{ name: 'get_weather', args: { city: 'São Paulo', days: 2 }, id: 'u1' }] }, { text: 'Done.' });
    const events = await collect(runtime().compile(assistantFlow([tool])).run({ question: 'Weather?' }));
    expect(events.at(-1)?.type).toBe('run.completed');
    expect(weatherHits).toEqual(['/forecast/S%C3%A3o%20Paulo?days=2']);
  });

  it('shows a failed call to the model, which tries again', async () => {
    provider.reply(
      { toolCalls: [{ name: 'get_weather', args: { city: 'Atlantis' }, id: 'c1' }] },
      { toolCalls: [{ name: 'get_wether', args: { city: 'Paris' }, id: 'c2' }] },
      { toolCalls: [{ name: 'get_weather', args: { city: 'Paris' }, id: 'c3' }] },
      { text: 'Sunny in Paris.' },
    );
    const events = await collect(runtime().compile(assistantFlow([weatherTool()])).run({ question: 'Weather?' }));

    expect(events.at(-1)?.type).toBe('run.completed');
    const results = ofType(events, 'tool.result');
    expect(results.map((event) => event.isError)).toEqual([true, true, false]);
    expect(String(results[0]?.result)).toMatch(/answered 404.*no such city/);
    expect(String(results[1]?.result)).toMatch(/no tool "get_wether"; the tools are "get_weather"/);
    const seen = messagesSent(1).find((message) => message.role === 'tool') as unknown as { content: string };
    expect(seen.content).toMatch(/^Error: .*404/);
  });

  it('fails the node after more consecutive errors than maxConsecutiveErrors, and the checkpoints stay readable', async () => {
    provider.reply(
      { toolCalls: [{ name: 'add', args: { a: 'x', b: 1 }, id: 'c1' }] },
      { toolCalls: [{ name: 'add', args: { a: 'y', b: 1 }, id: 'c2' }] },
      { toolCalls: [{ name: 'add', args: { a: 'z', b: 1 }, id: 'c3' }] },
    );
    const flows = runtime();
    const compiled = flows.compile(assistantFlow([addTool], { maxConsecutiveErrors: 2 }));
    const events = await collect(compiled.run({ question: 'Add' }, { threadId: 'too-many' }));
    const failed = events.at(-1) as Extract<RunEvent, { type: 'run.failed' }>;
    expect(failed).toMatchObject({ type: 'run.failed', nodeId: 'tools', error: { code: 'tools.too_many_errors' } });
    expect(failed.error.message).toMatch(/3 tool calls failed in a row, more than its maxConsecutiveErrors \(2\).*a must be a number/);
    const state = await compiled.getState('too-many');
    // The failing step wrote nothing: the conversation ends at the third call, still resumable.
    expect((state.values.messages as unknown[]).length).toBe(6);
    expect(state.next).toEqual(["tools"]);
  });

  it('fails clearly on tool-call arguments that are not JSON, after the retries the node allows', async () => {
    provider.reply({ malformedToolCall: 'add' }, { malformedToolCall: 'add' });
    const flow = assistantFlow([addTool]);
    (flow.nodes[1] as { config: Record<string, unknown> }).config.retry = { maxAttempts: 2, initialIntervalMs: 1, backoffFactor: 1 };
    const events = await collect(runtime().compile(flow).run({ question: 'Add' }));
    expect(events.at(-1)).toMatchObject({ type: 'run.failed', nodeId: 'assistant', error: { code: 'llm.tool_call_malformed' } });
    expect((events.at(-1) as Extract<RunEvent, { type: 'run.failed' }>).error.message).toMatch(/tool "add" with arguments that are not JSON.*after 2 attempts/);
    expect(provider.requests).toHaveLength(2);
  });

  it('runs another stored flow as a tool, each call in a namespace of its own', async () => {
    const doubleTool = { kind: 'flow', name: 'double', description: 'Doubles n', parameters: { type: 'object', properties: { n: { type: 'number' } } }, flowId: 'doubler' };
    provider.reply({ toolCalls: [{ name: 'double', args: { n: 4 }, id: 'd1' }, { name: 'double', args: { n: 10 }, id: 'd2' }] }, { text: '8 and 20' });
    const events = await collect(runtime().compile(assistantFlow([doubleTool])).run({ question: 'Double 4 and 10' }, { threadId: 'flows-as-tools' }));
    expect(events.at(-1)?.type).toBe('run.completed');
    // The two calls run at once: their results come in whichever order they finish.
    expect(Object.fromEntries(ofType(events, 'tool.result').map((event) => [event.toolCallId, event.result]))).toEqual({ d1: { doubled: 8 }, d2: { doubled: 20 } });
  });
});

describe('agent.react: the prebuilt ReAct agent as a subgraph', () => {
  it('loops model → tools → model until the answer, streaming its inner steps as events', async () => {
    provider.reply({ toolCalls: [{ name: 'add', args: { a: 20, b: 22 }, id: 'r1' }] }, { text: 'The answer is 42.', usage: { prompt: 30, completion: 5 } });
    const events = await collect(runtime().compile(reactFlow({ tools: [addTool], systemPrompt: 'Use tools for arithmetic.' })).run({ question: 'What is 20 + 22?' }));

    expect(events.at(-1)?.type).toBe('run.completed');
    expect(ofType(events, 'tool.call')).toMatchObject([{ nodeId: 'agent', name: 'add', args: { a: 20, b: 22 } }]);
    expect(ofType(events, 'tool.result')).toMatchObject([{ nodeId: 'agent', result: 42, isError: false }]);
    expect(ofType(events, 'llm.token').map((event) => event.token).join('')).toBe('The answer is 42.');
    expect(messagesSent(0)[0]).toEqual({ role: 'system', content: 'Use tools for arithmetic.' });
    expect((messagesSent(1).at(-1) as unknown as { content: string }).content).toBe('42');
    const completed = ofType(events, 'node.completed').find((event) => event.nodeId === 'agent');
    expect(completed?.output).toMatchObject({ reply: 'The answer is 42.', iterations: 2, usage: { inputTokens: 40, outputTokens: 10 } });
    const final = ofType(events, 'run.completed')[0]?.state as { messages: { content: string }[] };
    expect(final.messages.map((message) => message.content)).toEqual(['What is 20 + 22?', '', '42', 'The answer is 42.']);
  });

  it('makes one model client per execution, not one per iteration, with the key read once', async () => {
    provider.reply(
      { toolCalls: [{ name: 'add', args: { a: 1, b: 2 }, id: 'o1' }] },
      { toolCalls: [{ name: 'add', args: { a: 3, b: 4 }, id: 'o2' }] },
      { text: '3 and 7.' },
    );
    const factory = createModelFactory({ resolveProvider: async () => ({ baseUrl: provider.baseUrl }) });
    let created = 0;
    let resolved = 0;
    const counting = new FlowRuntime({
      checkpointer: new MemorySaver(),
      hostServices: {
        models: { create: (config, options) => ((created += 1), factory.create(config, options)) },
        credentials: { resolve: async () => ((resolved += 1), KEY) },
      },
    });
    const events = await collect(counting.compile(reactFlow({ tools: [addTool] })).run({ question: '1+2, then 3+4?' }));
    expect(events.at(-1)?.type).toBe('run.completed');
    expect(provider.requests).toHaveLength(3);
    expect(provider.requests.every((request) => request.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    expect([created, resolved]).toEqual([1, 1]);
  });

  it('calls a tool of a real MCP server (server-everything), offering the model only the tools the node names', async () => {
    provider.reply({ toolCalls: [{ name: 'echo', args: { message: '你好' }, id: 'm1' }] }, { text: 'It said: Echo: 你好' });
    const events = await collect(runtime().compile(reactFlow({ tools: [{ kind: 'mcp', server: everythingServer(), tools: ['echo'] }] })).run({ question: 'Echo 你好' }));
    expect(events.at(-1)?.type).toBe('run.completed');
    expect((provider.requests[0]?.body.tools as { function: { name: string } }[]).map((tool) => tool.function.name)).toEqual(['echo']);
    expect(ofType(events, 'tool.result')).toMatchObject([{ name: 'echo', result: 'Echo: 你好', isError: false }]);
  });

  it('fails an MCP tool whose server is not registered with the pool\'s code, without retrying it', async () => {
    let lookups = 0;
    const registry = new SdkMcpClientPool({ resolveRegistered: async () => ((lookups += 1), undefined) });
    const flow = reactFlow({ tools: [{ kind: 'mcp', server: { transport: 'registered', name: 'gone' } }], retry: { maxAttempts: 3, initialIntervalMs: 1, backoffFactor: 1 } });
    const events = await collect(runtime(new MemorySaver(), registry).compile(flow).run({ question: 'Use the gone server' }));
    expect(events.at(-1)).toMatchObject({ type: 'run.failed', nodeId: 'agent', error: { code: 'mcp.unregistered', message: expect.stringContaining('"gone"') } });
    // Retrying could not find it either: the pool was asked once, and the model never.
    expect(lookups).toBe(1);
    expect(provider.requests).toHaveLength(0);
    await registry.close();
  });

  it('stops at maxIterations with a failure that names the limit', async () => {
    provider.reply(...Array.from({ length: 3 }, (_, index) => ({ toolCalls: [{ name: 'add', args: { a: index, b: 1 }, id: `loop${index}` }] })));
    const events = await collect(runtime().compile(reactFlow({ tools: [addTool], maxIterations: 2 })).run({ question: 'Count forever' }));
    expect(events.at(-1)).toMatchObject({ type: 'run.failed', nodeId: 'agent', error: { code: 'react.max_iterations' } });
    expect((events.at(-1) as Extract<RunEvent, { type: 'run.failed' }>).error.message).toMatch(/maxIterations \(2\)/);
  });

  it('asks a person before a named tool runs: edit the arguments, then reject, through interrupts that resume the subgraph', async () => {
    provider.reply(
      { toolCalls: [{ name: 'get_weather', args: { city: 'Pariss' }, id: 'w1' }] },
      { toolCalls: [{ name: 'get_weather', args: { city: 'Berlin' }, id: 'w2' }] },
      { text: 'Paris is sunny; Berlin was not checked.' },
    );
    const compiled = runtime().compile(reactFlow({ tools: [weatherTool()], approveTools: ['get_weather'] }));
    const first = await collect(compiled.run({ question: 'Weather in Paris, then Berlin?' }, { threadId: 'approve' }));
    const waiting = first.at(-1) as Extract<RunEvent, { type: 'interrupt' }>;
    expect(waiting).toMatchObject({ type: 'interrupt', nodeId: 'agent', payload: { kind: 'human', prompt: expect.stringContaining('"city": "Pariss"') } });
    expect(weatherHits).toEqual([]);

    await expect(compiled.resume('approve', { decision: 'maybe' })).rejects.toThrow(/refused/);
    const second = await collect(await compiled.resume('approve', { decision: 'edit', arguments: { city: 'Paris' } }));
    expect(weatherHits).toEqual(['/forecast?city=Paris']);
    expect(second.at(-1)).toMatchObject({ type: 'interrupt', payload: { prompt: expect.stringContaining('Berlin') } });

    const third = await collect(await compiled.resume('approve', { decision: 'reject', reason: 'one city is enough' }));
    expect(third.at(-1)?.type).toBe('run.completed');
    expect(weatherHits).toEqual(['/forecast?city=Paris']);
    const rejected = messagesSent(2).find((message) => message.role === 'tool' && String(message.content).includes('rejected')) as unknown as { content: string };
    expect(rejected.content).toMatch(/A person rejected this call \(one city is enough\)/);
    // The model was asked exactly three times: the resumes went on from the subgraph's checkpoints.
    expect(provider.requests).toHaveLength(3);
  });
});
