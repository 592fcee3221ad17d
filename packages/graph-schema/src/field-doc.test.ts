import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './default-registry';
import { field, readFieldDoc } from './field-doc';
import { locales } from './localized';

const registry = createDefaultRegistry();

/** Every property of a config's JSON Schema, as `type.key`, with what is documented of it. */
function configKeys() {
  return registry.list().flatMap((nodeType) => {
    const json = z.toJSONSchema(nodeType.configSchema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
    return Object.entries(json.properties ?? {}).map(([key, property]) => ({ name: `${nodeType.type}.${key}`, doc: readFieldDoc(property) }));
  });
}

describe('config field documentation', () => {
  it('labels and explains every config key of every registered node type in every language', () => {
    const keys = configKeys();
    expect(keys.length).toBeGreaterThan(100);
    const undocumented = keys.filter((key) => !key.doc).map((key) => key.name);
    expect(undocumented).toEqual([]);
    for (const { name, doc } of keys) {
      for (const locale of locales) {
        // A one-line help: a sentence, not a paragraph.
        expect(doc?.help[locale].includes('\n'), `${name} (${locale})`).toBe(false);
        expect(doc?.label[locale].length, `${name} (${locale})`).toBeLessThanOrEqual(30);
      }
    }
  });

  it('gives each of a type\'s keys its own label', () => {
    for (const nodeType of registry.list()) {
      const json = z.toJSONSchema(nodeType.configSchema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
      const labels = Object.values(json.properties ?? {}).map((property) => readFieldDoc(property)?.label.en);
      expect(new Set(labels).size, nodeType.type).toBe(labels.length);
    }
  });

  it('is read back only when both languages are there', () => {
    const documentedSchema = field(z.number().default(1), ['Size', '大小'], ['How big.', '多大。'], { group: 'execution' });
    const json = z.toJSONSchema(z.object({ size: documentedSchema }), { io: 'input' }) as { properties: Record<string, Record<string, unknown>> };
    const property = json.properties.size;
    expect(property).toMatchObject({ title: 'Size', description: 'How big.', default: 1 });
    expect(readFieldDoc(property)).toEqual({ label: { en: 'Size', 'zh-CN': '大小' }, help: { en: 'How big.', 'zh-CN': '多大。' }, group: 'execution' });
    expect(readFieldDoc({ ...property, label: { en: 'Size', 'zh-CN': ' ' } })).toBeUndefined();
    // Metadata never changes what a schema accepts.
    expect(documentedSchema.parse(undefined)).toBe(1);
  });
});
