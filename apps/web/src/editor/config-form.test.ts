import { createDefaultRegistry } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { expressionKindsOf } from '../features/properties/editors/expression-keys';
import { configFieldsOf, parseJsonField, withConfigValue } from './config-form';

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
    expect(llm.get('model')).toMatchObject({ widget: 'json' });
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
    expect(richFieldsOf('bpmn.sendTask')).toEqual({ payload: 'feel' });
    expect(richFieldsOf('bpmn.receiveTask')).toEqual({ correlationKey: 'feel' });
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
