import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { mountWithApp } from '../testing/mount-app';
import EditorToolbar from './EditorToolbar.vue';

/** The toolbar as the editor page uses it, with its required props. */
async function mountToolbar(layingOut = false) {
  const Page = defineComponent({ setup: () => () => h(EditorToolbar, { canUndo: false, canRedo: false, layingOut }) });
  const { wrapper } = await mountWithApp(Page, { locale: 'en' });
  return wrapper.findComponent(EditorToolbar);
}

describe('EditorToolbar', () => {
  it('hands a chosen file over for import, and keeps the BPMN place disabled', async () => {
    const toolbar = await mountToolbar();
    const input = toolbar.find<HTMLInputElement>('input[type="file"]');
    const file = new File(['{}'], 'from-a-file.json', { type: 'application/json' });
    Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
    await input.trigger('change');
    expect(toolbar.emitted('importFile')).toEqual([[file]]);
    for (const action of ['import-bpmn', 'export-bpmn']) expect(toolbar.find(`[data-action="${action}"]`).attributes('disabled'), action).toBeDefined();
    for (const action of ['import-json', 'export-json', 'export-svg', 'export-png', 'auto-layout']) {
      expect(toolbar.find(`[data-action="${action}"]`).attributes('disabled'), action).toBeUndefined();
    }
    await toolbar.find('[data-action="export-svg"]').trigger('click');
    await toolbar.find('[data-action="auto-layout"]').trigger('click');
    expect(toolbar.emitted('action')).toEqual([['export-svg'], ['auto-layout']]);
  });

  it('shows the layout as under way while it runs', async () => {
    const toolbar = await mountToolbar(true);
    expect(toolbar.find('[data-action="auto-layout"]').classes()).toContain('is-loading');
  });
});
