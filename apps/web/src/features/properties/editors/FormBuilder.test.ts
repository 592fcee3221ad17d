import type { FlowDocument } from '@loomflow/graph-schema';
import type { VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import PropertiesPanel from '../../../editor/PropertiesPanel.vue';
import { useFlowDocumentStore } from '../../../stores/flow-document-store';
import { mountWithApp } from '../../../testing/mount-app';

function flow(kind: 'agent' | 'bpmn', node: FlowDocument['nodes'][number]): FlowDocument {
  return { schemaVersion: 1, id: 'forms', name: 'Forms', kind, state: { channels: [{ name: 'approved', type: 'boolean', reducer: 'replace' }] }, nodes: [node], edges: [] };
}

const userTask = (formFields: unknown): FlowDocument['nodes'][number] => ({
  id: 'review',
  type: 'bpmn.userTask',
  name: 'Review',
  position: { x: 0, y: 0 },
  size: { width: 100, height: 80 },
  config: { formFields },
});

const mounted: VueWrapper[] = [];

async function mountOn(document: FlowDocument, locale: 'en' | 'zh-CN' = 'en') {
  const { wrapper, pinia } = await mountWithApp(PropertiesPanel, { locale });
  mounted.push(wrapper);
  const store = useFlowDocumentStore(pinia);
  store.open(document);
  store.select({ nodeIds: [document.nodes[0]?.id ?? ''], edgeIds: [] });
  await nextTick();
  await vi.waitFor(() => expect(wrapper.find('[data-testid="form-builder"]').exists()).toBe(true), { timeout: 20_000 });
  return { wrapper, store };
}

/** Element Plus puts attributes of an input on the input element itself. */
async function typeIn(wrapper: VueWrapper, selector: string, text: string): Promise<void> {
  const [row, prop] = selector.split(' ');
  const input = wrapper.get(`${row ?? ''} input${prop ?? ''}`);
  await input.setValue(text);
  await input.trigger('change');
}

const previewFields = (wrapper: VueWrapper) => wrapper.findAll('[data-testid="form-preview"] [data-answer]').map((field) => `${field.attributes('data-answer')}:${field.attributes('data-type')}:${field.text()}`);

describe('form builder', { timeout: 30_000 }, () => {
  // Unmounted rather than cleared: an autosized textarea measures itself after the last edit.
  afterEach(() => {
    for (const wrapper of mounted.splice(0)) wrapper.unmount();
    document.body.innerHTML = '';
  });

  it('builds a user-task form field by field, each edit one undoable command, with its preview', async () => {
    const { wrapper, store } = await mountOn(flow('bpmn', userTask([])));
    const config = () => store.document.nodes[0]?.config;

    await wrapper.get('[data-action="add-field"]').trigger('click');
    expect(config()?.formFields).toEqual([{ key: 'field1', label: 'field1', type: 'string', required: false }]);
    await typeIn(wrapper, '[data-field-row="0"] [data-prop="key"]', 'amount');
    await typeIn(wrapper, '[data-field-row="0"] [data-prop="label"]', 'Amount');
    expect(config()?.formFields).toEqual([{ key: 'amount', label: 'Amount', type: 'string', required: false }]);
    await wrapper.get('[data-field-row="0"] [data-prop="required"]').trigger('click');
    expect(config()?.formFields).toEqual([{ key: 'amount', label: 'Amount', type: 'string', required: true }]);

    await wrapper.get('[data-action="add-field"]').trigger('click');
    await typeIn(wrapper, '[data-field-row="1"] [data-prop="key"]', 'reason');
    await wrapper.get('[data-field-row="1"] [data-action="move-up"]').trigger('click');
    expect((config()?.formFields as { key: string }[]).map((field) => field.key)).toEqual(['reason', 'amount']);
    expect(previewFields(wrapper)).toEqual(['reason:string:field2', 'amount:string:Amount *']);

    store.undo();
    await nextTick();
    expect((config()?.formFields as { key: string }[]).map((field) => field.key)).toEqual(['amount', 'reason']);
    expect(wrapper.findAll('input[data-prop="key"]').map((input) => (input.element as HTMLInputElement).value)).toEqual(['amount', 'reason']);

    await wrapper.get('[data-field-row="1"] [data-action="remove-field"]').trigger('click');
    expect(config()?.formFields).toEqual([{ key: 'amount', label: 'Amount', type: 'string', required: true }]);
  });

  it('commits nothing while a field is wrong, and says what is wrong in the user language', async () => {
    const { wrapper, store } = await mountOn(flow('bpmn', userTask([{ key: 'amount', label: 'Amount', type: 'number', required: false }])), 'zh-CN');
    const before = store.document;
    await typeIn(wrapper, '[data-field-row="0"] [data-prop="key"]', '1st');
    expect(store.document).toBe(before);
    expect(wrapper.get('[data-testid="form-problem"]').text()).toBe('第 1 个字段：键 "1st" 只能包含字母、数字和 _，且不能以数字开头。');
  });

  it('shows a wrong stored form as what is expected, and takes corrected JSON', async () => {
    const { wrapper, store } = await mountOn(flow('bpmn', userTask([{ id: 'amount', key: 'amount', label: 'Amount', type: 'number' }])));
    expect(wrapper.get('[data-testid="form-problem"]').text()).toBe(
      'Expected a list of fields, each {"key": "amount", "label": "Amount", "type": "number", "required": true}; field 1 has "id", which a field does not take (it takes key, label, type, required, options).',
    );
    const json = wrapper.get('textarea[data-testid="form-json"]');
    await json.setValue('[{"key": "amount", "label": "Amount", "type": "number"}]');
    await wrapper.get('[data-action="apply-json"]').trigger('click');
    expect(store.document.nodes[0]?.config.formFields).toEqual([{ key: 'amount', label: 'Amount', type: 'number' }]);
    await nextTick();
    expect(previewFields(wrapper)).toEqual(['amount:number:Amount']);
  });

  it('edits a human step answer schema with descriptions and defaults, and previews its prompt', async () => {
    const human: FlowDocument['nodes'][number] = {
      id: 'ask',
      type: 'agent.human',
      name: 'Ask',
      position: { x: 0, y: 0 },
      config: { prompt: 'Approve the refund?', schema: { type: 'object', properties: { approved: { type: 'boolean' } }, required: ['approved'] } },
    };
    const { wrapper, store } = await mountOn(flow('agent', human));
    await typeIn(wrapper, '[data-field-row="0"] [data-prop="description"]', 'Yes to pay it back');
    await wrapper.get('[data-field-row="0"] [data-prop="default"] .el-switch').trigger('click');
    expect(store.document.nodes[0]?.config.schema).toEqual({
      type: 'object',
      properties: { approved: { type: 'boolean', description: 'Yes to pay it back', default: true } },
      required: ['approved'],
    });
    expect(wrapper.get('[data-testid="form-preview"]').text()).toContain('Approve the refund?');
    store.undo();
    store.undo();
    await nextTick();
    expect(store.document.nodes[0]?.config.schema).toEqual(human.config.schema);
  });
});
