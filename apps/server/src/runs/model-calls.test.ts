// A flow's LLM step on the server: the provider it names in `model.credential` comes from the
// server's settings, with its address and its key, which never shows in a run's events.
import type { RunEvent } from '@loomflow/graph-schema';
import { startOpenAiTestServer, type OpenAiTestServer } from '@loomflow/openai-test-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest as json } from '../testing/fixtures';
import { askFlow } from '../testing/flows';
import { readSse } from '../testing/sse';

const KEY = 'sk-local-provider-key-0123456789';

let provider: OpenAiTestServer;
let test: Awaited<ReturnType<typeof createTestApp>>;
const request = (path: string, init?: RequestInit) => test.app.request(path, init);

beforeAll(async () => {
  provider = await startOpenAiTestServer();
});
afterAll(() => provider.close());
beforeEach(async () => {
  provider.requests.length = 0;
  test = await createTestApp({ environment: { LOCAL_LLM_KEY: KEY } });
  expect((await request('/api/settings/providers/local', json('PUT', { kind: 'openai-compatible', baseUrl: provider.baseUrl, apiKeyEnv: 'LOCAL_LLM_KEY' }))).status).toBe(200);
});
afterEach(() => test.dispose());


async function runEvents(flowId: string, input: Record<string, unknown>): Promise<RunEvent[]> {
  const { runId } = (await (await request(`/api/flows/${flowId}/runs`, json('POST', { input }))).json()) as { runId: string };
  return eventsOf(runId);
}

async function eventsOf(runId: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const message of readSse((await request(`/api/runs/${runId}/events`)).body as ReadableStream<Uint8Array>)) events.push(JSON.parse(message.data) as RunEvent);
  return events;
}

describe('LLM steps on the server', () => {
  it("call the provider the flow names, at its address with its key, streaming the reply's tokens", async () => {
    await request('/api/flows', json('POST', askFlow('local')));
    provider.reply({ text: 'Refunds take five days.' });
    const events = await runEvents('ask-local', { question: 'How long do refunds take?' });
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { answer: 'Refunds take five days.' } });
    expect(events.filter((event) => event.type === 'llm.token').length).toBeGreaterThan(1);
    expect(provider.requests[0]).toMatchObject({ path: '/v1/chat/completions', headers: { authorization: `Bearer ${KEY}` }, body: { model: 'local-model' } });
    expect(JSON.stringify(events)).not.toContain(KEY);
  });

  it('fail the step naming a provider the server does not have', async () => {
    await request('/api/flows', json('POST', askFlow('missing')));
    const events = await runEvents('ask-missing', { question: 'hi' });
    expect(events.at(-1)).toMatchObject({ type: 'run.failed', nodeId: 'ask', error: { message: expect.stringContaining('"missing"') } });
    expect(provider.requests).toHaveLength(0);
  });

  it('call an Anthropic provider of the settings with its key in x-api-key, and refuse a model of the other protocol', async () => {
    expect((await request('/api/settings/providers/claude', json('PUT', { kind: 'anthropic', baseUrl: provider.anthropicBaseUrl, apiKeyEnv: 'LOCAL_LLM_KEY' }))).status).toBe(200);
    await request('/api/flows', json('POST', askFlow('claude', { provider: 'anthropic', model: 'claude-test' })));
    provider.reply({ text: 'Refunds take five days.' });
    const events = await runEvents('ask-claude', { question: 'How long do refunds take?' });
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { answer: 'Refunds take five days.' } });
    expect(events.filter((event) => event.type === 'llm.token').length).toBeGreaterThan(1);
    expect(provider.requests[0]).toMatchObject({ path: '/v1/messages', headers: { 'x-api-key': KEY }, body: { model: 'claude-test', stream: true } });
    expect(JSON.stringify(events)).not.toContain(KEY);

    // A model without `provider` is OpenAI-compatible: naming the Anthropic provider fails before any call.
    provider.requests.length = 0;
    const mismatched = askFlow('claude');
    await request('/api/flows', json('POST', { ...mismatched, id: 'ask-claude-as-openai' }));
    const failed = await runEvents('ask-claude-as-openai', { question: 'hi' });
    expect(failed.at(-1)).toMatchObject({ type: 'run.failed', nodeId: 'ask', error: { code: 'llm.credential', message: expect.stringContaining('set the model\'s provider to anthropic') } });
    expect(provider.requests).toHaveLength(0);
  });
});

