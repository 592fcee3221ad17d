// The properties form of a node is generated from its type's zod config schema
// (docs/flow-document.md § Node types), through zod's JSON Schema export: one field per top-level
// config key, with the widget its schema calls for, and free JSON for anything richer (objects,
// arrays, unions).
import { formFieldSchema } from '@loomflow/graph-schema';
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
  readonly items?: JsonSchema;
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
  | (FieldBase & { readonly widget: 'json' })
  /** Rich editors (features/properties/editors): a `{{channel}}` template, a FEEL expression, a JSON Schema of an object, a user-task form. */
  | (FieldBase & { readonly widget: 'template'; readonly multiline: boolean })
  | (FieldBase & { readonly widget: Exclude<RichWidget, 'template'> });

export type RichWidget = 'template' | 'feel' | 'schema' | 'form-fields';
/** What a node type's `references` say a text key holds (features/properties/editors/expression-keys.ts). */
export type ExpressionKind = 'template' | 'feel';

/** Keys whose text is source code: a monospace editor that keeps indentation. */
const CODE_KEYS = new Set(['source', 'code', 'script']);
/** Keys whose text is prose or a template, usually several lines long. */
const LONG_TEXT = /prompt|template|documentation|body|description|instruction|^input$|^text$/i;

/** `expressionKinds`: the text keys the node type reads as templates or FEEL, which no schema tells. */
export function configFieldsOf(schema: z.ZodType, expressionKinds: ReadonlyMap<string, ExpressionKind> = new Map()): ConfigField[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([key, property]) => {
    const base = { key, required: required.has(key), defaultValue: property.default };
    const rich = richWidgetOf(property, expressionKinds.get(key));
    if (rich === 'template') return { ...base, widget: rich, multiline: LONG_TEXT.test(key) };
    return rich ? { ...base, widget: rich } : fieldOf(base, key, property);
  });
}

/** A user-task form field as the config's JSON Schema shows it, to recognise a list of them. */
const FORM_FIELD_JSON = (() => {
  const { $schema: _dialect, ...items } = z.toJSONSchema(formFieldSchema, { io: 'input', unrepresentable: 'any' });
  return JSON.stringify(items);
})();

/** The rich editor a key calls for: by what the node type reads it as, or by the shape of its schema. */
export function richWidgetOf(property: JsonSchema, expressionKind: ExpressionKind | undefined): RichWidget | undefined {
  if (property.type === 'string' && expressionKind) return expressionKind;
  // graph-schema's `objectJsonSchema`: an object whose `type` must be "object", any other keys allowed.
  if (property.type === 'object' && property.properties?.type?.const === 'object') return 'schema';
  if (property.type === 'array' && JSON.stringify(property.items) === FORM_FIELD_JSON) return 'form-fields';
  return undefined;
}

function fieldOf(base: FieldBase, key: string, property: JsonSchema): ConfigField {
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
