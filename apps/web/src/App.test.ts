import { afterEach, describe, expect, it } from 'vitest';
import App from './App.vue';
import { mountWithApp } from './testing/mount-app';

afterEach(() => {
  document.body.innerHTML = '';
  document.documentElement.className = '';
  localStorage.clear();
});

describe('App', () => {
  it('shows the flow list with its empty state at /', async () => {
    const { wrapper } = await mountWithApp(App);
    expect(wrapper.get('h1').text()).toBe('Flows');
    expect(wrapper.text()).toContain('No flows yet');
    expect(wrapper.get('[data-action="open-sample"]').text()).toBe('Open the sample flow');
  });

  it('switches every text to Simplified Chinese with the language switch', async () => {
    const { wrapper, preferences } = await mountWithApp(App);
    await wrapper.get('[data-testid="language-switch"] input[value="zh-CN"]').setValue(true);

    expect(preferences.locale).toBe('zh-CN');
    expect(wrapper.get('h1').text()).toBe('流程');
    expect(wrapper.get('[data-action="open-sample"]').text()).toBe('打开示例流程');
    expect(wrapper.text()).toContain('设计、运行和调试');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('remembers the language for the next visit', async () => {
    const { wrapper } = await mountWithApp(App);
    await wrapper.get('[data-testid="language-switch"] input[value="zh-CN"]').setValue(true);
    expect(JSON.parse(localStorage.getItem('loomflow.preferences') ?? '{}')).toMatchObject({ locale: 'zh-CN' });
  });

  it('turns on Element Plus dark mode with the theme switch', async () => {
    const { wrapper, preferences } = await mountWithApp(App);
    preferences.theme = 'light';
    await wrapper.vm.$nextTick();
    expect(document.documentElement.classList.contains('dark')).toBe(false);

    await wrapper.get('[data-action="toggle-theme"]').trigger('click');
    expect(preferences.theme).toBe('dark');
    expect(document.documentElement.classList.contains('dark')).toBe(true);
  });

  it('shows a not-found page for unknown URLs', async () => {
    const { wrapper } = await mountWithApp(App, { path: '/no/such/page' });
    expect(wrapper.get('h1').text()).toBe('Page not found');
  });
});
