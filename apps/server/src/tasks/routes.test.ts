import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiErrorBody } from '../errors';
import { createTestApp, jsonRequest as json } from '../testing/fixtures';
import { approvalFlow } from '../testing/flows';
import { readSse, type SseMessage } from '../testing/sse';
import { MAX_QUEUED_TASK_CHANGES, taskRoutes } from './routes';
import type { TaskChange } from './task-changes';

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
    // Its step and flow by name, from the document the thread runs.
    expect(list.items[0]).toMatchObject({ flowId: 'approval', flowName: 'Approval', nodeName: 'Ask' });
  });

  it('lists the tasks in any of several statuses', async () => {
    await waitingTask();
    const [first] = ((await (await request('/api/tasks')).json()) as { items: TaskView[] }).items;
    await waitingTask();
    await request(`/api/tasks/${first?.id}/claim`, json('POST', { assignee: 'bob' }));
    const statuses = async (query: string) => ((await (await request(`/api/tasks?${query}`)).json()) as { items: TaskView[] }).items.map((task) => task.status).sort();
    expect(await statuses('status=open&status=claimed')).toEqual(['claimed', 'open']);
    expect(await statuses('status=claimed')).toEqual(['claimed']);
    expect(await statuses('status=completed')).toEqual([]);
    expect((await request('/api/tasks?status=open&status=done')).status).toBe(400);
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

/** A task event stream read message by message; `close` leaves it as a browser tab would. */
async function openTaskStream(fetchStream: () => Response | Promise<Response> = () => request('/api/tasks/events')) {
  const res = await fetchStream();
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const messages = readSse(res.body as ReadableStream<Uint8Array>);
  return {
    /** The next message, or undefined once the server ended the stream. */
    next: async (): Promise<SseMessage | undefined> => (await messages.next()).value ?? undefined,
    change: async (): Promise<{ event: string | undefined; change: TaskChange }> => {
      const message = (await messages.next()).value;
      if (!message) throw new Error('the task stream ended');
      return { event: message.event, change: JSON.parse(message.data) as TaskChange };
    },
    close: async () => {
      await messages.return(undefined);
    },
  };
}

describe('task event stream', () => {
  it('tells of tasks created, claimed, refused and completed elsewhere, each whole', async () => {
    const stream = await openTaskStream();
    expect((await stream.next())?.event).toBe('ready');

    const { runId, threadId } = await waitingTask();
    const created = await stream.change();
    expect(created.event).toBe('task.created');
    expect(created.change).toMatchObject({ type: 'task.created', task: { runId, threadId, flowId: 'approval', flowName: 'Approval', nodeId: 'ask', nodeName: 'Ask', status: 'open', candidateGroups: ['reviewers'] } });
    expect(created.change.task.fields).toEqual([{ key: 'approved', label: 'approved', type: 'boolean', required: true }]);
    const { id } = created.change.task;

    await request(`/api/tasks/${id}/claim`, json('POST', { assignee: 'bob' }));
    expect(await stream.change()).toMatchObject({ event: 'task.claimed', change: { task: { id, status: 'claimed', assignee: 'bob' } } });

    expect((await request(`/api/tasks/${id}/complete`, json('POST', { variables: { approved: 'maybe' } }))).status).toBe(422);
    // The refused answer left the task as it was: listeners never hear it was completed.
    expect(await stream.change()).toMatchObject({ event: 'task.reopened', change: { task: { id, status: 'claimed', assignee: 'bob' } } });

    const completed = await request(`/api/tasks/${id}/complete`, json('POST', { variables: { approved: true } }));
    const { runId: resumeRunId } = (await completed.json()) as { runId: string };
    expect(await stream.change()).toMatchObject({ event: 'task.completed', change: { task: { id, status: 'completed', resumeRunId, answer: { approved: true } } } });
    await stream.close();
    await vi.waitFor(() => expect(test.services.tasks.changes.size).toBe(0));
  });

  it('tells of a task completed by resuming its thread directly', async () => {
    const stream = await openTaskStream();
    await stream.next();
    const { threadId } = await waitingTask();
    expect((await stream.change()).event).toBe('task.created');
    await request(`/api/threads/${threadId}/resume`, json('POST', { value: { approved: false } }));
    expect(await stream.change()).toMatchObject({ event: 'task.completed', change: { task: { threadId, status: 'completed', answer: { approved: false } } } });
    await stream.close();
  });

  it('ends its streams when the server stops', async () => {
    const other = await createTestApp();
    const stream = await openTaskStream(() => other.app.request('/api/tasks/events'));
    expect((await stream.next())?.event).toBe('ready');
    await other.dispose();
    expect(await stream.next()).toBeUndefined();
    // And a stream asked for while stopping ends at once.
    expect(await (await openTaskStream(() => other.app.request('/api/tasks/events'))).next()).toBeUndefined();
  });

  it('keeps at most maxTaskStreams open, and frees a place when a client leaves', async () => {
    const app = new Hono().route('/', taskRoutes({ ...test.services, maxTaskStreams: 1 }));
    const first = await openTaskStream(() => app.request('/tasks/events'));
    await first.next();
    const refused = await app.request('/tasks/events');
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as ApiErrorBody).error).toMatchObject({ code: 'too_many_streams', details: { max: 1 } });
    await first.close();
    await vi.waitFor(() => expect(test.services.tasks.changes.size).toBe(0));
    const second = await openTaskStream(() => app.request('/tasks/events'));
    expect((await second.next())?.event).toBe('ready');
    await second.close();
  });

  it('ends the stream of a client that stops reading, instead of holding changes without bound', async () => {
    await waitingTask();
    const [task] = ((await (await request('/api/tasks')).json()) as { items: TaskChange['task'][] }).items;
    if (!task) throw new Error('no task');
    const stream = await openTaskStream();
    await stream.next();
    // The first change is written to the response; the rest pile up while nobody reads.
    test.services.tasks.changes.publish({ type: 'task.claimed', task });
    await new Promise((resolve) => setImmediate(resolve));
    for (let index = 0; index < MAX_QUEUED_TASK_CHANGES + 1; index += 1) test.services.tasks.changes.publish({ type: 'task.claimed', task });
    let received = 0;
    while (await stream.next()) received += 1;
    expect(received).toBe(1);
    expect(test.services.tasks.changes.size).toBe(0);
  });

  it('is guarded like every /api route: token, Host and Origin', async () => {
    const token = 'a-token-long-enough-for-the-server-1234';
    const guarded = await createTestApp({}, { apiToken: token });
    try {
      expect((await guarded.app.request('/api/tasks/events')).status).toBe(401);
      const crossSite = await guarded.app.request('http://127.0.0.1:8787/api/tasks/events', { headers: { Authorization: `Bearer ${token}`, Origin: 'http://evil.example' } });
      expect(crossSite.status).toBe(403);
      const rebound = await guarded.app.request('http://evil.example/api/tasks/events', { headers: { Authorization: `Bearer ${token}` } });
      expect(rebound.status).toBe(421);
      expect(guarded.services.tasks.changes.size).toBe(0);
      const stream = await openTaskStream(() => guarded.app.request('/api/tasks/events', { headers: { Authorization: `Bearer ${token}` } }));
      expect((await stream.next())?.event).toBe('ready');
      await stream.close();
    } finally {
      await guarded.dispose();
    }
  });
});
