// @vitest-environment-options {"settings":{"fetch":{"disableSameOriginPolicy":true}}}
// The property editors by kind, each through the properties panel as a person uses it: a value in,
// an edit, the one command on the document store it makes, and undo bringing the value back. The
// model editor reads the real server's providers and tests one against a real OpenAI-protocol
// server on loopback (the options above let the server app call it from this DOM environment).
import type { FlowDocument } from '@loomflow/graph-schema';
import { startOpenAiTestServer, type OpenAiTestServer } from '@loomflow/openai-test-server';
import { flushPromises } from '@vue/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import PropertiesPanel from '../../editor/PropertiesPanel.vue';
import { useFlowDocumentStore } from '../../stores/flow-document-store';
import { CODE_EDITOR_LOAD_TIMEOUT_MS, codeEditorIn, leave, loadCodeEditors, textOf, typeInto } from '../../testing/code-editor';
import { pickOption } from '../../testing/element-select';
import { settled } from '../../testing/form-fields';
import { mountWithApp } from '../../testing/mount-app';
import { createTestServerApi, type TestServerApi } from '../../testing/server-api';

let provider: OpenAiTestServer;
beforeAll(async () => {
  provider = await startOpenAiTestServer();
});
afterAll(() => provider.close());

let server: TestServerApi | undefined;
afterEach(async () => {
  document.body.innerHTML = '';
  await server?.dispose();
  server = undefined;
});

function agentFlow(nodes: FlowDocument['nodes']): FlowDocument {
  return { schemaVersion: 1, id: 'editors', name: 'Editors', kind: 'agent', state: { channels: [{ name: 'question', type: 'string', reducer: 'replace' }] }, nodes, edges: [] };
}

async function mountPanel(flow: FlowDocument, select: string, options: { locale?: 'en' | 'zh-CN'; withServer?: boolean } = {}) {
  server = options.withServer ? await createTestServerApi() : undefined;
  const { wrapper, pinia } = await mountWithApp(PropertiesPanel, {
    locale: options.locale ?? 'en',
    ...(server ? { settingsApi: server.settings, api: server.api } : {}),
  });
  const store = useFlowDocumentStore(pinia);
  store.open(flow);
  store.select({ nodeIds: [select], edgeIds: [] });
  await nextTick();
  await flushPromises();
  return { wrapper, store };
}

const configOf = (store: ReturnType<typeof useFlowDocumentStore>, id: string) => store.document.nodes.find((node) => node.id === id)?.config;
const row = (wrapper: Awaited<ReturnType<typeof mountPanel>>['wrapper'], key: string) => wrapper.get(`[data-field-row="${key}"]`);

/** The model editor of node `id` once more: it reads the providers when it appears, so one added since shows. */
async function modelEditorAgain({ wrapper, store }: Awaited<ReturnType<typeof mountPanel>>, id: string) {
  store.select({ nodeIds: [], edgeIds: [] });
  await nextTick();
  store.select({ nodeIds: [id], edgeIds: [] });
  await settled(() => expect(wrapper.findAll('[data-model-editor]').length).toBe(1));
  await flushPromises();
  return wrapper.get('[data-model-editor]');
}


// The panel's rich editors load on first use (editors/index.ts); load them before the tests, so no
// import is still under way when the test environment is torn down.
beforeAll(async () => {
  await Promise.all([import('./editors/TemplateEditor.vue'), import('./editors/FeelExpressionEditor.vue'), import('./editors/FormBuilder.vue')]);
});

