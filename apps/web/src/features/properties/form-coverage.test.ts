// Every config key of every registered node type gets a labelled editor in both languages, and
// editing any field through the form gives the same document as writing the same value in the
// config's JSON (issue 13's property test).
import { createDefaultRegistry, locales, type FlowDocument, type NodeType } from '@loomflow/graph-schema';
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { configFieldsOf, newListItem, objectValueOf, variantOf, withConfigValue, withListItem, withVariant, type ConfigField } from '../../editor/config-form';
import PropertiesPanel from '../../editor/PropertiesPanel.vue';
import { expressionKindsOf } from './editors/expression-keys';
import { useFlowDocumentStore } from '../../stores/flow-document-store';
import { mountWithApp } from '../../testing/mount-app';

const registry = createDefaultRegistry();
type Path = readonly (string | number)[];
interface Edit {
  readonly path: Path;
  readonly value: unknown;
}

/**
 * The keys that were free JSON before the rich editors landed, and the editor each has now: no
 * node is configured by typing JSON (issue 13).
 */
const RICH_EDITORS = new Map([
  ['agent.llm.responseSchema', 'schema'],
  ['agent.human.schema', 'schema'],
  ['bpmn.userTask.formFields', 'form-fields'],
]);

/** The fields the panel shows for a type's stored config: with the keys its references read as templates or FEEL. */
function panelFieldsOf(nodeType: NodeType): ConfigField[] {
  return configFieldsOf(nodeType.configSchema, expressionKindsOf(nodeType, storedConfig(nodeType)));
}

/** A value of a leaf field other than the one shown, as a person would set it. */
function otherValue(field: ConfigField, current: unknown): unknown {
  const shown = current ?? field.defaultValue;
  switch (field.widget) {
    case 'number': {
      const candidate = typeof shown === 'number' ? shown + 1 : (field.min ?? 1);
      return field.max !== undefined && candidate > field.max ? (field.min ?? 0) : candidate;
    }
    case 'switch':
      return shown !== true;
    case 'toggle':
      return shown === field.on ? field.off : field.on;
    case 'select':
      return field.options.find((option) => option !== shown);
    case 'text':
    case 'template':
    case 'feel':
    case 'reference':
      return 'edited';
    case 'strings':
      return ['edited'];
    case 'map':
      return { edited: 'value' };
    default:
      return undefined;
  }
}

/** Every edit a person can make on a leaf of `field` holding `current`: where it is, what it sets. */
function leafEdits(field: ConfigField, current: unknown, path: Path): Edit[] {
  switch (field.widget) {
    case 'object': {
      const value = objectValueOf(field, current);
      return field.fields.flatMap((child) => leafEdits(child, value[child.key], [...path, child.key]));
    }
    case 'union':
    case 'model': {
      if (current === undefined && field.defaultValue === undefined) return [];
      const value = objectValueOf(field, current);
      return (variantOf(field, current)?.fields ?? []).flatMap((child) => leafEdits(child, value[child.key], [...path, child.key]));
    }
    case 'list': {
      const items = Array.isArray(current) ? current : [];
      return items.flatMap((item, index) => leafEdits(field.item, item, [...path, index]));
    }
    case 'constant':
    case 'json':
      return [];
    default: {
      const value = otherValue(field, current);
      return value === undefined ? [] : [{ path, value }];
    }
  }
}

/** The value of `field` after the form's editors commit `value` at `path` below it, as the components compose it. */
function throughForm(field: ConfigField, current: unknown, path: Path, value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (field.widget === 'list' && typeof head === 'number') {
    const items = Array.isArray(current) ? current : [];
    return withListItem(items, head, throughForm(field.item, items[head], rest, value));
  }
  if ((field.widget === 'object' || field.widget === 'union' || field.widget === 'model') && typeof head === 'string') {
    const object = objectValueOf(field, current);
    const children = field.widget === 'object' ? field.fields : (variantOf(field, current)?.fields ?? []);
    const child = children.find((candidate) => candidate.key === head);
    if (!child) throw new Error(`no field ${head}`);
    return withConfigValue(object, head, throughForm(child, object[head], rest, value));
  }
  throw new Error(`cannot go into ${field.widget} by ${String(head)}`);
}

/** The same edit written into the config's JSON by hand. */
function throughJson(config: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(config);
  let at: Record<string | number, unknown> = copy;
  path.slice(0, -1).forEach((step) => (at = at[step] as Record<string | number, unknown>));
  at[path[path.length - 1] as string | number] = value;
  return copy;
}

