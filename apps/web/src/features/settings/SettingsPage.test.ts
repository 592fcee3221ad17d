// The way in and out of the settings: the header's link opens /settings on the providers tab,
// the tabs have their own addresses, the flows list stays one click away, in either language.
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import App from '../../App.vue';
import { settled } from '../../testing/form-fields';
import { mountWithApp } from '../../testing/mount-app';
import { createTestServerApi, type TestServerApi } from '../../testing/server-api';


let server: TestServerApi | undefined;
afterEach(async () => {
  document.body.innerHTML = '';
  await server?.dispose();
  server = undefined;
});

// Each journey makes a dozen server calls, so the waits inside bound it, not the default 5 s.
describe('SettingsPage', { timeout: 60_000 }, () => {
  it('opens from the header on the providers tab, switches tabs by address, and leads back to the flows', async () => {
    server = await createTestServerApi();
    const { wrapper, router } = await mountWithApp(App, { api: server.api, runApi: server.runs, settingsApi: server.settings });
    await flushPromises();

    await wrapper.get('[data-nav="settings"]').trigger('click');
    await settled(() => expect(router.currentRoute.value.fullPath).toBe('/settings/providers'));
    await settled(() => expect(wrapper.find('[data-testid="providers-panel"]').exists()).toBe(true));
    expect(wrapper.get('h1').text()).toBe('Settings');
    expect(wrapper.findAll('[data-testid="settings-tabs"] a').map((tab) => tab.text())).toEqual(['Model providers', 'MCP servers', 'Knowledge bases']);
    expect(wrapper.get('[data-tab="settings-providers"]').attributes('aria-current')).toBe('page');

    await wrapper.get('[data-tab="settings-mcp-servers"]').trigger('click');
    await settled(() => expect(wrapper.find('[data-testid="mcp-servers-panel"]').exists()).toBe(true));
    expect(router.currentRoute.value.fullPath).toBe('/settings/mcp-servers');
    expect(wrapper.get('[data-tab="settings-mcp-servers"]').attributes('aria-current')).toBe('page');

    await wrapper.get('[data-testid="language-switch"] input[value="zh-CN"]').setValue(true);
    expect(wrapper.get('h1').text()).toBe('设置');
    expect(wrapper.get('[data-nav="settings"]').text()).toBe('设置');
    expect(wrapper.findAll('[data-testid="settings-tabs"] a').map((tab) => tab.text())).toEqual(['模型供应商', 'MCP 服务器', '知识库']);
    expect(wrapper.get('[data-testid="mcp-servers-panel"]').text()).toContain('还没有登记 MCP 服务器。');

    await wrapper.get('[data-nav="flows"]').trigger('click');
    await settled(() => expect(router.currentRoute.value.fullPath).toBe('/'));
    await settled(() => expect(wrapper.get('h1').text()).toBe('流程'));
  });

  it('keeps the knowledge bases tab marked on a knowledge base of its own', async () => {
    server = await createTestServerApi();
    await server.settings.createKnowledgeBase({ id: 'faq', name: 'FAQ' });
    const { wrapper } = await mountWithApp(App, { path: '/settings/knowledge-bases/faq', api: server.api, runApi: server.runs, settingsApi: server.settings });
    await settled(() => expect(wrapper.find('[data-testid="knowledge-base-detail"] h2').exists()).toBe(true));
    expect(wrapper.get('[data-testid="knowledge-base-detail"] h2').text()).toContain('FAQ');
    expect(wrapper.get('[data-tab="settings-knowledge-bases"]').attributes('aria-current')).toBe('page');
  });
});