describe("a flow's model address", () => {
  it('may not sit beside a provider: the flow saves with an issue naming the node and baseUrl, and does not run', async () => {
    const flow = { ...askFlow('local', { model: 'local-model', baseUrl: 'https://collector.example/v1' }), id: 'ask-elsewhere' };
    const saved = (await (await request('/api/flows', json('POST', flow))).json()) as { issues: { code: string; nodeId: string; path: unknown[]; message: string }[] };
    const issue = { code: 'invalid-config', nodeId: 'ask', path: ['nodes', 1, 'config', 'model', 'baseUrl'], message: expect.stringContaining("at config.model.baseUrl: must be empty when the model names a provider") };
    expect(saved.issues).toEqual([expect.objectContaining(issue)]);
    const run = await request('/api/flows/ask-elsewhere/runs', json('POST', { input: { question: 'hi' } }));
    expect(run.status).toBe(422);
    expect(await run.json()).toMatchObject({ error: { code: 'flow_invalid', details: { issues: [expect.objectContaining(issue)] } } });
    expect(provider.requests).toHaveLength(0);
  });

  it("without a provider reaches only public addresses: one on loopback fails the step with llm.refused and gets nothing", async () => {
    const flow = askFlow('local', { model: 'local-model', baseUrl: provider.baseUrl });
    delete (flow.nodes[1]?.config as { model: { credential?: string } }).model.credential;
    await request('/api/flows', json('POST', { ...flow, id: 'ask-loopback' }));
    const events = await runEvents('ask-loopback', { question: 'hi' });
    expect(events.at(-1)).toMatchObject({
      type: 'run.failed',
      nodeId: 'ask',
      error: { code: 'llm.refused', message: expect.stringContaining('not a public address; add "127.0.0.1:') },
    });
    expect((events.at(-1) as { error: { message: string } }).error.message).toContain('to the settings as a model provider to permit it');
    expect(provider.requests).toHaveLength(0);
  });
});

