import { createDefaultRegistry } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { expressionKindsOf } from '../features/properties/editors/expression-keys';
import { configFieldsOf, newListItem, objectValueOf, parseJsonField, variantOf, withConfigValue, withListItem, withVariant } from './config-form';

const registry = createDefaultRegistry();
function fieldsOf(type: string) {
  const nodeType = registry.get(type);
  if (!nodeType) throw new Error(`no node type ${type}`);
  return new Map(configFieldsOf(nodeType.configSchema).map((field) => [field.key, field]));
}

describe('configFieldsOf', () => {
  it('chooses a widget per config key from the zod schema', () => {
    const llm = fieldsOf('agent.llm');
    expect(llm.get('join')).toMatchObject({ widget: 'select', options: ['any', 'all'], defaultValue: 'any' });
    expect(llm.get('prompt')).toMatchObject({ widget: 'text', multiline: true, code: false });
    expect(llm.get('output')).toMatchObject({ widget: 'text', multiline: false });
    expect(llm.get('stream')).toMatchObject({ widget: 'switch', defaultValue: true });
    expect(llm.get('nodeTimeoutMs')).toMatchObject({ widget: 'number', integer: true, min: 1, max: 3_600_000 });
    expect(llm.get('model')).toMatchObject({ widget: 'model', discriminator: 'provider' });
    expect(llm.get('responseSchema')).toMatchObject({ widget: 'schema' });
    expect(llm.get('onError')).toMatchObject({ widget: 'toggle', on: 'route', off: 'fail', defaultValue: 'fail' });
    expect(llm.get('retry')).toMatchObject({ widget: 'object', fields: [{ key: 'maxAttempts', widget: 'number', min: 1, max: 10 }, { key: 'initialIntervalMs' }, { key: 'backoffFactor' }] });
  });

  it('carries the registry\'s label and help of each key in both languages', () => {
    expect(fieldsOf('agent.llm').get('nodeTimeoutMs')?.doc).toMatchObject({ label: { en: 'Step timeout (ms)', 'zh-CN': '步骤超时（毫秒）' }, group: 'execution' });
  });

  it('makes lists of kinds, nested objects, name maps, text lists and pickers of what a key names', () => {
    const tools = fieldsOf('agent.tools').get('tools');
    expect(tools).toMatchObject({ widget: 'list', item: { widget: 'union', discriminator: 'kind' } });
    const kinds = tools?.widget === 'list' && tools.item.widget === 'union' ? tools.item.variants : [];
    expect(kinds.map((variant) => variant.value)).toEqual(['http', 'code', 'mcp', 'flow']);
    expect(kinds[0]?.fields.find((child) => child.key === 'headers')).toMatchObject({ widget: 'map' });
    expect(kinds[3]?.fields.find((child) => child.key === 'flowId')).toMatchObject({ widget: 'reference', refersTo: 'flow' });
    expect(fieldsOf('agent.tools').get('approveTools')).toMatchObject({ widget: 'strings' });
    expect(fieldsOf('agent.subflow').get('flowId')).toMatchObject({ widget: 'reference', refersTo: 'flow' });
    expect(fieldsOf('bpmn.callActivity').get('calledElement')).toMatchObject({ widget: 'reference', refersTo: 'flow' });
    expect(fieldsOf('agent.map').get('node')).toMatchObject({ widget: 'reference', refersTo: 'node' });
    expect(fieldsOf('bpmn.boundaryEvent').get('attachedTo')).toMatchObject({ widget: 'reference', refersTo: 'node' });
    expect(fieldsOf('bpmn.task').get('loop')).toMatchObject({ widget: 'union', discriminator: 'type', required: false });
  });

  it('gives code a code editor and marks required keys', () => {
    const code = fieldsOf('agent.code');
    expect(code.get('source')).toMatchObject({ widget: 'text', code: true, multiline: true, required: true });
    expect(code.get('language')).toMatchObject({ widget: 'constant', value: 'javascript' });
  });

  it('has a field for every config key of every registered type', () => {
    for (const nodeType of registry.list()) {
      expect(() => configFieldsOf(nodeType.configSchema), nodeType.type).not.toThrow();
    }
  });
});

