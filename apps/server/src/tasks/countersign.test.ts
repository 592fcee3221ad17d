// The countersign example (会签) through the API: one task per approver at once in /api/tasks,
// each assigned from the list, and a rejection that closes the tasks still open.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../errors';
import { createTestApp, jsonRequest as json } from '../testing/fixtures';
import { readSse } from '../testing/sse';

let test: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  test = await createTestApp();
  const example = readFileSync(join(import.meta.dirname, '../../../../examples/bpmn/countersign.json'), 'utf8');
  expect((await request('/api/flows', json('POST', JSON.parse(example)))).status).toBe(201);
});
afterEach(() => test.dispose());

const request = (path: string, init?: RequestInit) => test.app.request(path, init);

interface TaskView {
  id: string;
  threadId: string;
  nodeId: string;
  status: string;
  assignee: string | null;
}

/** The last event of a run, once it stopped (the stream ends then). */
async function outcome(runId: string): Promise<{ event: string | undefined; data: Record<string, unknown> }> {
  let last: { event: string | undefined; data: Record<string, unknown> } = { event: undefined, data: {} };
  for await (const message of readSse((await request(`/api/runs/${runId}/events`)).body as ReadableStream<Uint8Array>)) {
    last = { event: message.event, data: JSON.parse(message.data) as Record<string, unknown> };
  }
  return last;
}

async function tasksOf(threadId: string, status = 'open'): Promise<Map<string, TaskView>> {
  const list = (await (await request(`/api/tasks?status=${status}`)).json()) as { items: TaskView[] };
  return new Map(list.items.filter((task) => task.threadId === threadId).map((task) => [task.assignee ?? '', task]));
}

async function complete(task: TaskView | undefined, variables: Record<string, unknown>): Promise<string> {
  const res = await request(`/api/tasks/${task?.id}/complete`, json('POST', { variables }));
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { runId: string }).runId;
}

async function start(approvers: string[]): Promise<string> {
  const res = await request('/api/flows/countersign/runs', json('POST', { input: { title: 'Budget 2027', approvers } }));
  const started = (await res.json()) as { runId: string; threadId: string };
  expect((await outcome(started.runId)).event).toBe('interrupt');
  return started.threadId;
}

describe('the countersign process through /api/tasks', () => {
  it('lists a task for every approver at once, and publishes once all approved', async () => {
    const thread = await start(['wang', 'li', 'zhao']);
    const open = await tasksOf(thread);
    expect([...open.keys()].sort()).toEqual(['li', 'wang', 'zhao']);
    expect([...open.values()].every((task) => task.nodeId === 'countersign')).toBe(true);
    // Assigned from the list, so each person finds their own task.
    expect(((await (await request('/api/tasks?assignee=li&status=open')).json()) as { items: TaskView[] }).items.map((task) => task.id)).toContain(open.get('li')?.id);

    expect((await outcome(await complete(open.get('zhao'), { approved: true }))).event).toBe('interrupt');
    expect((await outcome(await complete(open.get('wang'), { approved: true, comment: '同意' }))).event).toBe('interrupt');
    expect([...(await tasksOf(thread)).keys()]).toEqual(['li']);
    const done = await outcome(await complete(open.get('li'), { approved: true }));
    expect(done).toMatchObject({
      event: 'run.completed',
      data: { state: { outcome: 'approved', publication: 'Published: Budget 2027', approvals: [{ approver: 'wang' }, { approver: 'li' }, { approver: 'zhao' }] } },
    });
  });

  it('closes the open tasks at the first rejection, and refuses to complete a closed one', async () => {
    const thread = await start(['wang', 'li', 'zhao']);
    const open = await tasksOf(thread);
    const done = await outcome(await complete(open.get('li'), { approved: false, comment: '预算过高' }));
    expect(done).toMatchObject({ event: 'run.completed', data: { state: { outcome: 'rejected', approvals: [null, { approver: 'li', approved: false }, null] } } });
    expect(await tasksOf(thread)).toEqual(new Map());
    const closed = await tasksOf(thread, 'closed');
    expect([...closed.keys()].sort()).toEqual(['wang', 'zhao']);
    expect((await (await request(`/api/tasks/${open.get('wang')?.id}`)).json()) as TaskView).toMatchObject({ status: 'closed' });
    const late = await request(`/api/tasks/${open.get('wang')?.id}/complete`, json('POST', { variables: { approved: true } }));
    expect(late.status).toBe(409);
    expect(((await late.json()) as ApiErrorBody).error.code).toBe('task_completed');
    expect((await (await request(`/api/tasks/${open.get('li')?.id}`)).json()) as TaskView).toMatchObject({ status: 'completed' });
  });
});
