import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDefaultRegistry } from './default-registry';
import { flowDocumentSchema, type FlowDocumentInput } from './flow-document';
import { migrateFlow, typeVersionOf } from './migrate-flow';
import { defineNodeType, type ConfigMigration } from './node-type';
import { validateFlow } from './validation/validate-flow';

/**
 * A test-only type at version 3. Version 1 stored `{ text }`, version 2 renamed it to
 * `{ greeting }`, version 3 added `punctuation`. The second step reads what the first wrote, so
 * applying them out of order fails.
 */
const calls: string[] = [];
const toV2: ConfigMigration = (config) => {
  calls.push('1→2');
  const { text, ...rest } = config;
  return { ...rest, greeting: text };
};
const toV3: ConfigMigration = (config) => {
  calls.push('2→3');
  if (typeof config.greeting !== 'string') throw new Error('2→3 ran before 1→2');
  return { ...config, punctuation: '!' };
};
const greeter = defineNodeType({
  type: 'test.greeter',
  kind: 'agent',
  category: 'test',
  version: 3,
  migrations: { 1: toV2, 2: toV3 },
  title: { en: 'Greeter', 'zh-CN': '问候' },
  description: { en: 'Test only', 'zh-CN': '仅供测试' },
  role: 'step',
  branching: 'all',
  inputs: [{ id: 'in' }],
  outputs: [{ id: 'out' }],
  configSchema: z.strictObject({ greeting: z.string(), punctuation: z.string() }),
  defaults: { greeting: 'Hello', punctuation: '!' },
});
const registry = createDefaultRegistry().register(greeter);

const at = { x: 0, y: 0 };
function flowWith(greet: Record<string, unknown>): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id: 'greeting',
    name: 'Greeting',
    kind: 'agent',
    nodes: [
      { id: 'start', type: 'agent.start', position: at },
      { id: 'greet', type: 'test.greeter', position: at, ...greet },
      { id: 'end', type: 'agent.end', position: at },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'greet' },
      { id: 'e2', source: 'greet', target: 'end' },
    ],
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

describe('node type versions', () => {
  it('default to 1, for a type and for a node without typeVersion', () => {
    expect(createDefaultRegistry().list().every((nodeType) => nodeType.version === 1)).toBe(true);
    expect(typeVersionOf({})).toBe(1);
    expect(typeVersionOf({ typeVersion: 3 })).toBe(3);
  });

  it('refuse a type whose version steps lack a migration, or whose version is not a whole number from 1', () => {
    const spec = { ...greeter, configSchema: z.object({}), defaults: {}, outputs: [] };
    expect(() => defineNodeType({ ...spec, version: 3, migrations: { 1: toV2 } })).toThrow('has no migration from version 2');
    expect(() => defineNodeType({ ...spec, version: 0 })).toThrow('whole numbers from 1');
  });
});

describe('migrateFlow', () => {
  it('applies every step in order to a node without typeVersion (version 1) and records the current version', () => {
    calls.length = 0;
    const { flow, applied } = migrateFlow(flowWith({ config: { text: 'Hi' } }), { registry });
    expect(calls).toEqual(['1→2', '2→3']);
    expect(applied).toEqual([
      { nodeId: 'greet', type: 'test.greeter', from: 1, to: 2 },
      { nodeId: 'greet', type: 'test.greeter', from: 2, to: 3 },
    ]);
    expect(flow.nodes[1]).toMatchObject({ typeVersion: 3, config: { greeting: 'Hi', punctuation: '!' } });
    expect(validateFlow(flow, { registry })).toEqual([]);
  });

  it('starts from the version a node records', () => {
    calls.length = 0;
    const { flow, applied } = migrateFlow(flowWith({ typeVersion: 2, config: { greeting: 'Hi' } }), { registry });
    expect(calls).toEqual(['2→3']);
    expect(applied).toEqual([{ nodeId: 'greet', type: 'test.greeter', from: 2, to: 3 }]);
    expect(flow.nodes[1]?.config).toEqual({ greeting: 'Hi', punctuation: '!' });
  });

  it('is pure: the given document stays as it was, and a new one comes back', () => {
    const input = deepFreeze(flowWith({ config: { text: 'Hi' } }));
    const before: unknown = JSON.parse(JSON.stringify(input));
    const { flow } = migrateFlow(input, { registry });
    expect(input).toEqual(before);
    expect(flow).not.toBe(input);
  });

  it('leaves current nodes, unknown types and too-new versions alone for the validator', () => {
    const current = flowWith({ typeVersion: 3, config: { greeting: 'Hi', punctuation: '?' } });
    expect(migrateFlow(current, { registry })).toEqual({ flow: current, applied: [] });
    const tooNew = flowWith({ typeVersion: 4, config: { salutation: 'Hi' } });
    expect(migrateFlow(tooNew, { registry })).toEqual({ flow: tooNew, applied: [] });
    const unknownType = flowWith({ config: { text: 'Hi' } });
    expect(migrateFlow(unknownType)).toEqual({ flow: unknownType, applied: [] });
    expect(migrateFlow('not a flow')).toEqual({ flow: 'not a flow', applied: [] });
  });
});

describe('typeVersion in validation and round trips', () => {
  it('reports a node whose typeVersion is newer than its type, naming the node', () => {
    const issues = validateFlow(flowWith({ typeVersion: 4, config: { salutation: 'Hi' } }), { registry });
    expect(issues.map((issue) => issue.code)).toEqual(['type-version-too-new']);
    expect(issues[0]).toMatchObject({ severity: 'error', nodeId: 'greet', path: ['nodes', 1, 'typeVersion'], params: { typeVersion: 4, version: 3 } });
    expect(issues[0]?.message).toContain('"greet"');
    const [zh] = validateFlow(flowWith({ typeVersion: 4, config: {} }), { registry, locale: 'zh-CN' });
    expect(zh?.message).toContain('"greet"');
  });

  it('judges an older node by the config its migrations produce', () => {
    expect(validateFlow(flowWith({ config: { text: 'Hi' } }), { registry })).toEqual([]);
    // The same config claimed to be current is checked as it stands.
    expect(validateFlow(flowWith({ typeVersion: 3, config: { text: 'Hi' } }), { registry }).map((issue) => issue.code)).toContain('invalid-config');
  });

  it('refuses a typeVersion that is not a whole number from 1', () => {
    expect(validateFlow(flowWith({ typeVersion: 0, config: {} }), { registry }).map((issue) => issue.code)).toContain('schema');
  });

  it('keeps typeVersion through parsing and JSON, and a migrated document needs no more migrations', () => {
    const { flow } = migrateFlow(flowWith({ config: { text: 'Hi' } }), { registry });
    const reloaded = flowDocumentSchema.parse(JSON.parse(JSON.stringify(flowDocumentSchema.parse(flow))));
    expect(reloaded.nodes[1]).toMatchObject({ typeVersion: 3, config: { greeting: 'Hi', punctuation: '!' } });
    expect(reloaded.nodes[0]?.typeVersion).toBeUndefined();
    expect(migrateFlow(reloaded, { registry }).applied).toEqual([]);
  });
});
