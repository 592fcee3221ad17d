import type { FlowDocument } from '@loomflow/graph-schema';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { useFlowDocumentStore } from '../stores/flow-document-store';
import { CODE_EDITOR_LOAD_TIMEOUT_MS, codeEditorIn, leave, loadCodeEditors, textOf, typeInto } from '../testing/code-editor';
import { mountWithApp } from '../testing/mount-app';
import PropertiesPanel from './PropertiesPanel.vue';

function flow(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'panel',
    name: 'Panel',
    kind: 'agent',
    state: { channels: [] },
    nodes: [
      { id: 'reply', type: 'agent.template', name: 'Reply', position: { x: 0, y: 0 }, config: { template: 'Hi', output: 'answer' } },
      { id: 'end', type: 'agent.end', position: { x: 200, y: 0 }, config: {} },
    ],
    edges: [{ id: 'e1', source: 'reply', target: 'end', condition: 'amount > 1' }],
  };
}

async function mountPanel(locale: 'en' | 'zh-CN' = 'en') {
  const { wrapper, pinia } = await mountWithApp(PropertiesPanel, { locale });
  const store = useFlowDocumentStore(pinia);
  store.open(flow());
  return { wrapper, store };
}

beforeAll(loadCodeEditors, CODE_EDITOR_LOAD_TIMEOUT_MS);

afterEach(() => {
  document.body.innerHTML = '';
});

describe('PropertiesPanel', { timeout: 30_000 }, () => {
  it('asks for a selection when nothing is selected', async () => {
    const { wrapper } = await mountPanel('zh-CN');
    expect(wrapper.text()).toContain('选择一个节点或连线以编辑。');
  });

  it('shows a form generated from the node type schema, and edits go through undoable commands', async () => {
    const { wrapper, store } = await mountPanel();
    store.select({ nodeIds: ['reply'], edgeIds: [] });
    await nextTick();
    // The node type reads `template` as a {{channel}} template: it gets the template editor.
    const template = await codeEditorIn(wrapper, '[data-config-key="template"]');
    expect(textOf(template)).toBe('Hi');
    expect(wrapper.find('[data-config-key="join"]').exists()).toBe(true);

    typeInto(template, 'Hello {{question}}');
    await leave(template);
    expect(store.document.nodes[0]?.config).toEqual({ template: 'Hello {{question}}', output: 'answer' });

    store.undo();
    await nextTick();
    expect(store.document.nodes[0]?.config).toEqual({ template: 'Hi', output: 'answer' });
    expect(textOf(template)).toBe('Hi');
  });

  it('renames the node through node.rename', async () => {
    const { wrapper, store } = await mountPanel();
    store.select({ nodeIds: ['reply'], edgeIds: [] });
    await nextTick();
    const name = wrapper.get('input[data-field="name"]');
    await name.setValue('Answer');
    await name.trigger('change');
    expect(store.document.nodes[0]?.name).toBe('Answer');
    expect(store.canUndo).toBe(true);
  });

  it('shows FEEL syntax errors of an edge condition while typing, before committing', async () => {
    const { wrapper, store } = await mountPanel();
    store.select({ nodeIds: [], edgeIds: ['e1'] });
    await nextTick();
    const condition = await codeEditorIn(wrapper, '[data-field="condition"]');
    expect(textOf(condition)).toBe('amount > 1');
    // Typing only: nothing is committed until the field is left.
    typeInto(condition, 'amount >');
    await nextTick();
    expect(wrapper.get('[data-testid="feel-error"]').text()).toBe('Not a valid FEEL expression: the problem is at character 9. Expected e.g. amount > 1000');
    expect(store.document.edges[0]?.condition).toBe('amount > 1');

    typeInto(condition, 'amount > 5');
    await leave(condition);
    expect(store.document.edges[0]?.condition).toBe('amount > 5');
    store.undo();
    await nextTick();
    expect(store.document.edges[0]?.condition).toBe('amount > 1');
    expect(textOf(condition)).toBe('amount > 1');
  });
});
