// The runtime's extension points as the server wires them: a flow's credential reference resolves
// through the provider store when a node asks for it, events an executor streams are stored and
// relayed like the runtime's own, and the secret shows in nothing the API reports of the run.
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import type { Executor } from '@loomflow/runtime';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest as json } from '../testing/fixtures';
import { readSse } from '../testing/sse';

const API_KEY = `sk-${randomBytes(12).toString('hex')}`;

/** start → llm (model credential `provider`) → end, with the reply in `reply`. */
function llmFlow(id: string, provider: string): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name: 'Ask a model',
    kind: 'agent',
    state: { channels: [{ name: 'reply', type: 'string', reducer: 'replace', default: '' }] },
    nodes: [
      { id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} },
      { id: 'llm', type: 'agent.llm', position: { x: 150, y: 0 }, config: { model: { credential: provider }, prompt: 'Hello', output: 'reply' } },
      { id: 'end', type: 'agent.end', position: { x: 300, y: 0 }, config: {} },
    ],
    edges: [
      { id: 'e0', source: 'start', target: 'llm' },
      { id: 'e1', source: 'llm', target: 'end' },
    ],
  };
}

/** What each run's model node resolved, to check the resolver's answer outside the run. */
let resolved: (string | undefined)[] = [];

/** Stands in for the LLM executor to come: resolves its model's credential, streams, and keeps the key to itself. */
const llmExecutor: Executor = async ({ node, service, emit }) => {
  const { credential } = node.config.model as { credential: string };
  const apiKey = await service('credentials').resolve(credential);
  resolved.push(apiKey);
  for (const token of ['Hel', 'lo']) emit({ type: 'llm.token', token });
  return { update: { reply: 'Hello' } };
};

let test: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  resolved = [];
  test = await createTestApp({ secretKey: randomBytes(32).toString('base64'), executors: { 'agent.llm': llmExecutor } });
});
afterEach(() => test.dispose());

const request = (path: string, init?: RequestInit) => test.app.request(path, init);

async function runToEnd(flow: FlowDocumentInput): Promise<{ runId: string; threadId: string; events: RunEvent[] }> {
  expect((await request('/api/flows', json('POST', flow))).status).toBe(201);
  const res = await request(`/api/flows/${flow.id}/runs`, json('POST', {}));
  expect(res.status).toBe(202);
  const { runId, threadId } = (await res.json()) as { runId: string; threadId: string };
  const events: RunEvent[] = [];
  for await (const message of readSse((await request(`/api/runs/${runId}/events`)).body as ReadableStream<Uint8Array>)) events.push(JSON.parse(message.data) as RunEvent);
  return { runId, threadId, events };
}

describe('host services on the server', () => {
  it('resolves a credential through the provider store and never shows the key in events or state', async () => {
    const put = await request('/api/settings/providers/openai', json('PUT', { kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', apiKey: API_KEY }));
    expect(put.status).toBe(200);
    const { runId, threadId, events } = await runToEnd(llmFlow('ask', 'openai'));

    expect(resolved).toEqual([API_KEY]);
    expect(events.filter((event) => event.type === 'llm.token').map((event) => [event.nodeId, event.token])).toEqual([
      ['llm', 'Hel'],
      ['llm', 'lo'],
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { reply: 'Hello' } });
    // Streamed events are stored like the others: replaying the run's log gives them back.
    const stored = await test.services.runs.events(runId);
    expect(stored.filter((event) => event.type === 'llm.token')).toHaveLength(2);

    const shown = await Promise.all(
      [`/api/runs/${runId}`, `/api/threads/${threadId}/state`, `/api/threads/${threadId}/history`, '/api/settings/providers/openai'].map(async (path) => (await request(path)).text()),
    );
    for (const body of [JSON.stringify(events), JSON.stringify(stored), ...shown]) expect(body).not.toContain(API_KEY);
  });

  it("fails the node with the provider store's message when the credential names no provider", async () => {
    const { events } = await runToEnd(llmFlow('ask-nobody', 'missing'));
    expect(resolved).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'run.failed', nodeId: 'llm', error: { message: expect.stringContaining('No model provider with id "missing"') as unknown } });
  });
});
