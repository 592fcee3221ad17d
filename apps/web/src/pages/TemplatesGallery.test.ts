import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mountWithApp } from '../testing/mount-app';
import { createTestServerApi, type TestServerApi } from '../testing/server-api';
import { flowFromTemplate, flowTemplates, templateText } from './flow-templates';
import { templateTextsZhCn } from './template-texts';
import TemplatesGallery from './TemplatesGallery.vue';

const examplesDir = join(import.meta.dirname, '../../../../examples');

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
    const template = flowTemplates.find((each) => each.file === 'agent/tool-assistant.json');
    if (!template) throw new Error('no tool-assistant template');
    expect(flowFromTemplate(template, 1, 'zh-CN').name).toBe('会用工具的助手');
    expect(flowFromTemplate(template, 1, 'en').name).toBe('Tool-using assistant');
  });

  it('makes a new flow with the template content under a fresh id', () => {
    const template = flowTemplates[0];
    if (!template) throw new Error('no templates');
    const flow = flowFromTemplate(template, 1_700_000_000_000);
    expect(flow).toEqual({ ...template.flow, id: `${template.flow.id}-${(1_700_000_000_000).toString(36)}` });
    expect(flow.nodes).not.toBe(template.flow.nodes);
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

  // Opening the editor loads its chunk, which takes seconds on a loaded machine: the wait inside bounds it, not the default 5 s.
  it('"use template" stores a copy as a new flow and opens it in the editor', { timeout: 30_000 }, async () => {
    const { wrapper, router } = await mountWithApp(TemplatesGallery, { api: server.api });
    const template = flowTemplates.find((candidate) => candidate.flow.id === 'support-router');
    await wrapper.find('[data-template-id="support-router"] [data-action="use-template"]').trigger('click');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('flow-editor'), { timeout: 20_000 });
    const id = String(router.currentRoute.value.params.id);
    expect(id).toMatch(/^support-router-[a-z0-9]+$/);
    const stored = await server.api.load(id);
    expect(stored?.flow).toEqual({ ...template?.flow, id });
    await flushPromises();
  });
});
