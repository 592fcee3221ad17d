import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../errors';
import { createTestApp, jsonRequest as json } from '../testing/fixtures';
import { approvalFlow } from '../testing/flows';
import { readSse } from '../testing/sse';

let test: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  test = await createTestApp();
});
afterEach(() => test.dispose());

const request = (path: string, init?: RequestInit) => test.app.request(path, init);

interface TaskView {
  id: string;
  runId: string;
  threadId: string;
  nodeId: string;
  status: string;
  assignee: string | null;
  candidateGroups: string[];
  prompt: string | null;
  schema: unknown;
  fields: unknown[];
}

/** Starts the approval flow and waits until its run has stopped at the human step. */
async function waitingTask(): Promise<{ runId: string; threadId: string }> {
  const started = (await (await request('/api/flows/approval/runs', json('POST', {}))).json()) as { runId: string; threadId: string };
  const res = await request(`/api/runs/${started.runId}/events`);
  for await (const _message of readSse(res.body as ReadableStream<Uint8Array>)) {
    // drained: the stream ends when the run stops
  }
  return started;
}

async function lastEventType(runId: string): Promise<string | undefined> {
  const res = await request(`/api/runs/${runId}/events`);
  let last: string | undefined;
  for await (const message of readSse(res.body as ReadableStream<Uint8Array>)) last = message.event;
  return last;
}

beforeEach(async () => {
  await request('/api/flows', json('POST', approvalFlow('approval')));
});

describe('human tasks', () => {
  it('creates a task from a human interrupt, with its prompt, schema, form, assignee and groups', async () => {
    const { runId, threadId } = await waitingTask();
    const list = (await (await request('/api/tasks?status=open')).json()) as { items: TaskView[] };
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ runId, threadId, nodeId: 'ask', status: 'open', assignee: 'ada', candidateGroups: ['reviewers'], prompt: 'Approve?' });
    expect(list.items[0]?.schema).toMatchObject({ required: ['approved'] });
    expect(list.items[0]?.fields).toEqual([{ key: 'approved', label: 'approved', type: 'boolean', required: true }]);
    expect(((await (await request('/api/tasks?group=reviewers')).json()) as { items: unknown[] }).items).toHaveLength(1);
    expect(((await (await request('/api/tasks?group=others')).json()) as { items: unknown[] }).items).toHaveLength(0);
    expect(((await (await request('/api/tasks?assignee=bob')).json()) as { items: unknown[] }).items).toHaveLength(0);
  });

  it('claims, then completes exactly once: one 200, one 409, one resumed run', async () => {
    await waitingTask();
    const [task] = ((await (await request('/api/tasks')).json()) as { items: TaskView[] }).items;
    if (!task) throw new Error('no task');
    const claimed = await request(`/api/tasks/${task.id}/claim`, json('POST', { assignee: 'bob' }));
    expect(await claimed.json()).toMatchObject({ status: 'claimed', assignee: 'bob' });
    expect(((await (await request('/api/tasks?assignee=bob&status=claimed')).json()) as { items: unknown[] }).items).toHaveLength(1);

    const answers = await Promise.all([
      request(`/api/tasks/${task.id}/complete`, json('POST', { variables: { approved: true } })),
      request(`/api/tasks/${task.id}/complete`, json('POST', { variables: { approved: false } })),
    ]);
    expect(answers.map((res) => res.status).sort()).toEqual([200, 409]);
    const winner = answers.find((res) => res.status === 200) as Response;
    const { runId } = (await winner.json()) as { runId: string };
    const loser = answers.find((res) => res.status === 409) as Response;
    expect(((await loser.json()) as ApiErrorBody).error.code).toBe('task_completed');
    expect(await lastEventType(runId)).toBe('run.completed');
    const runs = (await (await request(`/api/runs?threadId=${task.threadId}`)).json()) as { total: number };
    expect(runs.total).toBe(2);
    expect((await request(`/api/tasks/${task.id}/claim`, json('POST', { assignee: 'eve' }))).status).toBe(409);
    expect(await (await request(`/api/tasks/${task.id}`)).json()).toMatchObject({ status: 'completed', resumeRunId: runId });
  });

  it('keeps the task open when the answer is refused', async () => {
    await waitingTask();
    const [task] = ((await (await request('/api/tasks')).json()) as { items: TaskView[] }).items;
    if (!task) throw new Error('no task');
    const refused = await request(`/api/tasks/${task.id}/complete`, json('POST', { variables: { approved: 'maybe' } }));
    expect(refused.status).toBe(422);
    expect(await (await request(`/api/tasks/${task.id}`)).json()).toMatchObject({ status: 'open' });
    expect((await request(`/api/tasks/${task.id}/complete`, json('POST', { variables: { approved: false } }))).status).toBe(200);
    expect((await request('/api/tasks/missing/complete', json('POST', { variables: {} }))).status).toBe(404);
  });

  it('closes the task when the thread is resumed directly', async () => {
    const { threadId } = await waitingTask();
    expect((await request(`/api/threads/${threadId}/resume`, json('POST', { value: { approved: true } }))).status).toBe(202);
    expect(((await (await request('/api/tasks?status=completed')).json()) as { items: unknown[] }).items).toHaveLength(1);
  });
});
