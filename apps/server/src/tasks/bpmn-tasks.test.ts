// The expense approval example run through the API as a process engine is used: start the process,
// read the work list, complete each user task with variables, read the outcome.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../errors';
import { createTestApp, jsonRequest as json } from '../testing/fixtures';
import { readSse } from '../testing/sse';

let test: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  test = await createTestApp();
  const example = readFileSync(join(import.meta.dirname, '../../../../examples/bpmn/expense-approval.json'), 'utf8');
  expect((await request('/api/flows', json('POST', JSON.parse(example)))).status).toBe(201);
});
afterEach(() => test.dispose());

const request = (path: string, init?: RequestInit) => test.app.request(path, init);

interface TaskView {
  id: string;
  threadId: string;
  nodeId: string;
  status: string;
  candidateGroups: string[];
  prompt: string | null;
  fields: { key: string; type: string; required: boolean }[];
}

/** The last event of a run, once it stopped (the stream ends then). */
async function outcome(runId: string): Promise<{ event: string | undefined; data: Record<string, unknown> }> {
  let last: { event: string | undefined; data: Record<string, unknown> } = { event: undefined, data: {} };
  for await (const message of readSse((await request(`/api/runs/${runId}/events`)).body as ReadableStream<Uint8Array>)) {
    last = { event: message.event, data: JSON.parse(message.data) as Record<string, unknown> };
  }
  return last;
}

async function openTasks(threadId: string): Promise<TaskView[]> {
  const list = (await (await request('/api/tasks?status=open')).json()) as { items: TaskView[] };
  return list.items.filter((task) => task.threadId === threadId);
}

/** Completes the thread's one open task, which must be at `nodeId`; returns the run it started. */
async function complete(threadId: string, nodeId: string, variables: Record<string, unknown>): Promise<string> {
  const [task, ...others] = await openTasks(threadId);
  expect(others).toEqual([]);
  expect(task?.nodeId).toBe(nodeId);
  const res = await request(`/api/tasks/${task?.id}/complete`, json('POST', { variables }));
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { runId: string }).runId;
}

describe('the expense approval process through /api/tasks', () => {
  it('goes manager → director → finance above 5000, each a task of its group, and pays out', async () => {
    const started = (await (await request('/api/flows/expense-approval/runs', json('POST', { input: {} }))).json()) as { runId: string; threadId: string };
    expect((await outcome(started.runId)).event).toBe('interrupt');
    const [submit] = await openTasks(started.threadId);
    expect(submit).toMatchObject({ nodeId: 'submit-expense', candidateGroups: ['employees'], prompt: 'Submit expense' });
    expect(submit?.fields.map((field) => [field.key, field.type, field.required])).toEqual([
      ['amount', 'number', true],
      ['reason', 'string', true],
    ]);

    expect((await outcome(await complete(started.threadId, 'submit-expense', { amount: 8000, reason: 'training' }))).event).toBe('interrupt');
    expect((await openTasks(started.threadId))[0]?.candidateGroups).toEqual(['managers']);
    expect((await outcome(await complete(started.threadId, 'manager-approval', { approved: true }))).event).toBe('interrupt');
    expect((await outcome(await complete(started.threadId, 'director-approval', { approved: true, comment: 'worth it' }))).event).toBe('interrupt');
    const finance = (await openTasks(started.threadId))[0];
    expect(finance).toMatchObject({ nodeId: 'finance-approval', candidateGroups: ['Finance'] });
    expect(((await (await request('/api/tasks?group=Finance&status=open')).json()) as { items: TaskView[] }).items.map((task) => task.id)).toContain(finance?.id);

    const done = await outcome(await complete(started.threadId, 'finance-approval', { approved: true }));
    expect(done).toMatchObject({ event: 'run.completed', data: { state: { approved: true, comment: 'worth it', payout: { status: 'paid', amount: 8000 } } } });
    expect(await openTasks(started.threadId)).toEqual([]);
    const state = (await (await request(`/api/threads/${started.threadId}/state`)).json()) as { values: Record<string, unknown>; next: string[] };
    expect(state).toMatchObject({ next: [], values: { amount: 8000, reason: 'training', notification: { to: 'employee' } } });
  });

  it('ends when the manager rejects a small claim, and refuses a completion the form does not take', async () => {
    const started = (await (await request('/api/flows/expense-approval/runs', json('POST', { input: {} }))).json()) as { runId: string; threadId: string };
    await outcome(started.runId);
    const [submit] = await openTasks(started.threadId);
    const refused = await request(`/api/tasks/${submit?.id}/complete`, json('POST', { variables: { amount: 'many' } }));
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as ApiErrorBody).error.message).toMatch(/submit-expense/);
    expect((await openTasks(started.threadId)).map((task) => task.nodeId)).toEqual(['submit-expense']);

    await outcome(await complete(started.threadId, 'submit-expense', { amount: 120, reason: 'books' }));
    const done = await outcome(await complete(started.threadId, 'manager-approval', { approved: false, comment: 'not ours' }));
    expect(done).toMatchObject({ event: 'run.completed', data: { state: { approved: false, comment: 'not ours' } } });
    expect(await openTasks(started.threadId)).toEqual([]);
  });
});