/** A type's config as stored after a person dropped the node: its defaults, parsed. */
function storedConfig(nodeType: NodeType): Record<string, unknown> {
  return nodeType.configSchema.parse(nodeType.defaults) as Record<string, unknown>;
}


// The panel's rich editors load on first use (editors/index.ts); load them before the tests, so no
// import is still under way when the test environment is torn down.
beforeAll(async () => {
  await Promise.all([import('./editors/TemplateEditor.vue'), import('./editors/FeelExpressionEditor.vue'), import('./editors/FormBuilder.vue')]);
});

describe('the config form of every registered node type', () => {
  it('has a labelled, explained editor for every key in both languages, and no free JSON', () => {
    const free: string[] = [];
    const rich = new Map<string, string>();
    for (const nodeType of registry.list()) {
      for (const field of panelFieldsOf(nodeType)) {
        for (const locale of locales) {
          expect(field.doc?.label[locale], `${nodeType.type}.${field.key} (${locale})`).toBeTruthy();
          expect(field.doc?.help[locale], `${nodeType.type}.${field.key} (${locale})`).toBeTruthy();
        }
        if (field.widget === 'json') free.push(`${nodeType.type}.${field.key}`);
        if (RICH_EDITORS.has(`${nodeType.type}.${field.key}`)) rich.set(`${nodeType.type}.${field.key}`, field.widget);
      }
    }
    expect(free).toEqual([]);
    expect(rich).toEqual(RICH_EDITORS);
  });

  it('gives the same document as JSON for every edit of every field, nested ones included', () => {
    let edits = 0;
    for (const nodeType of registry.list()) {
      const config = storedConfig(nodeType);
      for (const field of panelFieldsOf(nodeType)) {
        // Lists also gain an item of each kind, as their add buttons do.
        const lists = field.widget === 'list' ? (field.item.widget === 'union' ? field.item.variants.map((variant) => withVariant(field.item as never, undefined, variant.value)) : [newListItem(field.item)]) : [];
        for (const added of lists) {
          const items = Array.isArray(config[field.key]) ? (config[field.key] as unknown[]) : [];
          expect(withConfigValue(config, field.key, [...items, added]), `${nodeType.type}.${field.key} add`).toEqual(throughJson(config, [field.key, items.length], added));
        }
        for (const edit of leafEdits(field, config[field.key], [])) {
          const viaForm = withConfigValue(config, field.key, throughForm(field, config[field.key], edit.path, edit.value));
          const viaJson = throughJson(config, [field.key, ...edit.path], edit.value);
          const where = `${nodeType.type}.${[field.key, ...edit.path].join('.')}`;
          expect(viaForm, where).toEqual(viaJson);
          // And the schema reads both alike, accepting or refusing the same.
          const [form, json] = [nodeType.configSchema.safeParse(viaForm), nodeType.configSchema.safeParse(viaJson)];
          expect(form.success, where).toBe(json.success);
          if (form.success && json.success) expect(form.data, where).toEqual(json.data);
          edits += 1;
        }
      }
    }
    // Every leaf of every type, not a handful.
    expect(edits).toBeGreaterThan(200);
  });
});

describe('the properties panel', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('labels every config key of every type, in each language', async () => {
    const { wrapper, pinia, preferences } = await mountWithApp(PropertiesPanel);
    const store = useFlowDocumentStore(pinia);
    const nodes = registry.list().map((nodeType, index) => ({ id: `n${index}`, type: nodeType.type, position: { x: 0, y: index * 100 }, config: storedConfig(nodeType) }));
    const flow: FlowDocument = { schemaVersion: 1, id: 'every-type', name: 'Every type', kind: 'agent', state: { channels: [] }, nodes, edges: [] };
    store.open(flow);
    for (const [index, nodeType] of registry.list().entries()) {
      store.select({ nodeIds: [`n${index}`], edgeIds: [] });
      await nextTick();
      // Element Plus sizes autosized textareas a tick after mounting; let it before they go.
      await flushPromises();
      for (const locale of locales) {
        preferences.locale = locale;
        await nextTick();
        for (const field of panelFieldsOf(nodeType)) {
          const where = `${nodeType.type}.${field.key} (${locale})`;
          const row = wrapper.find(`[data-field-row="${field.key}"]`);
          expect(row.exists(), where).toBe(true);
          expect(row.get('.field-row__label').text(), where).toContain(field.doc?.label[locale]);
        }
      }
    }
  }, 120_000);
});
