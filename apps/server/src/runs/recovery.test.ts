// Recovery of runs a dead process left behind, built here from their parts (runs rows, stored
// events, checkpoints) on a real database file; recovery.int.test.ts kills a real server instead.
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import type { FlowDocument, RunEvent } from '@loomflow/graph-schema';
import { FlowRuntime, runEventKey } from '@loomflow/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest as json } from '../testing/fixtures';
import { approvalFlow } from '../testing/flows';
import { readSse } from '../testing/sse';

let test: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  test = await createTestApp();
});
afterEach(() => test.dispose());

async function eventsOf(runId: string): Promise<RunEvent[]> {
  const res = await test.app.request(`/api/runs/${runId}/events`);
  const events: RunEvent[] = [];
  for await (const message of readSse(res.body as ReadableStream<Uint8Array>)) events.push(JSON.parse(message.data) as RunEvent);
  return events;
}

describe('recovering an answer whose step never committed', () => {
  it('answers the human step again rather than leaving the thread waiting on a completed task', async () => {
    const { services, database } = test;
    await test.app.request('/api/flows', json('POST', approvalFlow('ask')));
    const started = (await (await test.app.request('/api/flows/ask/runs', json('POST', {}))).json()) as { runId: string; threadId: string };
    const asked = (await eventsOf(started.runId)).at(-1) as Extract<RunEvent, { type: 'interrupt' }>;
    expect(asked).toMatchObject({ type: 'interrupt', kind: 'human' });

    // Another process took the answer (its task completed, its run stored) and died inside the
    // human step: the step ran, but the process stored only the run's first events.
    const task = (await services.tasks.list({ limit: 10, offset: 0 }))[0];
    expect(await services.tasks.complete(task?.id as string, { approved: true })).toBeDefined();
    const document = (await services.flows.get('ask'))?.flow as FlowDocument;
    const dyingRuntime = new FlowRuntime({ checkpointer: new LibsqlSaver(database.db), registry: services.registry }).compile(document);
    const stored: RunEvent[] = [];
    const dead = { storedKeys: new Set<string>(), storedCount: 0, flush: () => new Promise<void>(() => undefined) };
    for await (const event of await dyingRuntime.resume(started.threadId, { approved: true }, { runId: 'answer-run', interruptId: asked.interruptId, journal: dead })) {
      if (event.type === 'node.started') break;
      stored.push(event);
    }
    await services.runs.insert(
      { id: 'answer-run', flowId: 'ask', document, threadId: started.threadId, status: 'running', trigger: 'resume', input: { approved: true }, options: { answers: asked.interruptId } },
      'a dead process',
      -1,
    );
    expect(await services.runs.append('answer-run', 'a dead process', stored.map((event) => ({ event, key: runEventKey(event) })))).toBe(true);

    expect(await services.runManager.recover()).toBe(1);
    const log = await eventsOf('answer-run');
    expect(log.at(-1)).toMatchObject({ type: 'run.completed', state: { approved: true } });
    expect(log.filter((event) => event.type === 'run.started')).toHaveLength(1);
    expect(log.map((event) => event.seq)).toEqual(log.map((_, index) => index));
    expect(await services.runs.get('answer-run')).toMatchObject({ status: 'completed', owner: services.runManager.ownerId });
  });
});

describe('counting takeovers that find a run no further', () => {
  it('counts takeovers at the same checkpoint, and starts again at one when the run got further or its process shut down', async () => {
    const { services } = test;
    const document = approvalFlow('ask') as unknown as FlowDocument;
    await services.runs.insert({ id: 'counted', flowId: 'ask', document, threadId: 'thread-counted', status: 'running', trigger: 'start', input: {}, options: {} }, 'a dead process', -1);
    expect(await services.runs.recordTakeover('counted', 'checkpoint-4')).toBe(1);
    expect(await services.runs.recordTakeover('counted', 'checkpoint-4')).toBe(2);
    expect(await services.runs.recordTakeover('counted', 'checkpoint-4')).toBe(3);
    expect(await services.runs.recordTakeover('counted', 'checkpoint-9')).toBe(1);
    // A thread without a checkpoint yet ('') counts alike.
    expect(await services.runs.recordTakeover('counted', '')).toBe(1);
    expect(await services.runs.recordTakeover('counted', '')).toBe(2);
    // A process that shut down released the run: that was no crash in its step.
    await services.runs.releaseLeases('a dead process');
    expect(await services.runs.recordTakeover('counted', '')).toBe(1);
  });
});
