// The knowledge base pages through the app's own routes, against the real server app: create a
// base, open it, add a file picked in the browser and pasted text, search and see the hits with
// their scores, delete a document and the base.
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { h } from 'vue';
import { RouterView } from 'vue-router';
import { confirmMessageBox, fieldOf, settled } from '../../testing/form-fields';
import { mountWithApp } from '../../testing/mount-app';
import { createTestServerApi, type TestServerApi } from '../../testing/server-api';


let server: TestServerApi | undefined;
afterEach(async () => {
  document.body.innerHTML = '';
  await server?.dispose();
  server = undefined;
});

/** Picks `file` in the page's file input, as the browser's file chooser would. */
async function pick(wrapper: VueWrapper, file: File): Promise<void> {
  const input = wrapper.get<HTMLInputElement>('[data-testid="document-file"]');
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
  await input.trigger('change');
}

// Each journey makes a dozen server calls, so the waits inside bound it, not the default 5 s.
describe('knowledge base pages', { timeout: 60_000 }, () => {
  it('creates a base, adds a picked file and pasted text, finds them by search, and deletes them', async () => {
    server = await createTestServerApi();
    const { wrapper, router } = await mountWithApp({ render: () => h(RouterView) }, { path: '/settings/knowledge-bases', settingsApi: server.settings });
    await flushPromises();
    expect(wrapper.get('[data-testid="knowledge-bases-panel"]').text()).toContain('No knowledge bases yet.');

    await wrapper.get('[data-action="add-knowledge-base"]').trigger('click');
    const dialog = wrapper.get('[data-testid="knowledge-base-dialog"]');
    await fieldOf(dialog, 'id').setValue('handbook');
    await fieldOf(dialog, 'name').setValue('Team handbook');
    await fieldOf(dialog, 'description').setValue('How we work');
    await dialog.get('[data-action="create-knowledge-base"]').trigger('click');
    await settled(() => expect(wrapper.find('[data-knowledge-base="handbook"]').exists()).toBe(true));
    expect(wrapper.get('[data-knowledge-base="handbook"] [data-testid="counts"]').text()).toBe('0 documents · 0 passages');

    await wrapper.get('[data-knowledge-base="handbook"] [data-action="open-knowledge-base"]').trigger('click');
    await settled(() => expect(router.currentRoute.value.fullPath).toBe('/settings/knowledge-bases/handbook'));
    await settled(() => expect(wrapper.find('[data-testid="knowledge-base-detail"] [data-testid="counts"]').exists()).toBe(true));
    const detail = wrapper.get('[data-testid="knowledge-base-detail"]');
    expect(detail.text()).toContain('Team handbook');
    expect(detail.text()).toContain('No documents yet');

    await pick(wrapper, new File(['# Expenses\n\nReceipts over 50 EUR need a manager approval within five days.'], 'expenses.md', { type: 'text/markdown' }));
    await settled(() => expect(wrapper.find('[data-document="expenses.md"]').exists()).toBe(true));
    expect(wrapper.get('[data-testid="document-added"]').text()).toBe('Added "expenses.md".');
    expect(wrapper.get('[data-document="expenses.md"]').text()).toContain('text/markdown');

    await fieldOf(detail, 'source').setValue('holidays.txt');
    await fieldOf(detail, 'text').setValue('Holidays are booked in the calendar two weeks ahead.');
    await detail.get('[data-testid="paste-document"]').trigger('submit');
    await settled(() => expect(wrapper.find('[data-document="holidays.txt"]').exists()).toBe(true));
    expect(fieldOf(detail, 'text').element.value).toBe('');
    expect(detail.get('[data-testid="counts"]').text()).toBe('2 documents · 2 passages');

    await fieldOf(detail, 'query').setValue('manager approval for receipts');
    await detail.get('[data-testid="knowledge-search"]').trigger('submit');
    await settled(() => expect(wrapper.findAll('[data-testid="search-hit"]').length).toBeGreaterThan(0));
    const best = wrapper.get('[data-testid="search-hit"]');
    expect(best.text()).toContain('expenses.md');
    expect(best.text()).toContain('Receipts over 50 EUR need a manager approval');
    const score = Number(best.attributes('data-score'));
    expect(score).toBeGreaterThan(0);
    expect(best.text()).toContain(`score ${new Intl.NumberFormat('en', { maximumSignificantDigits: 3 }).format(score)}`);
    // Vector search needs an embedding model, which this base has none of: not offered.
    expect(detail.get('[data-field="mode"]').text()).not.toContain('Vector');

    await fieldOf(detail, 'query').setValue('zebra');
    await detail.get('[data-testid="knowledge-search"]').trigger('submit');
    await settled(() => expect(wrapper.find('[data-testid="no-hits"]').exists()).toBe(true));

    await wrapper.get('[data-document="expenses.md"] [data-action="delete-document"]').trigger('click');
    await settled(() => expect(document.querySelector('.el-message-box')?.textContent).toContain('Delete the document "expenses.md"?'));
    confirmMessageBox();
    await settled(() => expect(wrapper.find('[data-document="expenses.md"]').exists()).toBe(false));
    expect((await server.settings.listDocuments('handbook')).map((document) => document.source)).toEqual(['holidays.txt']);

    await wrapper.get('[data-action="back-to-knowledge-bases"]').trigger('click');
    await settled(() => expect(wrapper.find('[data-knowledge-base="handbook"] [data-action="delete-knowledge-base"]').exists()).toBe(true));
    await wrapper.get('[data-knowledge-base="handbook"] [data-action="delete-knowledge-base"]').trigger('click');
    await settled(() => expect(document.querySelector('.el-message-box')?.textContent).toContain('Delete the knowledge base "Team handbook"'));
    confirmMessageBox();
    await settled(() => expect(wrapper.find('[data-knowledge-base="handbook"]').exists()).toBe(false));
    expect(await server.settings.listKnowledgeBases()).toEqual([]);
  });

  it("shows the server's refusals with their codes: a taken id, an empty document", async () => {
    server = await createTestServerApi();
    await server.settings.createKnowledgeBase({ id: 'taken', name: 'Taken' });
    const { wrapper } = await mountWithApp({ render: () => h(RouterView) }, { path: '/settings/knowledge-bases', settingsApi: server.settings, locale: 'zh-CN' });
    await flushPromises();
    await wrapper.get('[data-action="add-knowledge-base"]').trigger('click');
    const dialog = wrapper.get('[data-testid="knowledge-base-dialog"]');
    expect(dialog.text()).toContain('创建知识库');
    await fieldOf(dialog, 'id').setValue('taken');
    await fieldOf(dialog, 'name').setValue('Again');
    await dialog.get('[data-action="create-knowledge-base"]').trigger('click');
    await settled(() => expect(dialog.find('[data-testid="settings-error"]').exists()).toBe(true));
    expect(dialog.get('[data-testid="settings-error"]').attributes('data-error-code')).toBe('knowledge_base_exists');
    expect(dialog.get('[data-testid="settings-error"]').text()).toMatch(/^knowledge_base_exists：/);

    await wrapper.get('[data-knowledge-base="taken"] [data-action="open-knowledge-base"]').trigger('click');
    await settled(() => expect(wrapper.find('[data-testid="knowledge-base-detail"] [data-testid="document-file"]').exists()).toBe(true));
    await pick(wrapper, new File(['   '], 'blank.txt', { type: 'text/plain' }));
    await settled(() => expect(wrapper.find('[data-testid="knowledge-base-detail"] [data-testid="settings-error"]').exists()).toBe(true));
    expect(wrapper.get('[data-testid="knowledge-base-detail"] [data-testid="settings-error"]').attributes('data-error-code')).toBe('document_empty');
  });
});
