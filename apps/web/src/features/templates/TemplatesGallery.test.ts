import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createDefaultRegistry } from '@loomflow/graph-schema';
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mountWithApp } from '../../testing/mount-app';
import { createTestServerApi, type TestServerApi } from '../../testing/server-api';
import { flowsFromTemplate, flowTemplates, templateText, type FlowTemplate } from './flow-templates';
import { templateTextsZhCn } from './template-texts';
import TemplatesGallery from './TemplatesGallery.vue';

const registry = createDefaultRegistry();
const templateOf = (id: string): FlowTemplate => {
  const template = flowTemplates.find((candidate) => candidate.flow.id === id);
  if (!template) throw new Error(`no template ${id}`);
  return template;
};
/** The flow "use template" opens: the last of the copies. */
const ownCopy = (template: FlowTemplate, now: number, locale = 'en') => flowsFromTemplate(template, registry, now, locale).at(-1);

const examplesDir = join(import.meta.dirname, '../../../../../examples');

/** Every example flow on disk: JSON files in the folders of examples/, except the invalid ones. */
function exampleFilesOnDisk(dir = examplesDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'invalid' || entry.name === 'node_modules' ? [] : exampleFilesOnDisk(path);
    return dir !== examplesDir && entry.name.endsWith('.json') ? [relative(examplesDir, path).split('\\').join('/')] : [];
  });
}

let server: TestServerApi;
beforeEach(async () => {
  server = await createTestServerApi();
});
afterEach(async () => {
  document.body.innerHTML = '';
  await server.dispose();
});

describe('flowTemplates', () => {
  it('holds every example flow on disk and nothing else', () => {
    const onDisk = exampleFilesOnDisk();
    expect(onDisk.length).toBeGreaterThanOrEqual(12);
    expect(flowTemplates.map((template) => template.file).sort()).toEqual(onDisk.sort());
  });

  it('has every template\'s name and description in Chinese, and nothing for files that are gone', () => {
    expect(Object.keys(templateTextsZhCn).sort()).toEqual(flowTemplates.map((template) => template.file).sort());
    for (const template of flowTemplates) {
      const zh = templateText(template, 'zh-CN');
      expect(zh.name).toMatch(/[\u4e00-\u9fff]/);
      expect(zh.description).toMatch(/[\u4e00-\u9fff]/);
      expect(templateText(template, 'en')).toEqual({ name: template.flow.name, description: template.flow.description ?? '' });
    }
  });

  it('names a flow made from a template as the reader saw it', () => {
    const template = templateOf('tool-assistant');
    expect(ownCopy(template, 1, 'zh-CN')?.name).toBe('会用工具的助手');
    expect(ownCopy(template, 1, 'en')?.name).toBe('Tool-using assistant');
  });

  it('makes a new flow with the template content under a fresh id', () => {
    const template = flowTemplates.find((candidate) => flowsFromTemplate(candidate, registry).length === 1);
    if (!template) throw new Error('no template without sub-flows');
    const flows = flowsFromTemplate(template, registry, 1_700_000_000_000);
    expect(flows).toEqual([{ ...template.flow, id: `${template.flow.id}-${(1_700_000_000_000).toString(36)}` }]);
    expect(flows[0]?.nodes).not.toBe(template.flow.nodes);
  });

  it('copies the templates a template runs along with it, and points the copy at their copies', () => {
    const checkout = templateOf('checkout-with-subflow');
    const [pricing, own, ...rest] = flowsFromTemplate(checkout, registry, 36, 'zh-CN');
    expect(rest).toEqual([]);
    expect(pricing).toMatchObject({ id: 'code-and-template-10', name: '订单收据', nodes: templateOf('code-and-template').flow.nodes });
    expect(own?.id).toBe('checkout-with-subflow-10');
    expect(own?.nodes.find((node) => node.type === 'agent.subflow')?.config.flowId).toBe('code-and-template-10');
    // The template itself is left as it was.
    expect(checkout.flow.nodes.find((node) => node.type === 'agent.subflow')?.config.flowId).toBe('code-and-template');
  });

  it('copies call activities\' processes too, at any depth and once each, even when they call each other', () => {
    const process = (id: string, calls: string[]): FlowTemplate => ({
      file: `bpmn/${id}.json`,
      flow: {
        schemaVersion: 1,
        id,
        name: id,
        kind: 'bpmn',
        state: { channels: [] },
        nodes: calls.map((called, index) => ({ id: `call_${index}`, type: 'bpmn.callActivity', position: { x: 0, y: 0 }, config: { calledElement: called } })),
        edges: [],
      },
    });
    const templates = [process('outer', ['middle', 'elsewhere']), process('middle', ['inner', 'outer']), process('inner', [])];
    const flows = flowsFromTemplate(templates[0] as FlowTemplate, registry, 35, 'en', templates);
    expect(flows.map((flow) => flow.id)).toEqual(['inner-z', 'middle-z', 'outer-z']);
    const calls = (flow: (typeof flows)[number] | undefined) => flow?.nodes.map((node) => node.config.calledElement);
    expect(calls(flows[1])).toEqual(['inner-z', 'outer-z']);
    // A process that is not a template stays named as it was.
    expect(calls(flows[2])).toEqual(['middle-z', 'elsewhere']);
  });
});

