// The Tasks page against the real server app: tasks of runs appear as the runs stop at a human
// step, follow claims and completions made elsewhere, and are claimed and completed here through
// the step's form (a refused answer shows the server's reason).
import type { FlowDocument } from '@loomflow/graph-schema';
import { createAppOver, createTestApp, jsonRequest as json } from '@loomflow/server/testing/fixtures';
import { readSse } from '@loomflow/server/testing/sse';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, provide } from 'vue';
import { createApiClient } from '../../api/api-client';
import { mountWithApp } from '../../testing/mount-app';
import { CURRENT_PERSON_STORAGE_KEY } from './current-person';
import { createServerTasksApi, tasksApiKey, type TaskView } from './tasks-api';
import TasksPage from './TasksPage.vue';

const flow: FlowDocument = {
  schemaVersion: 1,
  id: 'stock-count',
  name: 'Stock count',
  kind: 'agent',
  state: {
    channels: [
      { name: 'shelf', type: 'string', reducer: 'replace', default: '' },
      { name: 'count', type: 'number', reducer: 'replace', default: 0 },
    ],
    input: ['shelf'],
  },
  nodes: [
    { id: 'start', type: 'agent.start', name: 'Start', position: { x: 100, y: 100 }, config: {} },
    {
      id: 'ask',
      type: 'agent.human',
      name: 'Count the shelf',
      position: { x: 300, y: 100 },
      config: {
        prompt: 'How many boxes are on {{shelf}}?',
        schema: { type: 'object', properties: { count: { type: 'number', minimum: 10, title: 'Boxes' } }, required: ['count'] },
        candidateGroups: ['stock'],
      },
    },
    { id: 'end', type: 'agent.end', name: 'End', position: { x: 500, y: 100 }, config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'ask' },
    { id: 'e2', source: 'ask', target: 'end' },
  ],
};

let server: Awaited<ReturnType<typeof createTestApp>>;
let wrapper: VueWrapper | undefined;
const request = (path: string, init?: RequestInit) => server.app.request(path, init);

beforeEach(async () => {
  window.localStorage.clear();
  server = await createTestApp();
  expect((await request('/api/flows', json('POST', flow))).status).toBe(201);
});
afterEach(async () => {
  wrapper?.unmount();
  wrapper = undefined;
  document.body.innerHTML = '';
  await server.dispose();
});

/** The last event of a run's stream, which ends when the run stops (an interrupt, or its end). */
async function lastEventOf(runId: string): Promise<string | undefined> {
  let last: string | undefined;
  for await (const message of readSse((await request(`/api/runs/${runId}/events`)).body as ReadableStream<Uint8Array>)) last = message.event;
  return last;
}

/** Starts a run, and answers once it waits on its human step. */
async function waitingRun(shelf: string): Promise<string> {
  const { runId } = (await (await request('/api/flows/stock-count/runs', json('POST', { input: { shelf } }))).json()) as { runId: string };
  expect(await lastEventOf(runId)).toBe('interrupt');
  return runId;
}

async function taskOfRun(runId: string): Promise<TaskView> {
  const { items } = (await (await request('/api/tasks')).json()) as { items: TaskView[] };
  const task = items.find((item) => item.runId === runId);
  if (!task) throw new Error(`no task for run ${runId}`);
  return task;
}

/** Where the page's requests go: the test's server, unless a test restarts it. */
let serving: Pick<typeof server.app, 'request'>;

async function mountPage(locale: 'en' | 'zh-CN' = 'en') {
  serving = server.app;
  const client = createApiClient({ baseUrl: 'http://127.0.0.1:8787', fetch: async (input: string | URL | Request, init?: RequestInit) => serving.request(input, init) });
  const api = createServerTasksApi(client);
  const Page = defineComponent({
    setup() {
      provide(tasksApiKey, api);
      return () => h(TasksPage);
    },
  });
  const mounted = await mountWithApp(Page, { locale, path: '/tasks' });
  wrapper = mounted.wrapper;
  await vi.waitFor(() => expect(mounted.wrapper.get('[data-testid="tasks-page"]').attributes('data-connection')).toBe('live'));
  return mounted.wrapper;
}

const rowOf = (page: VueWrapper, runId: string) => page.find(`tr[data-run-id="${runId}"]`);
const runIds = (page: VueWrapper) => page.findAll('tr[data-run-id]').map((row) => row.attributes('data-run-id'));