describe('rich widgets', () => {
  function richFieldsOf(type: string, config: Record<string, unknown> = {}) {
    const nodeType = registry.get(type);
    if (!nodeType) throw new Error(`no node type ${type}`);
    const fields = configFieldsOf(nodeType.configSchema, expressionKindsOf(nodeType, config));
    return Object.fromEntries(fields.filter((field) => ['template', 'feel', 'schema', 'form-fields'].includes(field.widget)).map((field) => [field.key, field.widget]));
  }

  it('finds templates and FEEL through what the node type reads, and schemas and forms by their shape', () => {
    expect(richFieldsOf('agent.llm')).toEqual({ systemPrompt: 'template', prompt: 'template', responseSchema: 'schema' });
    expect(richFieldsOf('agent.human')).toEqual({ prompt: 'template', schema: 'schema' });
    expect(richFieldsOf('agent.http')).toEqual({ url: 'template', body: 'template' });
    expect(richFieldsOf('agent.map')).toEqual({ items: 'feel' });
    expect(richFieldsOf('bpmn.userTask')).toEqual({ formFields: 'form-fields' });
    // Optional keys that are absent still get their editor.
    expect(richFieldsOf('bpmn.sendTask')).toEqual({ payload: 'feel', correlationKey: 'feel' });
    expect(richFieldsOf('bpmn.receiveTask')).toEqual({ correlationKey: 'feel' });
  });

  it('finds the values of a map the node type reads as FEEL or as templates', () => {
    const mapKinds = (type: string) => {
      const nodeType = registry.get(type);
      if (!nodeType) throw new Error(`no node type ${type}`);
      const fields = configFieldsOf(nodeType.configSchema, expressionKindsOf(nodeType, {}));
      return Object.fromEntries(fields.filter((field) => field.widget === 'map').map((field) => [field.key, field.widget === 'map' ? field.valueKind : undefined]));
    };
    expect(mapKinds('agent.subflow')).toEqual({ inputs: 'feel', outputs: undefined });
    expect(mapKinds('agent.http')).toEqual({ headers: 'template' });
    expect(mapKinds('bpmn.callActivity')).toMatchObject({ inputs: 'feel' });
  });

  it('follows a key whose reading depends on another: a script is FEEL only in the FEEL format', () => {
    expect(richFieldsOf('bpmn.scriptTask', { scriptFormat: 'feel', script: 'a + 1' })).toEqual({ script: 'feel' });
    expect(richFieldsOf('bpmn.scriptTask', { scriptFormat: 'javascript', script: 'a + 1' })).toEqual({});
  });

  it('keeps one-line templates on one line', () => {
    const nodeType = registry.get('agent.http');
    if (!nodeType) throw new Error('no agent.http');
    const fields = configFieldsOf(nodeType.configSchema, expressionKindsOf(nodeType, {}));
    expect(fields.find((field) => field.key === 'url')).toMatchObject({ widget: 'template', multiline: false });
    expect(fields.find((field) => field.key === 'body')).toMatchObject({ widget: 'template', multiline: true });
  });
});

describe('config values', () => {
  it('sets a key, and removes it for undefined', () => {
    expect(withConfigValue({ a: 1 }, 'b', 2)).toEqual({ a: 1, b: 2 });
    expect(withConfigValue({ a: 1, b: 2 }, 'b', undefined)).toEqual({ a: 1 });
  });

  it('parses free JSON or explains why not', () => {
    expect(parseJsonField('{"a": [1]}')).toEqual({ ok: true, value: { a: [1] } });
    expect(parseJsonField('  ')).toEqual({ ok: true, value: undefined });
    expect(parseJsonField('{a')).toMatchObject({ ok: false });
  });
});

describe('nested values', () => {
  const tools = fieldsOf('agent.tools').get('tools');
  if (tools?.widget !== 'list' || tools.item.widget !== 'union') throw new Error('agent.tools has no list of tools');
  const tool = tools.item;

  it('switches a union to another kind, keeping the keys both kinds have', () => {
    expect(withVariant(tool, { kind: 'http', name: 'rates', description: 'Rates', url: 'https://x' }, 'code')).toEqual({ kind: 'code', name: 'rates', description: 'Rates' });
    expect(variantOf(tool, { kind: 'flow' })?.value).toBe('flow');
    // Nothing chosen yet: the first kind.
    expect(variantOf(tool, undefined)?.value).toBe('http');
  });

  it('replaces and removes list items, and starts new items of a kind', () => {
    expect(withListItem(['a', 'b', 'c'], 1, 'B')).toEqual(['a', 'B', 'c']);
    expect(withListItem(['a', 'b', 'c'], 1, undefined)).toEqual(['a', 'c']);
    expect(newListItem(tool)).toEqual({ kind: 'http' });
  });

  it('edits an absent object from its default', () => {
    const retry = fieldsOf('agent.llm').get('retry');
    if (!retry) throw new Error('no retry');
    expect(objectValueOf(retry, undefined)).toEqual({ maxAttempts: 1, initialIntervalMs: 500, backoffFactor: 2 });
    expect(objectValueOf(retry, { maxAttempts: 3 })).toEqual({ maxAttempts: 3 });
  });
});