describe('TemplatesGallery', () => {
  it('shows each template with its name, kind, description and node count', async () => {
    const { wrapper } = await mountWithApp(TemplatesGallery, { api: server.api });
    const cards = wrapper.findAll('[data-template-id]');
    expect(cards).toHaveLength(flowTemplates.length);
    const expense = wrapper.find('[data-template-id="expense-approval"]');
    const template = flowTemplates.find((candidate) => candidate.flow.id === 'expense-approval');
    expect(expense.find('h3').text()).toBe(template?.flow.name);
    expect(expense.text()).toContain('BPMN');
    expect(expense.text()).toContain(template?.flow.description);
    expect(expense.text()).toContain(`${template?.flow.nodes.length} nodes`);
  });

  it('filters by kind, in Chinese too', async () => {
    const { wrapper } = await mountWithApp(TemplatesGallery, { api: server.api, locale: 'zh-CN' });
    expect(wrapper.find('h2').text()).toBe('从模板开始');
    await wrapper.findAll('.el-radio-button__original-radio')[1]?.setValue(true);
    const agentCount = flowTemplates.filter((template) => template.flow.kind === 'agent').length;
    expect(wrapper.findAll('[data-template-id]')).toHaveLength(agentCount);
    expect(wrapper.text()).toContain('个节点');
  });

  it('shows a drawing of each template, and a preview with its nodes before it is used', async () => {
    const { wrapper } = await mountWithApp(TemplatesGallery, { api: server.api });
    const card = wrapper.get('[data-template-id="checkout-with-subflow"]');
    const drawing = card.get('[data-testid="flow-preview"]');
    expect(drawing.attributes('aria-label')).toBe('Drawing of "Checkout with a sub-flow"');
    // One outline per node at least, and the edges between them.
    expect(drawing.findAll('path, rect, circle').length).toBeGreaterThanOrEqual(templateOf('checkout-with-subflow').flow.nodes.length + 3);
    await card.get('[data-action="preview-template"]').trigger('click');
    const preview = await vi.waitFor(() => {
      const found = document.querySelector('[data-testid="template-preview"]');
      if (!found) throw new Error('no preview yet');
      return found;
    });
    expect(preview.getAttribute('data-template-id')).toBe('checkout-with-subflow');
    expect([...preview.querySelectorAll('[data-node-id]')].map((item) => item.getAttribute('data-node-id'))).toEqual(templateOf('checkout-with-subflow').flow.nodes.map((node) => node.id));
    expect(preview.querySelector('[data-node-id="price-order"]')?.textContent).toContain('Sub-flow');
    expect(preview.querySelector('[data-testid="template-runs"]')?.textContent).toBe('Runs "Order receipt", which is copied with it.');
  });

  // Opening the editor loads its chunk, which takes seconds on a loaded machine: the wait inside bounds it, not the default 5 s.
  it('"use template" stores a copy as a new flow and opens it in the editor', { timeout: 30_000 }, async () => {
    const { wrapper, router } = await mountWithApp(TemplatesGallery, { api: server.api });
    const template = templateOf('support-router');
    await wrapper.find('[data-template-id="support-router"] [data-action="use-template"]').trigger('click');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('flow-editor'), { timeout: 20_000 });
    const id = String(router.currentRoute.value.params.id);
    expect(id).toMatch(/^support-router-[a-z0-9]+$/);
    const stored = await server.api.load(id);
    expect(stored?.flow).toEqual({ ...template.flow, id });
    await flushPromises();
  });

  it('"use template" on a flow with a sub-flow stores the sub-flow too, and the copy runs the stored copy', { timeout: 30_000 }, async () => {
    const { wrapper, router } = await mountWithApp(TemplatesGallery, { api: server.api });
    await wrapper.find('[data-template-id="checkout-with-subflow"] [data-action="use-template"]').trigger('click');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('flow-editor'), { timeout: 20_000 });
    const stored = await server.api.load(String(router.currentRoute.value.params.id));
    const flowId = String(stored?.flow.nodes.find((node) => node.type === 'agent.subflow')?.config.flowId);
    expect(flowId).toMatch(/^code-and-template-[a-z0-9]+$/);
    expect((await server.api.load(flowId))?.flow.nodes).toEqual(templateOf('code-and-template').flow.nodes);
    await flushPromises();
  });
});