describe('TasksPage', () => {
  it('lists tasks live, filters, claims, refuses a wrong answer and completes with a right one', async () => {
    const first = await waitingRun('shelf A');
    const page = await mountPage();
    await vi.waitFor(() => expect(runIds(page)).toEqual([first]));
    const firstRow = rowOf(page, first);
    expect(firstRow.text()).toContain('Count the shelf');
    expect(firstRow.text()).toContain('How many boxes are on shelf A?');
    expect(firstRow.text()).toContain('stock');
    expect(firstRow.attributes('data-status')).toBe('open');
    expect(firstRow.get('[data-action="open-flow"]').attributes('href')).toBe('/flows/stock-count');
    expect(firstRow.get('[data-action="open-flow"]').text()).toBe('Stock count');

    // A run stopping while the page is open appears without a reload, newest first.
    const second = await waitingRun('shelf B');
    await vi.waitFor(() => expect(runIds(page)).toEqual([second, first]));

    await page.get('[data-filter="group"] input').setValue('stock');
    await vi.waitFor(() => expect(runIds(page)).toEqual([second, first]));
    await page.get('[data-filter="group"] input').setValue('garden');
    await vi.waitFor(() => expect(page.find('[data-testid="task-list-empty"]').text()).toBe('No task matches these filters.'));
    await page.get('[data-filter="group"] input').setValue('');
    await vi.waitFor(() => expect(runIds(page)).toEqual([second, first]));

    // Nobody to claim for until the person says who they are; the name is kept in this browser.
    expect(rowOf(page, second).get('[data-action="claim"]').attributes('disabled')).toBeDefined();
    await page.get('[data-filter="me"] input').setValue('ann');
    expect(window.localStorage.getItem(CURRENT_PERSON_STORAGE_KEY)).toBe('ann');
    await rowOf(page, second).get('[data-action="claim"]').trigger('click');
    await vi.waitFor(() => expect(rowOf(page, second).attributes('data-status')).toBe('claimed'));
    expect(rowOf(page, second).get('[data-column="assignee"]').text()).toBe('ann');
    expect(await taskOfRun(second)).toMatchObject({ status: 'claimed', assignee: 'ann' });

    await page.get('[data-filter="assignee"] input').setValue('ann');
    await vi.waitFor(() => expect(runIds(page)).toEqual([second]));

    await rowOf(page, second).get('[data-action="open-task"]').trigger('click');
    const panel = page.get('[data-testid="task-panel"]');
    expect(panel.text()).toContain('How many boxes are on shelf B?');
    await panel.get('[data-answer="count"] input').setValue('3');
    await panel.get('form').trigger('submit');
    await vi.waitFor(() => expect(page.find('[data-testid="answer-refusal"]').exists()).toBe(true));
    expect(page.get('[data-testid="answer-refusal"]').text()).toMatch(/^The answer was refused: .*count/);
    expect(runIds(page)).toEqual([second]);

    await panel.get('[data-answer="count"] input').setValue('12');
    await panel.get('form').trigger('submit');
    await vi.waitFor(() => expect(page.find('[data-testid="task-completed"]').exists()).toBe(true));
    expect(page.find('[data-testid="task-panel"]').exists()).toBe(false);
    await vi.waitFor(() => expect(page.find('[data-testid="task-list-empty"]').exists()).toBe(true));
    const resumed = page.get('[data-testid="task-completed"]').attributes('data-run-id') ?? '';
    expect(await lastEventOf(resumed)).toBe('run.completed');
    expect(await (await request(`/api/runs/${resumed}`)).json()).toMatchObject({ status: 'completed' });

    await page.get('[data-filter="completed"] .el-switch').trigger('click');
    await vi.waitFor(() => expect(rowOf(page, second).attributes('data-status')).toBe('completed'));
  });

  it('follows claims and completions made elsewhere', async () => {
    const run = await waitingRun('shelf C');
    const page = await mountPage();
    await vi.waitFor(() => expect(runIds(page)).toEqual([run]));
    const task = await taskOfRun(run);
    await rowOf(page, run).get('[data-action="open-task"]').trigger('click');

    expect((await request(`/api/tasks/${task.id}/claim`, json('POST', { assignee: 'bob' }))).status).toBe(200);
    await vi.waitFor(() => expect(rowOf(page, run).get('[data-column="assignee"]').text()).toBe('bob'));

    expect((await request(`/api/tasks/${task.id}/complete`, json('POST', { variables: { count: 40 } }))).status).toBe(200);
    await vi.waitFor(() => expect(rowOf(page, run).exists()).toBe(false));
    expect(page.get('[data-testid="task-list-empty"]').text()).toBe('No open tasks.');
    // The opened form does not take an answer for a task that is done.
    await page.get('[data-filter="completed"] .el-switch').trigger('click');
    await vi.waitFor(() => expect(page.find('[data-testid="task-completed-elsewhere"]').exists()).toBe(true));
  });

  it('reconnects when the server goes away, and reads the list again', async () => {
    const page = await mountPage();
    await vi.waitFor(() => expect(page.find('[data-testid="task-list-empty"]').exists()).toBe(true));
    const connection = () => page.get('[data-testid="tasks-page"]').attributes('data-connection');
    // The server stops: its streams end, and nothing answers for a while.
    serving = { request: () => new Response('{"error":{"code":"unavailable","message":"down","details":null}}', { status: 503 }) };
    server.services.tasks.changes.close();
    await vi.waitFor(() => expect(connection()).toBe('reconnecting'));
    // A task created meanwhile is heard by no stream: only reading the list again finds it.
    const whileAway = await waitingRun('shelf E');
    const restarted = await createAppOver(server.database);
    try {
      serving = restarted.app;
      await vi.waitFor(() => expect(connection()).toBe('live'), { timeout: 10_000 });
      await vi.waitFor(() => expect(runIds(page)).toEqual([whileAway]));
      const task = await taskOfRun(whileAway);
      expect((await restarted.app.request(`/api/tasks/${task.id}/claim`, json('POST', { assignee: 'cleo' }))).status).toBe(200);
      await vi.waitFor(() => expect(rowOf(page, whileAway).get('[data-column="assignee"]').text()).toBe('cleo'));
    } finally {
      wrapper?.unmount();
      wrapper = undefined;
      await restarted.services.close();
    }
  });

  it('speaks Chinese', async () => {
    await waitingRun('货架 D');
    const page = await mountPage('zh-CN');
    await vi.waitFor(() => expect(page.findAll('tr[data-run-id]')).toHaveLength(1));
    expect(page.get('.tasks-page__title').text()).toBe('任务');
    expect(page.get('[data-testid="tasks-connection"]').text()).toBe('实时');
    expect(page.get('thead').text()).toContain('候选组');
    expect(page.get('[data-column="status"]').text()).toBe('待处理');
    await flushPromises();
  });
});
