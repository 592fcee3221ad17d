import type { RunEvent } from '@loomflow/graph-schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../errors';
import { createTestApp, EMPTY_JSON_POST, jsonRequest as json } from '../testing/fixtures';
import { approvalFlow, chainFlow } from '../testing/flows';
import { readSse } from '../testing/sse';

let test: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  test = await createTestApp();
});
afterEach(() => test.dispose());

const request = (path: string, init?: RequestInit) => test.app.request(path, init);

async function startRun(flowId: string, body: Record<string, unknown> = {}): Promise<{ runId: string; threadId: string }> {
  const res = await request(`/api/flows/${flowId}/runs`, json('POST', body));
  expect(res.status).toBe(202);
  return (await res.json()) as { runId: string; threadId: string };
}

async function eventsOf(runId: string, headers: Record<string, string> = {}): Promise<{ id?: string; event?: string; data: RunEvent }[]> {
  const res = await request(`/api/runs/${runId}/events`, { headers });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const messages = [];
  for await (const message of readSse(res.body as ReadableStream<Uint8Array>)) messages.push({ ...message, data: JSON.parse(message.data) as RunEvent });
  return messages;
}

describe('runs', () => {
  it('runs a flow, streams its events as SSE and replays them after Last-Event-ID', async () => {
    await request('/api/flows', json('POST', chainFlow('chain', 3)));
    const { runId, threadId } = await startRun('chain', { input: { count: 10 } });
    const live = await eventsOf(runId);
    const types = live.map((message) => message.event);
    expect(types[0]).toBe('run.started');
    expect(types.at(-1)).toBe('run.completed');
    expect(live.filter((message) => message.event === 'node.completed').map((message) => (message.data as { nodeId: string }).nodeId)).toEqual(['start', 'step1', 'step2', 'step3', 'end']);
    expect(live.map((message) => Number(message.id))).toEqual(live.map((_, index) => index));
    expect(live.every((message) => message.data.runId === runId && message.data.threadId === threadId)).toBe(true);
    expect(live.at(-1)?.data).toMatchObject({ state: { count: 13 } });

    const replayed = await eventsOf(runId, { 'Last-Event-ID': '2' });
    expect(replayed.map((message) => Number(message.id))).toEqual(live.slice(3).map((message) => Number(message.id)));

    expect(await (await request(`/api/runs/${runId}`)).json()).toMatchObject({ id: runId, status: 'completed', flowId: 'chain', threadId });
    expect(await (await request(`/api/threads/${threadId}/state`)).json()).toMatchObject({ values: { count: 13 }, next: [] });
    const history = (await (await request(`/api/threads/${threadId}/history`)).json()) as { items: unknown[] };
    expect(history.items.length).toBeGreaterThan(0);
  });

  it("starts a thread's later run on the document the thread started with, not the edited draft", async () => {
    await request('/api/flows', json('POST', chainFlow('kept', 2)));
    const stored = (await (await request('/api/flows/kept')).json()) as { flow: unknown; revision: number };
    const first = await startRun('kept', { input: { count: 0 } });
    await eventsOf(first.runId);
    // An edit after the run started does not reach the run, nor the thread's next run.
    expect((await request('/api/flows/kept', json('PUT', { flow: { ...chainFlow('kept', 3), name: 'Edited' }, revision: stored.revision }))).status).toBe(200);
    const second = await startRun('kept', { input: { count: 0 }, threadId: first.threadId });
    for (const { runId } of [first, second]) {
      const kept = (await (await request(`/api/runs/${runId}/document`)).json()) as { flow: unknown };
      expect(kept.flow).toEqual(stored.flow);
    }
    const events = await eventsOf(second.runId);
    expect(events.at(-1)?.data).toMatchObject({ type: 'run.completed', state: { count: 2 } });
  });

  it('lists runs by flow and status, and refuses unknown flows, versions and bad bodies', async () => {
    await request('/api/flows', json('POST', chainFlow('a', 1)));
    await request('/api/flows', json('POST', chainFlow('b', 1)));
    const first = await startRun('a');
    await startRun('b');
    await eventsOf(first.runId);
    const list = (await (await request('/api/runs?flowId=a&status=completed')).json()) as { items: { id: string }[]; total: number };
    expect(list.items.map((item) => item.id)).toEqual([first.runId]);
    expect(list.total).toBe(1);
    expect((await request('/api/runs?status=bogus')).status).toBe(400);
    expect((await request('/api/flows/nope/runs', json('POST', {}))).status).toBe(404);
    const noVersion = await request('/api/flows/a/runs', json('POST', { version: 3 }));
    expect(noVersion.status).toBe(404);
    expect(((await noVersion.json()) as ApiErrorBody).error.code).toBe('version_not_found');
    expect((await request('/api/flows/a/runs', json('POST', { input: 'not an object' }))).status).toBe(400);
    expect((await request('/api/runs/nope/events')).status).toBe(404);
  });

  it("keeps the document a thread ran, whatever the draft became, for each of the thread's runs", async () => {
    await request('/api/flows', json('POST', approvalFlow('kept')));
    const { runId, threadId } = await startRun('kept');
    await eventsOf(runId);
    const edited = { ...approvalFlow('kept'), name: 'Approval, edited later' };
    expect((await request('/api/flows/kept', json('PUT', { flow: edited, revision: 1 }))).status).toBe(200);
    const resumed = await request(`/api/threads/${threadId}/resume`, json('POST', { value: { approved: true } }));
    const { runId: secondRun } = (await resumed.json()) as { runId: string };
    await eventsOf(secondRun);

    for (const id of [runId, secondRun]) {
      const res = await request(`/api/runs/${id}/document`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ runId: id, flowId: 'kept', version: null, flow: { id: 'kept', name: 'Approval', nodes: [{ id: 'start' }, { id: 'ask' }, { id: 'end' }] } });
    }
    // The summary stays small: the document is only behind its own route.
    expect(await (await request(`/api/runs/${runId}`)).json()).not.toHaveProperty('document');
    const notFound = await request('/api/runs/ghost/document');
    expect(notFound.status).toBe(404);
    expect(((await notFound.json()) as ApiErrorBody).error.code).toBe('run_not_found');

    const listed = (await (await request(`/api/runs?threadId=${threadId}`)).json()) as { items: { id: string; trigger: string; status: string; finishedAt: number | null }[] };
    expect(listed.items.map(({ id, trigger, status }) => ({ id, trigger, status }))).toEqual([
      { id: secondRun, trigger: 'resume', status: 'completed' },
      { id: runId, trigger: 'start', status: 'waiting' },
    ]);
    // A paused run has not finished: it has no end time, its resumption has.
    expect(listed.items.map((item) => item.finishedAt === null)).toEqual([false, true]);
  });

  it('refuses to run an invalid draft with 422 and its issues', async () => {
    await request('/api/flows', json('POST', { ...chainFlow('bad', 1), edges: [] }));
    const res = await request('/api/flows/bad/runs', json('POST', {}));
    expect(res.status).toBe(422);
    const error = ((await res.json()) as ApiErrorBody).error;
    expect(error.code).toBe('flow_invalid');
    expect((error.details as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
  });

  it('runs a published version, not the draft', async () => {
    await request('/api/flows', json('POST', chainFlow('pub', 1)));
    await request('/api/flows/pub/versions', json('POST', { message: 'one step' }));
    await request('/api/flows/pub', json('PUT', { flow: chainFlow('pub', 4), revision: 1 }));
    const { runId } = await startRun('pub', { version: 1 });
    expect((await eventsOf(runId)).at(-1)?.data).toMatchObject({ type: 'run.completed', state: { count: 1 } });
    expect(await (await request(`/api/runs/${runId}`)).json()).toMatchObject({ version: 1 });
  });

  it('cancels a running run', async () => {
    await request('/api/flows', json('POST', chainFlow('slow', 4, { delayMs: 200 })));
    const { runId } = await startRun('slow', { debug: true });
    const res = await request(`/api/runs/${runId}/events`);
    const reader = readSse(res.body as ReadableStream<Uint8Array>);
    const seen: string[] = [];
    for await (const message of reader) {
      seen.push(message.event ?? '');
      if (message.event === 'node.started' && JSON.parse(message.data).nodeId === 'step1') {
        expect((await request(`/api/runs/${runId}/cancel`, EMPTY_JSON_POST)).status).toBe(202);
      }
    }
    expect(seen.at(-1)).toBe('run.cancelled');
    expect(await (await request(`/api/runs/${runId}`)).json()).toMatchObject({ status: 'cancelled' });
    expect((await request(`/api/runs/${runId}/cancel`, EMPTY_JSON_POST)).status).toBe(409);
  });

  it('pauses at a breakpoint, forks the state and resumes the thread', async () => {
    await request('/api/flows', json('POST', chainFlow('bp', 2)));
    const { runId, threadId } = await startRun('bp', { breakpoints: { before: ['step2'] } });
    const paused = await eventsOf(runId);
    expect(paused.at(-1)?.data).toMatchObject({ type: 'interrupt', kind: 'breakpoint', nodeId: 'step2' });
    expect(await (await request(`/api/runs/${runId}`)).json()).toMatchObject({ status: 'waiting' });

    const update = await request(`/api/threads/${threadId}/state`, json('POST', { values: { count: 100 }, asNode: 'step1' }));
    expect(update.status).toBe(200);
    expect(await update.json()).toEqual({ checkpointId: expect.any(String), next: ['step2'] });
    expect(await (await request(`/api/threads/${threadId}/state`)).json()).toMatchObject({ values: { count: 100 }, next: ['step2'] });
    expect((await request(`/api/threads/${threadId}/state`, json('POST', { values: {}, asNode: 'ghost' }))).status).toBe(422);

    const resumed = await request(`/api/threads/${threadId}/resume`, json('POST', { value: null }));
    expect(resumed.status).toBe(202);
    const { runId: secondRun } = (await resumed.json()) as { runId: string };
    expect((await eventsOf(secondRun)).at(-1)?.data).toMatchObject({ type: 'run.completed', state: { count: 101 } });
    expect((await request(`/api/threads/${threadId}/resume`, json('POST', { value: null }))).status).toBe(409);
    expect((await request('/api/threads/unknown/state')).status).toBe(404);
  });

  it('steps from the start, keeps the thread’s breakpoints on Continue, and continues an earlier checkpoint as a branch', async () => {
    await request('/api/flows', json('POST', chainFlow('steps', 3)));
    const { runId, threadId } = await startRun('steps', { step: true, breakpoints: { before: ['step3'] } });
    expect((await eventsOf(runId)).at(-1)?.data).toMatchObject({ type: 'interrupt', kind: 'breakpoint', nodeId: 'start' });
    const resume = async (body: Record<string, unknown>) => {
      const res = await request(`/api/threads/${threadId}/resume`, json('POST', { value: null, ...body }));
      expect(res.status).toBe(202);
      return eventsOf(((await res.json()) as { runId: string }).runId);
    };
    const started = (events: { data: RunEvent }[]) => events.flatMap(({ data }) => (data.type === 'node.started' ? [data.nodeId] : []));
    const firstStep = await resume({ step: true });
    expect(started(firstStep)).toEqual(['start']);
    expect(started(await resume({ step: true }))).toEqual(['step1']);
    // Continue runs to the breakpoint the run started with, not to the end.
    const continued = await resume({});
    expect(started(continued)).toEqual(['step2']);
    expect(continued.at(-1)?.data).toMatchObject({ type: 'interrupt', kind: 'breakpoint', nodeId: 'step3' });
    expect((await resume({ breakpoints: { before: [], after: [] } })).at(-1)?.data).toMatchObject({ type: 'run.completed', state: { count: 3 } });

    const history = (await (await request(`/api/threads/${threadId}/history`)).json()) as { items: { checkpointId: string; next: string[] }[] };
    const beforeStep2 = history.items.find((state) => state.next.includes('step2'));
    const branch = await resume({ checkpointId: beforeStep2?.checkpointId });
    expect(started(branch)).toEqual(['step2', 'step3', 'end']);
    const finished = (await (await request(`/api/threads/${threadId}/history`)).json()) as typeof history;
    expect(finished.items.filter((state) => state.next.length === 0)).toHaveLength(2);
    const last = finished.items.find((state) => state.next.length === 0);
    const refused = await request(`/api/threads/${threadId}/resume`, json('POST', { value: null, checkpointId: last?.checkpointId }));
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as ApiErrorBody).error.code).toBe('not_waiting');
  });

  it('refuses an answer the human step does not accept, leaving the thread waiting', async () => {
    await request('/api/flows', json('POST', approvalFlow('ask')));
    const { runId, threadId } = await startRun('ask');
    expect((await eventsOf(runId)).at(-1)?.data).toMatchObject({ type: 'interrupt', kind: 'human', nodeId: 'ask' });
    const refused = await request(`/api/threads/${threadId}/resume`, json('POST', { value: { approved: 'yes' } }));
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as ApiErrorBody).error.code).toBe('answer_rejected');
    const state = (await (await request(`/api/threads/${threadId}/state`)).json()) as { interrupts: unknown[] };
    expect(state.interrupts).toHaveLength(1);
    const accepted = await request(`/api/threads/${threadId}/resume`, json('POST', { value: { approved: true } }));
    expect(accepted.status).toBe(202);
    const { runId: secondRun } = (await accepted.json()) as { runId: string };
    expect((await eventsOf(secondRun)).at(-1)?.data).toMatchObject({ type: 'run.completed', state: { approved: true } });
  });

  it('answers what the run manager refuses with its status, code and details', async () => {
    const errorOf = async (res: Response) => ({ status: res.status, ...((await res.json()) as ApiErrorBody).error });
    for (const res of [
      await request('/api/threads/ghost/history'),
      await request('/api/threads/ghost/resume', json('POST', { value: null })),
      await request('/api/threads/ghost/state', json('POST', { values: {}, asNode: 'step1' })),
    ]) {
      expect(await errorOf(res)).toMatchObject({ status: 404, code: 'thread_not_found', details: { threadId: 'ghost' } });
    }

    await request('/api/flows', json('POST', chainFlow('slow', 2, { delayMs: 100 })));
    await request('/api/flows', json('POST', chainFlow('other', 1)));
    const { runId, threadId } = await startRun('slow');
    expect(await errorOf(await request('/api/flows/slow/runs', json('POST', { threadId })))).toMatchObject({ status: 409, code: 'thread_busy', details: { threadId, runId } });
    expect(await errorOf(await request('/api/flows/other/runs', json('POST', { threadId })))).toMatchObject({ status: 409, code: 'thread_flow_mismatch', details: { threadId, flowId: 'slow' } });
    await eventsOf(runId);
    expect(await errorOf(await request(`/api/threads/${threadId}/resume`, json('POST', { value: null })))).toMatchObject({ status: 409, code: 'not_waiting' });
    expect(await errorOf(await request(`/api/threads/${threadId}/state`, json('POST', { values: {}, asNode: 'ghost' })))).toMatchObject({
      status: 422,
      code: 'unknown_node',
      message: 'Flow "slow" has no node "ghost".',
      details: { asNode: 'ghost' },
    });
    expect(await errorOf(await request('/api/tasks/ghost/complete', json('POST', { variables: {} })))).toMatchObject({ status: 404, code: 'task_not_found', details: { id: 'ghost' } });
  });

  it('queues runs beyond the concurrency limit, says so on their streams, and runs them in order', async () => {
    await test.dispose();
    test = await createTestApp({ maxConcurrentRuns: 1 });
    // The first run holds the only slot until it is cancelled, whatever the machine's speed.
    await request('/api/flows', json('POST', chainFlow('blocker', 100, { delayMs: 50 })));
    await request('/api/flows', json('POST', chainFlow('queued', 2)));
    const first = await startRun('blocker');
    const second = await startRun('queued');
    expect(await (await request(`/api/runs/${second.runId}`)).json()).toMatchObject({ status: 'queued' });
    const res = await request(`/api/runs/${second.runId}/events`);
    const stream = readSse(res.body as ReadableStream<Uint8Array>);
    // Before any run event (it has no id, so Last-Event-ID is untouched), and naming the capacity.
    const queued = await stream.next();
    expect(queued.value).toEqual({ event: 'run.queued', data: JSON.stringify({ runId: second.runId, status: 'queued', maxConcurrentRuns: 1 }) });
    expect((await request(`/api/runs/${first.runId}/cancel`, EMPTY_JSON_POST)).status).toBe(202);
    const rest = [];
    for await (const message of stream) rest.push(message);
    expect(rest[0]).toMatchObject({ id: '0', event: 'run.started' });
    expect(JSON.parse(rest.at(-1)?.data ?? 'null')).toMatchObject({ type: 'run.completed', state: { count: 2 } });
    const [firstRun, secondRun] = (await Promise.all([first, second].map(async ({ runId }) => (await request(`/api/runs/${runId}`)).json()))) as { status: string; finishedAt: number; startedAt: number }[];
    expect(firstRun?.status).toBe('cancelled');
    expect(secondRun?.startedAt).toBeGreaterThanOrEqual(firstRun?.finishedAt ?? Number.POSITIVE_INFINITY);
  });
});
