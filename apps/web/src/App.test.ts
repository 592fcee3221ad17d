import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from './App.vue';
import { mountWithApp, type MountOptions } from './testing/mount-app';
import { createTestServerApi, type TestServerApi } from './testing/server-api';

let server: TestServerApi;
beforeEach(async () => {
  server = await createTestServerApi();
});
afterEach(async () => {
  document.body.innerHTML = '';
  document.documentElement.className = '';
  localStorage.clear();
  await server.dispose();
});

async function mountApp(options: MountOptions = {}) {
  const mounted = await mountWithApp(App, { api: server.api, runApi: server.runs, ...options });
  await flushPromises();
  return mounted;
}

describe('App', () => {
  it('shows the flow list with its empty state at /', async () => {
    const { wrapper } = await mountApp();
    expect(wrapper.get('h1').text()).toBe('Flows');
    expect(wrapper.text()).toContain('No flows yet');
    expect(wrapper.get('[data-action="open-sample"]').text()).toBe('Open the sample flow');
  });

  it('switches every text to Simplified Chinese with the language switch', async () => {
    const { wrapper, preferences } = await mountApp();
    await wrapper.get('[data-testid="language-switch"] input[value="zh-CN"]').setValue(true);

    expect(preferences.locale).toBe('zh-CN');
    expect(wrapper.get('h1').text()).toBe('流程');
    expect(wrapper.get('[data-action="open-sample"]').text()).toBe('打开示例流程');
    expect(wrapper.text()).toContain('设计、运行和调试');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('remembers the language for the next visit', async () => {
    const { wrapper } = await mountApp();
    await wrapper.get('[data-testid="language-switch"] input[value="zh-CN"]').setValue(true);
    expect(JSON.parse(localStorage.getItem('loomflow.preferences') ?? '{}')).toMatchObject({ locale: 'zh-CN' });
  });

  it('turns on Element Plus dark mode with the theme switch', async () => {
    const { wrapper, preferences } = await mountApp();
    preferences.theme = 'light';
    await wrapper.vm.$nextTick();
    expect(document.documentElement.classList.contains('dark')).toBe(false);

    await wrapper.get('[data-action="toggle-theme"]').trigger('click');
    expect(preferences.theme).toBe('dark');
    expect(document.documentElement.classList.contains('dark')).toBe(true);
  });

  it('shows a not-found page for unknown URLs', async () => {
    const { wrapper } = await mountApp({ path: '/no/such/page' });
    expect(wrapper.get('h1').text()).toBe('Page not found');
  });

  it('lists the flows stored on the server, newest first, and searches them by name', async () => {
    for (const [id, name] of [['refunds', 'Refund agent'], ['expenses', 'Expense approval']] as const) {
      await server.api.create({ schemaVersion: 1, id, name, kind: id === 'expenses' ? 'bpmn' : 'agent', state: { channels: [] }, nodes: [], edges: [] });
    }
    const { wrapper } = await mountApp();
    const names = () => wrapper.findAll('[data-testid="flow-list"] li').map((item) => item.attributes('data-flow-id'));
    expect(names()).toEqual(['expenses', 'refunds']);
    expect(wrapper.get('[data-flow-id="expenses"]').text()).toContain('BPMN');
    expect(wrapper.text()).not.toContain('No flows yet');

    await wrapper.get('input[data-testid="flow-search"]').setValue('refund');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await flushPromises();
    expect(names()).toEqual(['refunds']);
  });

  it('duplicates a flow from the list', async () => {
    await server.api.create({ schemaVersion: 1, id: 'refunds', name: 'Refund agent', kind: 'agent', state: { channels: [] }, nodes: [], edges: [] });
    const { wrapper } = await mountApp();
    await wrapper.get('[data-flow-id="refunds"] [data-action="duplicate-flow"]').trigger('click');
    await flushPromises();
    expect((await server.api.list()).items.map((flow) => flow.id).sort()).toEqual(['refunds', 'refunds-copy']);
    expect(wrapper.find('[data-flow-id="refunds-copy"]').exists()).toBe(true);
  });

  it('renames a flow from the list, keeping the rest of its document', async () => {
    await server.api.create({ schemaVersion: 1, id: 'refunds', name: 'Refund agent', kind: 'agent', state: { channels: [] }, nodes: [], edges: [] });
    const { wrapper } = await mountApp();
    await wrapper.get('[data-flow-id="refunds"] [data-action="rename-flow"]').trigger('click');
    await flushPromises();
    const input = document.querySelector<HTMLInputElement>('.el-message-box input');
    if (!input) throw new Error('no rename prompt');
    input.value = 'Refunds v2';
    input.dispatchEvent(new Event('input'));
    await flushPromises();
    document.querySelector<HTMLButtonElement>('.el-message-box .el-button--primary')?.click();
    await vi.waitFor(async () => expect((await server.api.load('refunds'))?.flow.name).toBe('Refunds v2'));
    expect((await server.api.load('refunds'))?.revision).toBe(2);
  });
});
