// Recording a run's outside calls and replaying it from the record: a model behind the local
// OpenAI-protocol server, an HTTP endpoint on loopback and a tool loop, replayed with both gone.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemorySaver } from '@langchain/langgraph';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { startOpenAiTestServer, type OpenAiTestServer } from '@loomflow/openai-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from './call-log';
import { FlowRuntime } from './flow-runtime';
import { createModelFactory } from './models/model-factory';

const at = { x: 0, y: 0 };
let provider: OpenAiTestServer;
let api: Server;
let apiUrl: string;
let apiHits = 0;

beforeAll(async () => {
  provider = await startOpenAiTestServer();
  api = createServer((_req, res) => {
    apiHits += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ rate: 0.92, served: apiHits }));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await provider.close();
  await new Promise((resolve) => api.close(resolve));
});

/** start → fetch (agent.http) → assistant (LLM with a code tool) ⇄ tools → end. */
const flow = (prompt: string): FlowDocumentInput => ({
  schemaVersion: 1,
  id: 'recorded',
  name: 'Recorded',
  kind: 'agent',
  state: { channels: [{ name: 'question', type: 'string' }, { name: 'response', type: 'object' }, { name: 'messages', type: 'messages', reducer: 'messages' }] },
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { id: 'fetch', type: 'agent.http', position: at, config: { url: `${apiUrl}/rate`, allowHosts: ['127.0.0.1'] } },
    {
      id: 'assistant',
      type: 'agent.llm',
      position: at,
      config: { model: { model: 'test-model', credential: 'local' }, prompt, callsTools: true, retry: { maxAttempts: 2, initialIntervalMs: 1, backoffFactor: 1 } },
    },
    { id: 'tools', type: 'agent.tools', position: at, config: { tools: [{ kind: 'code', name: 'double', description: 'Doubles x', parameters: { type: 'object', properties: { x: { type: 'number' } } }, source: 'return state.x * 2;' }] } },
    { id: 'end', type: 'agent.end', position: at },
  ],
  edges: [
    { id: 'e0', source: 'start', target: 'fetch' },
    { id: 'e1', source: 'fetch', target: 'assistant' },
    { id: 'e2', source: 'assistant', target: 'tools', sourcePort: 'tools' },
    { id: 'e3', source: 'tools', target: 'assistant' },
    { id: 'e4', source: 'assistant', target: 'end', sourcePort: 'out' },
  ],
});

const runtime = () =>
  new FlowRuntime({
    checkpointer: new MemorySaver(),
    hostServices: {
      models: createModelFactory({ resolveProvider: async (name) => (name === 'local' ? { baseUrl: provider.baseUrl } : undefined) }),
      credentials: { resolve: async () => 'sk-local-key' },
    },
  });

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

const finalState = (events: RunEvent[]) => {
  const last = events.at(-1);
  if (last?.type !== 'run.completed') throw new Error(`the run ended with ${JSON.stringify(last)}`);
  return last.state as { response: unknown; messages: { type: string; content: unknown; tool_calls?: unknown }[] };
};
/** Message ids are made afresh in every run; what was said is what a replay must repeat. */
const said = (state: ReturnType<typeof finalState>) => ({ response: state.response, messages: state.messages.map(({ type, content, tool_calls }) => ({ type, content, tool_calls })) });

describe('recording and replaying a run', () => {
  it('replays a finished run from its record with the provider and the API gone: same outputs, no calls', async () => {
    const recorded: RecordedCall[] = [];
    provider.reply({ status: 429, retryAfterSeconds: 0 }, { toolCalls: [{ name: 'double', args: { x: 21 } }] }, { text: 'Double 21 is 42.' });
    const original = await collect(runtime().compile(flow('Rate {{response.body.rate}}: {{question}}')).run({ question: 'Double 21?' }, { callLog: { record: (call) => void recorded.push(call) } }));
    expect(recorded.map((call) => [call.nodeId, call.kind])).toEqual([
      ['fetch', 'http'],
      ['assistant', 'model'],
      ['assistant', 'model'],
    ]);
    // The rate-limited attempt is not part of the record: the retry's answer is the first ask's.
    expect(recorded[1]?.key).toMatch(/^assistant:model:[0-9a-f]{32}:0$/);

    const requestsBefore = provider.requests.length;
    const hitsBefore = apiHits;
    const replay = await collect(
      runtime()
        .compile(flow('Rate {{response.body.rate}}: {{question}}'))
        .run({ question: 'Double 21?' }, { callLog: { recorded: new Map(recorded.map((call) => [call.key, call.result])) } }),
    );
    expect(said(finalState(replay))).toEqual(said(finalState(original)));
    expect(provider.requests.length).toBe(requestsBefore);
    expect(apiHits).toBe(hitsBefore);
    // The recorded reply streams again, as one token.
    expect(replay.filter((event) => event.type === 'llm.token').map((event) => (event as { token: string }).token)).toEqual(['Double 21 is 42.']);
  });

  it('stops at the first node whose call the record does not hold when the drawing changed', async () => {
    const recorded: RecordedCall[] = [];
    provider.reply({ text: 'Fine.' });
    await collect(runtime().compile(flow('{{question}}')).run({ question: 'Hi' }, { callLog: { record: (call) => void recorded.push(call) } }));
    const replay = await collect(runtime().compile(flow('Please: {{question}}')).run({ question: 'Hi' }, { callLog: { recorded: new Map(recorded.map((call) => [call.key, call.result])) } }));
    expect(replay.at(-1)).toMatchObject({ type: 'run.failed', nodeId: 'assistant', error: { code: 'replay.diverged' } });
    expect(replay.find((event) => event.type === 'node.completed' && event.nodeId === 'fetch')).toBeDefined();
  });
});
