// The history drawer against the real server app: two threads of the flow, each paused on its
// human step and then resumed, one to its end and one to a failure, listed newest first with each
// thread's runs together.
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { h, ref } from 'vue';
import { mountWithApp } from '../../testing/mount-app';
import { createTestServerApi, type TestServerApi } from '../../testing/server-api';
import { countShelf, shelfCountFlow } from './shelf-count-testing';
import RunHistoryDrawer from './RunHistoryDrawer.vue';

let server: TestServerApi;
beforeEach(async () => {
  server = await createTestServerApi();
  await server.api.create(shelfCountFlow);
});
afterEach(async () => {
  document.body.innerHTML = '';
  await server.dispose();
});

describe('RunHistoryDrawer', () => {
  it("lists the flow's runs by thread, newest first, with status, version, trigger and error", async () => {
    const completed = await countShelf(server, 12);
    const failed = await countShelf(server, 500);
    const open = ref(true);
    await mountWithApp({ render: () => h(RunHistoryDrawer, { modelValue: open.value, 'onUpdate:modelValue': (value: boolean) => (open.value = value), flowId: shelfCountFlow.id }) }, { historyApi: server.history });
    await vi.waitFor(() => expect(document.body.querySelectorAll('[data-testid="history-table"] tbody')).toHaveLength(2));
    await flushPromises();

    const groups = [...document.body.querySelectorAll<HTMLElement>('[data-testid="history-table"] tbody')];
    expect(groups.map((group) => group.dataset.threadId)).toEqual([failed.threadId, completed.threadId]);
    const rows = groups.map((group) => [...group.querySelectorAll<HTMLElement>('tr')].map((row) => [row.dataset.runId, row.dataset.runStatus]));
    expect(rows).toEqual([
      [
        [failed.runIds[1], 'failed'],
        [failed.runIds[0], 'waiting'],
      ],
      [
        [completed.runIds[1], 'completed'],
        [completed.runIds[0], 'waiting'],
      ],
    ]);
    const failedRow = document.body.querySelector<HTMLElement>(`tr[data-run-id="${failed.runIds[1]}"]`);
    const cells = [...(failedRow?.querySelectorAll('td') ?? [])].map((cell) => cell.textContent?.trim());
    expect(cells.slice(0, 1)).toEqual(['Failed']);
    expect(cells.slice(3, 5)).toEqual(['draft', 'resume']);
    expect(cells[5]).toMatch(/^sandbox\.\w+: .*no shelf holds 500 boxes/);
    expect(cells[2]).toMatch(/^\d+(\.\d)? m?s$/);
    expect(failedRow?.querySelector('[data-action="open-run"]')?.getAttribute('href')).toBe(`/flows/${shelfCountFlow.id}/runs/${failed.runIds[1]}`);
    const paused = document.body.querySelector<HTMLElement>(`tr[data-run-id="${completed.runIds[0]}"]`);
    // A paused run has no end, so no duration, and no error.
    expect([...(paused?.querySelectorAll('td') ?? [])].map((cell) => cell.textContent?.trim()).slice(2, 6)).toEqual(['', 'draft', 'start', '']);
  });

  it('says so when the flow has not run', async () => {
    await mountWithApp({ render: () => h(RunHistoryDrawer, { modelValue: true, flowId: shelfCountFlow.id }) }, { historyApi: server.history, locale: 'zh-CN' });
    await vi.waitFor(() => expect(document.body.textContent).toContain('此流程还没有运行过。'));
  });
});