describe('replaying a run', () => {
  it("answers the model from the run's record, with the provider gone, and gives the same outputs", async () => {
    await request('/api/flows', json('POST', askFlow('local')));
    provider.reply({ text: 'Refunds take five days.' });
    const { runId } = (await (await request('/api/flows/ask-local/runs', json('POST', { input: { question: 'How long?' } }))).json()) as { runId: string };
    const original = await eventsOf(runId);
    expect(original.at(-1)).toMatchObject({ type: 'run.completed', state: { answer: 'Refunds take five days.' } });

    // The provider is gone: a replay that called it would fail.
    expect((await request('/api/settings/providers/local', { method: 'DELETE' })).status).toBe(204);
    const requests = provider.requests.length;
    const replayed = await request(`/api/runs/${runId}/replay`, json('POST', {}));
    expect(replayed.status).toBe(202);
    const replay = (await replayed.json()) as { runId: string; threadId: string };
    const events = await eventsOf(replay.runId);
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { answer: 'Refunds take five days.' } });
    expect(provider.requests.length).toBe(requests);
    expect(await (await request(`/api/runs/${replay.runId}`)).json()).toMatchObject({ trigger: 'replay', threadId: replay.threadId });
  });

  it('with the current draft, stops at the first node that now asks otherwise', async () => {
    await request('/api/flows', json('POST', askFlow('local')));
    provider.reply({ text: 'Five days.' });
    const { runId } = (await (await request('/api/flows/ask-local/runs', json('POST', { input: { question: 'How long?' } }))).json()) as { runId: string };
    await eventsOf(runId);
    const changed = askFlow('local');
    (changed.nodes[1] as { config: Record<string, unknown> }).config.prompt = 'Briefly: {{question}}';
    const { flow: _flow, revision } = (await (await request('/api/flows/ask-local')).json()) as { flow: unknown; revision: number };
    expect((await request('/api/flows/ask-local', json('PUT', { flow: changed, revision }))).status).toBe(200);

    const same = (await (await request(`/api/runs/${runId}/replay`, json('POST', {}))).json()) as { runId: string };
    expect((await eventsOf(same.runId)).at(-1)).toMatchObject({ type: 'run.completed', state: { answer: 'Five days.' } });
    const draft = (await (await request(`/api/runs/${runId}/replay`, json('POST', { draft: true }))).json()) as { runId: string };
    expect((await eventsOf(draft.runId)).at(-1)).toMatchObject({ type: 'run.failed', nodeId: 'ask', error: { code: 'replay.diverged' } });
  });

  it('replays the continuation from a checkpoint as a new branch of the thread, with no calls out', async () => {
    await request('/api/flows', json('POST', askFlow('local')));
    provider.reply({ text: 'Refunds take five days.' });
    const { runId, threadId } = (await (await request('/api/flows/ask-local/runs', json('POST', { input: { question: 'How long?' }, debug: true }))).json()) as { runId: string; threadId: string };
    await eventsOf(runId);
    const history = async () => ((await (await request(`/api/threads/${threadId}/history`)).json()) as { items: { checkpointId: string; next: string[] }[] }).items;
    const beforeAsk = (await history()).find((state) => state.next.includes('ask'));
    expect((await request('/api/settings/providers/local', { method: 'DELETE' })).status).toBe(204);
    const requests = provider.requests.length;

    const replayed = await request(`/api/runs/${runId}/replay`, json('POST', { checkpointId: beforeAsk?.checkpointId }));
    expect(replayed.status).toBe(202);
    const replay = (await replayed.json()) as { runId: string; threadId: string };
    expect(replay.threadId).toBe(threadId);
    const events = await eventsOf(replay.runId);
    expect(events.filter((event) => event.type === 'node.started').map((event) => (event as { nodeId: string }).nodeId)).toEqual(['ask', 'end']);
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { answer: 'Refunds take five days.' } });
    expect(provider.requests.length).toBe(requests);
    // Both ends stay in the thread: the first run's and the replayed branch's.
    expect((await history()).filter((state) => state.next.length === 0)).toHaveLength(2);
    expect((await request(`/api/runs/${runId}/replay`, json('POST', { checkpointId: beforeAsk?.checkpointId, draft: true }))).status).toBe(400);

    // A replay's own thread recorded nothing: its continuation answers from the thread it replays.
    const whole = (await (await request(`/api/runs/${runId}/replay`, json('POST', {}))).json()) as { runId: string; threadId: string };
    await eventsOf(whole.runId);
    const replayHistory = ((await (await request(`/api/threads/${whole.threadId}/history`)).json()) as { items: { checkpointId: string; next: string[] }[] }).items;
    const again = (await (await request(`/api/runs/${whole.runId}/replay`, json('POST', { checkpointId: replayHistory.find((state) => state.next.includes('ask'))?.checkpointId }))).json()) as { runId: string };
    expect((await eventsOf(again.runId)).at(-1)).toMatchObject({ type: 'run.completed', state: { answer: 'Refunds take five days.' } });
    expect(provider.requests.length).toBe(requests);
  });

  it('refuses an unknown run and a body with unknown fields', async () => {
    expect((await request('/api/runs/nope/replay', json('POST', {}))).status).toBe(404);
    await request('/api/flows', json('POST', askFlow('local')));
    provider.reply({ text: 'ok' });
    const { runId } = (await (await request('/api/flows/ask-local/runs', json('POST', { input: { question: 'q' } }))).json()) as { runId: string };
    await eventsOf(runId);
    expect((await request(`/api/runs/${runId}/replay`, json('POST', { fresh: true }))).status).toBe(400);
  });
});