describe('property editors', { timeout: 60_000 }, () => {
  it('sets retry and error routing in the collapsed Execution section', async () => {
    const { wrapper, store } = await mountPanel(agentFlow([{ id: 'ask', type: 'agent.llm', position: { x: 0, y: 0 }, config: { prompt: '{{question}}' } }]), 'ask');
    const section = wrapper.get('[data-testid="execution-section"]');
    expect(section.get('.el-collapse-item').classes()).not.toContain('is-active');
    await section.get('.el-collapse-item__header').trigger('click');
    expect(section.get('.el-collapse-item').classes()).toContain('is-active');

    const attempts = section.get('[data-field-row="maxAttempts"] input');
    expect((attempts.element as HTMLInputElement).value).toBe('1');
    await attempts.setValue('3');
    await attempts.trigger('blur');
    await flushPromises();
    expect(configOf(store, 'ask')).toEqual({ prompt: '{{question}}', retry: { maxAttempts: 3, initialIntervalMs: 500, backoffFactor: 2 } });

    await section.get('[data-field-row="onError"] .el-switch').trigger('click');
    expect(configOf(store, 'ask')).toMatchObject({ onError: 'route' });

    store.undo();
    store.undo();
    await nextTick();
    expect(configOf(store, 'ask')).toEqual({ prompt: '{{question}}' });
    expect((section.get('[data-field-row="maxAttempts"] input').element as HTMLInputElement).value).toBe('1');
  });

  it('picks a model provider from the server\'s settings, tests it, and picks one of its models', async () => {
    const { wrapper, store } = await mountPanel(agentFlow([{ id: 'ask', type: 'agent.llm', position: { x: 0, y: 0 }, config: { prompt: '{{question}}' } }]), 'ask', { withServer: true });
    await server?.settings.putProvider('local', { kind: 'openai-compatible', baseUrl: provider.baseUrl, defaultModel: 'first-model' });
    const editor = await modelEditorAgain({ wrapper, store }, 'ask');
    await pickOption(editor.get('[data-field-row="credential"]'), 'local · OpenAI-compatible');
    expect(configOf(store, 'ask')).toEqual({ prompt: '{{question}}', model: { model: 'first-model', credential: 'local' } });

    await editor.get('[data-action="test-connection"]').trigger('click');
    await settled(() => expect(editor.get('[data-testid="connection-result"]').text()).toMatch(/^Connected in \d+ ms; 1 models offered\.$/));
    await pickOption(editor.get('[data-field-row="model"]'), 'test-model');
    expect(configOf(store, 'ask')).toMatchObject({ model: { credential: 'local', model: 'test-model' } });

    store.undo();
    await nextTick();
    expect(configOf(store, 'ask')).toMatchObject({ model: { model: 'first-model' } });
    store.undo();
    await nextTick();
    expect(configOf(store, 'ask')).toEqual({ prompt: '{{question}}' });
  });

  it("drops a model's own Base URL when a provider is picked, whose address the calls then go to", async () => {
    const flow = agentFlow([{ id: 'ask', type: 'agent.llm', position: { x: 0, y: 0 }, config: { prompt: '{{question}}', model: { model: 'm', baseUrl: 'https://models.example/v1' } } }]);
    const { wrapper, store } = await mountPanel(flow, 'ask', { withServer: true, locale: 'zh-CN' });
    await server?.settings.putProvider('local', { kind: 'openai-compatible', baseUrl: provider.baseUrl });
    const editor = await modelEditorAgain({ wrapper, store }, 'ask');
    expect(editor.find('[data-field-row="baseUrl"]').exists()).toBe(true);
    expect(editor.find('[data-testid="provider-address"]').exists()).toBe(false);
    await pickOption(editor.get('[data-field-row="credential"]'), 'local · OpenAI 兼容');
    expect(configOf(store, 'ask')).toEqual({ prompt: '{{question}}', model: { model: 'm', credential: 'local' } });
    expect(editor.find('[data-field-row="baseUrl"]').exists()).toBe(false);
    expect(editor.get('[data-testid="provider-address"]').text()).toBe('调用发往"设置"中服务商"local"的地址；接口地址仅用于不指定服务商的模型。');

    store.undo();
    await nextTick();
    expect(configOf(store, 'ask')).toEqual({ prompt: '{{question}}', model: { model: 'm', baseUrl: 'https://models.example/v1' } });
    expect(editor.find('[data-field-row="baseUrl"]').exists()).toBe(true);
  });

  it('adds tools of each kind to a list and fills their fields', async () => {
    const { wrapper, store } = await mountPanel(agentFlow([{ id: 'tools', type: 'agent.tools', position: { x: 0, y: 0 }, config: { tools: [] } }]), 'tools');
    await row(wrapper, 'tools').get('[data-action="add-http"]').trigger('click');
    expect(configOf(store, 'tools')).toEqual({ tools: [{ kind: 'http' }] });
    const item = row(wrapper, 'tools').get('[data-list-item]');
    const name = item.get('[data-field-row="name"] input');
    await name.setValue('rates');
    await name.trigger('change');
    expect(configOf(store, 'tools')).toEqual({ tools: [{ kind: 'http', name: 'rates' }] });

    // Switching the kind keeps what both kinds have.
    await pickOption(item.get('[data-union="kind"]'), 'Code');
    expect(configOf(store, 'tools')).toEqual({ tools: [{ kind: 'code', name: 'rates' }] });
    expect(item.find('[data-field-row="source"]').exists()).toBe(true);

    store.undo();
    await nextTick();
    expect(configOf(store, 'tools')).toEqual({ tools: [{ kind: 'http', name: 'rates' }] });
    store.undo();
    store.undo();
    await nextTick();
    expect(configOf(store, 'tools')).toEqual({ tools: [] });
    expect(row(wrapper, 'tools').findAll('[data-list-item]')).toHaveLength(0);
  });

  it('picks the worker of a map among the flow\'s nodes, never typed', async () => {
    const { wrapper, store } = await mountPanel(
      agentFlow([
        { id: 'fan', type: 'agent.map', position: { x: 0, y: 0 }, config: { items: 'items', node: 'gone', collect: 'results' } },
        { id: 'price', type: 'agent.code', name: 'Price one', position: { x: 0, y: 100 }, config: { source: 'return {};' } },
      ]),
      'fan',
    );
    const node = row(wrapper, 'node');
    expect(node.get('[data-testid="reference-missing"]').text()).toBe('"gone" does not exist');
    expect(node.find('input[type="text"]:not([readonly])').exists()).toBe(true);
    await pickOption(node, 'Price one (price)');
    expect(configOf(store, 'fan')).toMatchObject({ node: 'price' });
    expect(node.find('[data-testid="reference-missing"]').exists()).toBe(false);
    store.undo();
    await nextTick();
    expect(configOf(store, 'fan')).toMatchObject({ node: 'gone' });
  });

  it('picks a sub-flow among the stored flows', async () => {
    const { wrapper, store } = await mountPanel(agentFlow([{ id: 'sub', type: 'agent.subflow', position: { x: 0, y: 0 }, config: { flowId: 'subflow' } }]), 'sub', { withServer: true });
    const stored: FlowDocument = { ...agentFlow([{ id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} }, { id: 'end', type: 'agent.end', position: { x: 0, y: 100 }, config: {} }]), id: 'pricing', name: 'Pricing', edges: [{ id: 'e', source: 'start', target: 'end' }] };
    await server?.api.create(stored);
    store.select({ nodeIds: [], edgeIds: [] });
    await nextTick();
    store.select({ nodeIds: ['sub'], edgeIds: [] });
    await settled(() => expect(row(wrapper, 'flowId').find('[data-testid="reference-missing"]').exists()).toBe(true));
    await pickOption(row(wrapper, 'flowId'), 'Pricing (pricing)');
    expect(configOf(store, 'sub')).toEqual({ flowId: 'pricing' });
    store.undo();
    await nextTick();
    expect(configOf(store, 'sub')).toEqual({ flowId: 'subflow' });
  });

  it('edits a BPMN event as nested labelled fields, its trigger first', async () => {
    const flow: FlowDocument = {
      ...agentFlow([
        { id: 'work', type: 'bpmn.task', position: { x: 0, y: 0 }, config: {} },
        { id: 'late', type: 'bpmn.boundaryEvent', position: { x: 50, y: 40 }, config: { attachedTo: 'work', eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT1H' } } },
      ]),
      kind: 'bpmn',
    };
    const { wrapper, store } = await mountPanel(flow, 'late', { locale: 'zh-CN' });
    const event = row(wrapper, 'eventDefinition');
    expect(event.get('[data-field-row="value"] .field-row__label').text()).toBe('定时值*');
    const value = event.get('[data-field-row="value"] input');
    await value.setValue('PT2H');
    await value.trigger('change');
    expect(configOf(store, 'late')).toEqual({ attachedTo: 'work', eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT2H' } });
    await pickOption(event, '消息');
    expect(configOf(store, 'late')).toEqual({ attachedTo: 'work', eventDefinition: { type: 'message' } });
    expect(event.find('[data-field-row="messageName"]').exists()).toBe(true);
    store.undo();
    store.undo();
    await nextTick();
    expect(configOf(store, 'late')).toMatchObject({ eventDefinition: { value: 'PT1H' } });
  });

  it('edits lists of texts and names mapped to texts row by row', async () => {
    const { wrapper, store } = await mountPanel(agentFlow([{ id: 'call', type: 'agent.http', position: { x: 0, y: 0 }, config: { url: 'https://example.com' } }]), 'call');
    const hosts = row(wrapper, 'allowHosts');
    await hosts.get('[data-action="add-row"]').trigger('click');
    const host = hosts.get('[data-row] input');
    await host.setValue('localhost:8080');
    await host.trigger('change');
    expect(configOf(store, 'call')).toEqual({ url: 'https://example.com', allowHosts: ['localhost:8080'] });


    const headers = row(wrapper, 'headers');
    await headers.get('[data-action="add-row"]').trigger('click');
    // Leaving each input commits the row as it stands: a name, then its value (a template here).
    await headers.get('input[data-part="key"]').setValue('Accept');
    expect(configOf(store, 'call')).toMatchObject({ headers: { Accept: '' } });
    const value = await codeEditorIn(wrapper, '[data-field-row="headers"] [data-part="value"]');
    typeInto(value, 'application/{{question}}');
    await leave(value);
    expect(configOf(store, 'call')).toMatchObject({ headers: { Accept: 'application/{{question}}' } });
    store.undo();
    store.undo();
    store.undo();
    await nextTick();
    expect(configOf(store, 'call')).toEqual({ url: 'https://example.com' });
  });
});

describe('maps of expressions', { timeout: 30_000 }, () => {
  beforeAll(loadCodeEditors, CODE_EDITOR_LOAD_TIMEOUT_MS);

  it("edits a sub-flow's inputs in the FEEL editor, with the flow's channels completed and unknown names flagged", async () => {
    const { wrapper, store } = await mountPanel(agentFlow([{ id: 'sub', type: 'agent.subflow', position: { x: 0, y: 0 }, config: { flowId: 'other', inputs: { topic: 'question' } } }]), 'sub');
    const input = await codeEditorIn(wrapper, '[data-field-row="inputs"] [data-part="value"]');
    expect(textOf(input)).toBe('question');
    typeInto(input, 'upper case(question)');
    await leave(input);
    expect(configOf(store, 'sub')).toMatchObject({ inputs: { topic: 'upper case(question)' } });
    typeInto(input, 'questoin');
    await vi.waitFor(() => expect(wrapper.get('[data-field-row="inputs"] [data-testid="feel-error"]').text()).toContain('questoin'));
    store.undo();
    await nextTick();
    expect(configOf(store, 'sub')).toMatchObject({ inputs: { topic: 'question' } });
  });
});

describe('field errors', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('shows a wrong user-task form on its field, in the reader\'s language, naming the expected shape', async () => {
    const { validateFlow, createDefaultRegistry } = await import('@loomflow/graph-schema');
    const flow: FlowDocument = {
      ...agentFlow([{ id: 'review', type: 'bpmn.userTask', position: { x: 0, y: 0 }, config: { formFields: [{ id: 'amount', label: 'Amount', type: 'number' }] } }]),
      kind: 'bpmn',
    };
    const issues = validateFlow(flow, { registry: createDefaultRegistry(), locale: 'zh-CN' });
    const { wrapper, pinia } = await mountWithApp(PropertiesPanel, { locale: 'zh-CN', props: { issues } });
    const store = useFlowDocumentStore(pinia);
    store.open(flow);
    store.select({ nodeIds: ['review'], edgeIds: [] });
    await nextTick();
    const error = wrapper.get('[data-field-row="formFields"] [data-testid="field-error"]');
    expect(error.text()).toContain('应为：一个列表，每项包含 key、label、type、required、options');
    expect(wrapper.findAll('[data-testid="field-error"]')).toHaveLength(1);
  });
});
