// Runs that try to take more than their share: a node returning megabytes, loops without end
// holding every run slot. Each is stopped with an error naming the setting that raises its limit.
import type { RunEvent } from '@loomflow/graph-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { LIMIT_VARIABLES } from '../config';
import type { ServiceOptions } from '../services';
import { createTestApp, jsonRequest as json } from '../testing/fixtures';
import { chainFlow, endlessLoopFlow, largeOutputFlow } from '../testing/flows';
import { readSse } from '../testing/sse';

let test: Awaited<ReturnType<typeof createTestApp>> | undefined;
afterEach(async () => {
  await test?.dispose();
  test = undefined;
});

async function start(options: ServiceOptions) {
  test = await createTestApp({ limitNames: LIMIT_VARIABLES, ...options });
  return test;
}

const request = (path: string, init?: RequestInit) => (test as NonNullable<typeof test>).app.request(path, init);

async function startRun(flowId: string, input: Record<string, unknown> = {}): Promise<{ runId: string; threadId: string }> {
  const res = await request(`/api/flows/${flowId}/runs`, json('POST', { input }));
  expect(res.status).toBe(202);
  return (await res.json()) as { runId: string; threadId: string };
}

/** Follows a run's events to its end. */
async function eventsOf(runId: string): Promise<RunEvent[]> {
  const res = await request(`/api/runs/${runId}/events`);
  const events: RunEvent[] = [];
  for await (const message of readSse(res.body as ReadableStream<Uint8Array>)) events.push(JSON.parse(message.data) as RunEvent);
  return events;
}

describe('what one node may return', () => {
  it('fails a node returning 2 MB with the default 1 MiB limit, before anything of it is stored', async () => {
    const { database } = await start({});
    await request('/api/flows', json('POST', largeOutputFlow('large', 2 * 1024 * 1024)));
    const { runId, threadId } = await startRun('large');
    const events = await eventsOf(runId);
    const failed = events.at(-1);
    expect(failed).toMatchObject({ type: 'run.failed', nodeId: 'produce', error: { code: 'limit.output' } });
    expect(failed?.type === 'run.failed' && failed.error.message).toMatch(/over the limit of 1 MiB per node \(LOOMFLOW_MAX_NODE_OUTPUT_BYTES\)/);

    // Neither the checkpoints nor the events hold the value.
    const state = (await (await request(`/api/threads/${threadId}/state`)).json()) as { values: { text: string } };
    expect(state.values.text).toBe('');
    const stored = await database.db.execute("select coalesce(sum(length(event)), 0) as bytes from run_events");
    expect(Number(stored.rows[0]?.bytes)).toBeLessThan(64 * 1024);
    expect((await request('/api/health')).status).toBe(200);
  });

  it('shows large state values as previews, and one channel whole on request', async () => {
    await start({ limits: { eventValuePreviewBytes: 1024 } });
    await request('/api/flows', json('POST', largeOutputFlow('big', 5000)));
    const { runId, threadId } = await startRun('big');
    const completed = (await eventsOf(runId)).find((event) => event.type === 'node.completed' && event.nodeId === 'produce');
    expect(completed?.type === 'node.completed' && completed.update.text).toMatchObject({ $truncated: true, bytes: 5002 });

    const state = (await (await request(`/api/threads/${threadId}/state`)).json()) as { values: { text: unknown } };
    expect(state.values.text).toMatchObject({ $truncated: true, bytes: 5002, preview: expect.stringMatching(/^"x{999}/) });
    const whole = (await (await request(`/api/threads/${threadId}/state?channel=text`)).json()) as { channel: string; value: string };
    expect(whole).toMatchObject({ channel: 'text', value: 'x'.repeat(5000) });
    expect((await request(`/api/threads/${threadId}/state?channel=nope`)).status).toBe(404);
    const history = (await (await request(`/api/threads/${threadId}/history`)).json()) as { items: { values: { text: unknown } }[] };
    expect(history.items[0]?.values.text).toMatchObject({ $truncated: true });
  });
});

describe('runs without end', () => {
  it('stops each at its time limit, so a ninth run still gets a slot and finishes', async () => {
    await start({ maxConcurrentRuns: 8, limits: { defaultRunTimeoutMs: 1500 } });
    await request('/api/flows', json('POST', endlessLoopFlow('endless')));
    await request('/api/flows', json('POST', chainFlow('chain', 2)));
    const endless = await Promise.all(Array.from({ length: 8 }, () => startRun('endless')));
    const ninth = await startRun('chain', { count: 1 });

    expect((await eventsOf(ninth.runId)).at(-1)).toMatchObject({ type: 'run.completed', state: { count: 3 } });
    for (const { runId } of endless) {
      const failed = (await eventsOf(runId)).at(-1);
      expect(failed).toMatchObject({ type: 'run.failed', error: { code: 'run_timeout' } });
      expect(failed?.type === 'run.failed' && failed.error.message).toContain('1500 ms (LOOMFLOW_RUN_TIMEOUT_MS)');
    }
    const run = (await (await request(`/api/runs/${endless[0]?.runId}`)).json()) as Record<string, unknown>;
    expect(run.status).toBe('failed');
  });

  it('stops a run at its event limit with everything it yielded stored, and serves on', async () => {
    const { database } = await start({ limits: { maxRunEvents: 60 } });
    await request('/api/flows', json('POST', endlessLoopFlow('endless')));
    await request('/api/flows', json('POST', chainFlow('chain', 2)));
    const { runId } = await startRun('endless');
    const events = await eventsOf(runId);
    const failed = events.at(-1);
    expect(failed).toMatchObject({ type: 'run.failed', error: { code: 'limit.events' } });
    expect(failed?.type === 'run.failed' && failed.error.message).toContain('more than 60 events (LOOMFLOW_MAX_RUN_EVENTS)');
    expect(events.map((event) => event.seq)).toEqual([...Array(61).keys()]);
    const stored = await database.db.execute({ sql: 'select count(*) as n from run_events where run_id = ?', args: [runId] });
    expect(Number(stored.rows[0]?.n)).toBe(61);
    expect(((await (await request(`/api/runs/${runId}`)).json()) as { status: string }).status).toBe('failed');
    const next = await startRun('chain', { count: 1 });
    expect((await eventsOf(next.runId)).at(-1)).toMatchObject({ type: 'run.completed', state: { count: 3 } });
  });

  it('keeps which process holds a run to itself', async () => {
    await start({});
    await request('/api/flows', json('POST', chainFlow('chain', 1)));
    const { runId } = await startRun('chain');
    await eventsOf(runId);
    const run = (await (await request(`/api/runs/${runId}`)).json()) as Record<string, unknown>;
    expect(run).toMatchObject({ id: runId, status: 'completed' });
    expect(run).not.toHaveProperty('owner');
    expect(run).not.toHaveProperty('leaseExpiresAt');
  });
});
