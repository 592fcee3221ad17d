// The properties form of a node is generated from its type's zod config schema
// (docs/flow-document.md § Node types), through zod's JSON Schema export: one field per top-level
// config key, with the widget its schema calls for, and free JSON for anything richer (objects,
// arrays, unions).
import { z } from 'zod';

interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
}

interface FieldBase {
  readonly key: string;
  readonly required: boolean;
  /** What the runtime uses when the key is absent. */
  readonly defaultValue: unknown;
}

export type ConfigField =
  | (FieldBase & { readonly widget: 'text'; readonly multiline: boolean; readonly code: boolean })
  | (FieldBase & { readonly widget: 'select'; readonly options: readonly string[] })
  | (FieldBase & { readonly widget: 'number'; readonly integer: boolean; readonly min?: number; readonly max?: number })
  | (FieldBase & { readonly widget: 'switch' })
  | (FieldBase & { readonly widget: 'constant'; readonly value: unknown })
  | (FieldBase & { readonly widget: 'json' });

/** Keys whose text is source code: a monospace editor that keeps indentation. */
const CODE_KEYS = new Set(['source', 'code', 'script']);
/** Keys whose text is prose or a template, usually several lines long. */
const LONG_TEXT = /prompt|template|documentation|body|description|instructions|^text$/i;

export function configFieldsOf(schema: z.ZodType): ConfigField[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([key, property]) => fieldOf(key, property, required.has(key)));
}

function fieldOf(key: string, property: JsonSchema, required: boolean): ConfigField {
  const base = { key, required, defaultValue: property.default };
  if (property.const !== undefined) return { ...base, widget: 'constant', value: property.const };
  if (property.enum && property.enum.every((option) => typeof option === 'string')) {
    return { ...base, widget: 'select', options: property.enum as string[] };
  }
  switch (property.type) {
    case 'string': {
      const code = CODE_KEYS.has(key);
      return { ...base, widget: 'text', code, multiline: code || LONG_TEXT.test(key) };
    }
    case 'integer':
    case 'number':
      return {
        ...base,
        widget: 'number',
        integer: property.type === 'integer',
        ...(property.minimum !== undefined ? { min: property.minimum } : property.exclusiveMinimum !== undefined ? { min: property.exclusiveMinimum + (property.type === 'integer' ? 1 : 0) } : {}),
        ...(property.maximum !== undefined && Number.isSafeInteger(property.maximum) ? { max: property.maximum } : {}),
      };
    case 'boolean':
      return { ...base, widget: 'switch' };
    default:
      return { ...base, widget: 'json' };
  }
}

/** The config with one key set; `undefined` removes the key, so the type's default applies again. */
export function withConfigValue(config: Readonly<Record<string, unknown>>, key: string, value: unknown): Record<string, unknown> {
  const others = Object.fromEntries(Object.entries(config).filter(([existing]) => existing !== key));
  return value === undefined ? others : { ...others, [key]: value };
}

/** Free JSON typed into a field: the value, or the parser's complaint. */
export function parseJsonField(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
