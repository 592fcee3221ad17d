import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { mountWithApp } from '../testing/mount-app';
import EditorToolbar from './EditorToolbar.vue';

/** The toolbar as the editor page uses it, with its required props. */
async function mountToolbar(layingOut = false, locale: 'en' | 'zh-CN' = 'en') {
  const Page = defineComponent({ setup: () => () => h(EditorToolbar, { canUndo: false, canRedo: false, layingOut }) });
  const { wrapper } = await mountWithApp(Page, { locale });
  return wrapper.findComponent(EditorToolbar);
}

describe('EditorToolbar', () => {
  it('hands a file chosen in either picker over for import, and offers every file button', async () => {
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
    for (const action of ['import-json', 'export-json', 'export-svg', 'export-png', 'import-bpmn', 'export-bpmn', 'export-code', 'auto-layout']) {
      expect(toolbar.find(`[data-action="${action}"]`).attributes('disabled'), action).toBeUndefined();
    }
    await toolbar.find('[data-action="export-svg"]').trigger('click');
    await toolbar.find('[data-action="export-bpmn"]').trigger('click');
    await toolbar.find('[data-action="export-code"]').trigger('click');
    await toolbar.find('[data-action="auto-layout"]').trigger('click');
    expect(toolbar.emitted('action')).toEqual([['export-svg'], ['export-bpmn'], ['export-code'], ['auto-layout']]);
  });

  it('says on the JSON buttons which one imports and which one exports, in both languages', async () => {
    const english = await mountToolbar();
    expect(english.get('[data-action="import-json"]').text()).toBe('Import JSON');
    expect(english.get('[data-action="export-json"]').text()).toBe('Export JSON');
    const chinese = await mountToolbar(false, 'zh-CN');
    expect(chinese.get('[data-action="import-json"]').text()).toBe('导入 JSON');
    expect(chinese.get('[data-action="export-json"]').text()).toBe('导出 JSON');
  });

  it('shows the layout as under way while it runs', async () => {
    const toolbar = await mountToolbar(true);
    expect(toolbar.find('[data-action="auto-layout"]').classes()).toContain('is-loading');
  });
});
