import { currentCompletions, startCompletion } from '@codemirror/autocomplete';
import type { EditorView } from '@codemirror/view';
import type { FlowDocument } from '@loomflow/graph-schema';
import type { VueWrapper } from '@vue/test-utils';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import PropertiesPanel from '../../../editor/PropertiesPanel.vue';
import { useFlowDocumentStore } from '../../../stores/flow-document-store';
import { CODE_EDITOR_LOAD_TIMEOUT_MS, codeEditorIn, leave, loadCodeEditors, textOf, typeInto } from '../../../testing/code-editor';
import { mountWithApp } from '../../../testing/mount-app';

function agentFlow(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'editors',
    name: 'Editors',
    kind: 'agent',
    state: {
      channels: [
        { name: 'question', type: 'string', reducer: 'replace' },
        { name: 'customer', type: 'object', reducer: 'replace', default: { name: '', tier: 'gold' } },
        { name: 'orders', type: 'array', reducer: 'replace' },
        { name: 'results', type: 'array', reducer: 'replace' },
      ],
    },
    nodes: [
      { id: 'ask', type: 'agent.llm', name: 'Ask', position: { x: 0, y: 0 }, config: { prompt: 'Hi' } },
      { id: 'fan', type: 'agent.map', name: 'Fan out', position: { x: 200, y: 0 }, config: { items: 'orders', node: 'ask', collect: 'results' } },
    ],
    edges: [],
  };
}

const mounted: VueWrapper[] = [];

async function mountOn(nodeId: string, locale: 'en' | 'zh-CN' = 'en') {
  const { wrapper, pinia } = await mountWithApp(PropertiesPanel, { locale });
  mounted.push(wrapper);
  const store = useFlowDocumentStore(pinia);
  store.open(agentFlow());
  store.select({ nodeIds: [nodeId], edgeIds: [] });
  await nextTick();
  return { wrapper, store };
}

/** Opens completion where the cursor is and waits for its options. */
async function completionsAt(view: EditorView): Promise<string[]> {
  startCompletion(view);
  return vi.waitFor(() => {
    const labels = currentCompletions(view.state).map((option) => option.label);
    if (labels.length === 0) throw new Error('no completions yet');
    return labels;
  });
}

beforeAll(loadCodeEditors, CODE_EDITOR_LOAD_TIMEOUT_MS);

// Unmounted rather than cleared: an autosized textarea measures itself after the last edit.
afterEach(() => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount();
  document.body.innerHTML = '';
});

describe('template editor', { timeout: 30_000 }, () => {
  it('edits a prompt through one undoable command, and follows undo', async () => {
    const { wrapper, store } = await mountOn('ask');
    const prompt = await codeEditorIn(wrapper, '[data-config-key="prompt"]');
    expect(textOf(prompt)).toBe('Hi');
    typeInto(prompt, 'Answer {{question}}');
    expect(store.document.nodes[0]?.config.prompt).toBe('Hi');
    await leave(prompt);
    expect(store.document.nodes[0]?.config.prompt).toBe('Answer {{question}}');
    store.undo();
    await nextTick();
    expect(store.document.nodes[0]?.config.prompt).toBe('Hi');
    expect(textOf(prompt)).toBe('Hi');
  });

  it('completes {{ with the flow channels and the paths under an object channel', async () => {
    const { wrapper } = await mountOn('ask');
    const prompt = await codeEditorIn(wrapper, '[data-config-key="prompt"]');
    typeInto(prompt, 'Dear {{');
    expect(await completionsAt(prompt)).toEqual(['customer', 'orders', 'question', 'results']);
    typeInto(prompt, 'Dear {{customer.');
    expect(await completionsAt(prompt)).toEqual(['name', 'tier']);
  });

  it('marks unknown names, in the user language', async () => {
    const { wrapper } = await mountOn('ask', 'zh-CN');
    const prompt = await codeEditorIn(wrapper, '[data-config-key="prompt"]');
    typeInto(prompt, '{{question}} {{questoin}}');
    await vi.waitFor(() => expect(wrapper.findAll('.cm-template-placeholder--unknown').map((mark) => mark.text())).toEqual(['{{questoin}}']));
    expect(wrapper.findAll('.cm-template-placeholder').length).toBe(2);
  });
});

describe('FEEL editor', { timeout: 30_000 }, () => {
  it('edits a FEEL key found through the node type, through one undoable command', async () => {
    const { wrapper, store } = await mountOn('fan');
    const items = await codeEditorIn(wrapper, '[data-config-key="items"]');
    expect(textOf(items)).toBe('orders');
    typeInto(items, 'orders[item.total > 10]');
    await leave(items);
    expect(store.document.nodes[1]?.config.items).toBe('orders[item.total > 10]');
    store.undo();
    await nextTick();
    expect(store.document.nodes[1]?.config.items).toBe('orders');
    expect(textOf(items)).toBe('orders');
  });

  it('completes the flow channels and warns of a name the flow does not declare', async () => {
    const { wrapper } = await mountOn('fan');
    const items = await codeEditorIn(wrapper, '[data-config-key="items"]');
    typeInto(items, 'ord');
    expect(await completionsAt(items)).toContain('orders');
    typeInto(items, 'ordres');
    await nextTick();
    expect(wrapper.get('[data-config-key="items"] [data-testid="feel-error"]').text()).toBe(
      '"ordres" is no state channel of this flow; the expression would read null there',
    );
  });
});
