import { createDefaultRegistry } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
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
