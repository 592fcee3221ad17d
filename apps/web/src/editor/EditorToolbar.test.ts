import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { mountWithApp } from '../testing/mount-app';
import EditorToolbar from './EditorToolbar.vue';

/** The toolbar as the editor page uses it, with its required props. */
async function mountToolbar(layingOut = false, locale: 'en' | 'zh-CN' = 'en') {
  const Page = defineComponent({ setup: () => () => h(EditorToolbar, { canUndo: false, canRedo: false, layingOut }) });
  const { wrapper } = await mountWithApp(Page, { locale });
  return wrapper.findComponent(EditorToolbar);
}

/**
 * Opens the "More" menu unless it is open, and answers its item for `action`. The menu is teleported
 * to the body and built when it first opens, after the dropdown's show timer.
 */
async function menuItem(toolbar: Awaited<ReturnType<typeof mountToolbar>>, action: string): Promise<HTMLElement> {
  const find = () => document.body.querySelector<HTMLElement>(`li[data-action="${action}"]`);
  if (!find()) await toolbar.get('[data-action="more"]').trigger('click');
  return vi.waitFor(() => {
    const item = find();
    if (!item) throw new Error(`no menu item ${action}`);
    return item;
  });
}

describe('EditorToolbar', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('hands a file chosen in either picker over for import, and offers every file action', async () => {
    const toolbar = await mountToolbar();
    const choose = async (testId: string, file: File) => {
      const input = toolbar.find<HTMLInputElement>(`[data-testid="${testId}"]`);
      Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
      await input.trigger('change');
    };
    const json = new File(['{}'], 'from-a-file.json', { type: 'application/json' });
    const bpmn = new File(['<definitions/>'], 'process.bpmn', { type: 'application/xml' });
    await choose('import-json-input', json);
    await choose('import-bpmn-input', bpmn);
    expect(toolbar.emitted('importFile')).toEqual([[json], [bpmn]]);
    expect(toolbar.find('[data-testid="import-bpmn-input"]').attributes('accept')).toContain('.bpmn');
    for (const action of ['export-svg', 'export-bpmn', 'export-code']) {
      (await menuItem(toolbar, action)).click();
      await flushPromises();
    }
    await toolbar.find('[data-action="auto-layout"]').trigger('click');
    expect(toolbar.emitted('action')).toEqual([['export-svg'], ['export-bpmn'], ['export-code'], ['auto-layout']]);
  });

  it('names every file action in the "More" menu, in both languages', async () => {
    const expected = {
      en: ['Import JSON', 'Export JSON', 'Export SVG', 'Export PNG', 'Import BPMN', 'Export BPMN', 'Export code'],
      'zh-CN': ['导入 JSON', '导出 JSON', '导出 SVG', '导出 PNG', '导入 BPMN', '导出 BPMN', '导出代码'],
    } as const;
    const actions = ['import-json', 'export-json', 'export-svg', 'export-png', 'import-bpmn', 'export-bpmn', 'export-code'];
    for (const locale of ['en', 'zh-CN'] as const) {
      const toolbar = await mountToolbar(false, locale);
      const texts: string[] = [];
      for (const action of actions) {
        const item = await menuItem(toolbar, action);
        expect(item.getAttribute('role'), action).toBe('menuitem');
        texts.push(item.textContent.trim());
      }
      expect(texts).toEqual(expected[locale]);
      document.body.innerHTML = '';
    }
  });

  it('gives every icon button an accessible name and a tooltip, in both languages', async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const toolbar = await mountToolbar(false, locale);
      const buttons = toolbar.findAll('button');
      expect(buttons.length).toBeGreaterThan(8);
      for (const button of buttons) {
        const name = button.attributes('aria-label');
        expect(name, button.attributes('data-action')).toBeTruthy();
        expect(button.attributes('title'), button.attributes('data-action')).toBeTruthy();
      }
      expect(toolbar.get('[data-action="zoom-in"]').attributes('aria-label')).toBe(locale === 'en' ? 'Zoom in' : '放大');
      expect(toolbar.get('[data-action="more"]').text()).toBe(locale === 'en' ? 'More' : '更多');
    }
  });

  it('shows the layout as under way while it runs', async () => {
    const toolbar = await mountToolbar(true);
    expect(toolbar.find('[data-action="auto-layout"]').classes()).toContain('is-loading');
  });
});
