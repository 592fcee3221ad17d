// The properties form of a node is generated from its type's zod config schema
// (docs/flow-document.md § Node types), through zod's JSON Schema export, which also carries the
// registry's label and help of each key (graph-schema's field-doc.ts): one field per top-level
// config key, with the widget its schema calls for; templates, FEEL expressions, JSON Schemas and
// user-task forms get their rich editors (features/properties/editors); objects, lists and
// discriminated unions become nested labelled fields, and free JSON is left for what is neither.
import { formFieldSchema, readFieldDoc, type FieldDoc, type FieldReference } from '@loomflow/graph-schema';
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
  readonly additionalProperties?: boolean | JsonSchema;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
}

interface FieldBase {
  readonly key: string;
  readonly required: boolean;
  /** What the runtime uses when the key is absent. */
  readonly defaultValue: unknown;
  /** The registry's label and help; absent only inside values the registry does not describe. */
  readonly doc?: FieldDoc;
}

/** One choice of a discriminated union: the discriminator's value and the fields beside it. */
export interface UnionVariant {
  readonly value: string;
  readonly fields: readonly ConfigField[];
}

export type ConfigField =
  | (FieldBase & { readonly widget: 'text'; readonly multiline: boolean; readonly code: boolean })
  | (FieldBase & { readonly widget: 'select'; readonly options: readonly string[] })
  | (FieldBase & { readonly widget: 'number'; readonly integer: boolean; readonly min?: number; readonly max?: number })
  | (FieldBase & { readonly widget: 'switch' })
  /** A choice of two values shown as a switch: on is `on`, off the other. */
  | (FieldBase & { readonly widget: 'toggle'; readonly on: string; readonly off: string })
  | (FieldBase & { readonly widget: 'constant'; readonly value: unknown })
  /** An object of known keys: its fields, labelled, one below the other. */
  | (FieldBase & { readonly widget: 'object'; readonly fields: readonly ConfigField[] })
  /** One of several shapes told apart by `discriminator`: a picker of the shape, then its fields. */
  | (FieldBase & { readonly widget: 'union'; readonly discriminator: string; readonly variants: readonly UnionVariant[] })
  /** A list of objects (tools, intents, assignments): one card per item, each edited by `item`. */
  | (FieldBase & { readonly widget: 'list'; readonly item: ConfigField })
  /** A list of texts (groups, hosts, tool names). */
  | (FieldBase & { readonly widget: 'strings' })
  /** Names mapped to texts (headers, inputs, outputs). */
  /** Names mapped to texts; `valueKind` when the node type reads each text as a template or FEEL. */
  | (FieldBase & { readonly widget: 'map'; readonly valueKind?: ExpressionKind })
  /** The name of something held elsewhere, picked among the existing ones, never typed. */
  | (FieldBase & { readonly widget: 'reference'; readonly refersTo: FieldReference })
  /** A node's chat model: provider from the settings, model, sampling. */
  | (FieldBase & { readonly widget: 'model'; readonly discriminator: string; readonly variants: readonly UnionVariant[] })
  /** Free JSON; `shape` is the structured field it stands for, named in its errors. */
  | (FieldBase & { readonly widget: 'json'; readonly shape?: ConfigField })
  /** Rich editors (features/properties/editors): a `{{channel}}` template, a FEEL expression, a JSON Schema of an object, a user-task form. */
  | (FieldBase & { readonly widget: 'template'; readonly multiline: boolean })
  /** `shape`: the structured field the form builder's value stands for, named in its errors. */
  | (FieldBase & { readonly widget: 'form-fields'; readonly shape?: ConfigField })
  | (FieldBase & { readonly widget: Exclude<RichWidget, 'template' | 'form-fields'> });

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
  return fieldsOfObject(json, undefined, expressionKinds);
}

/** `expressionKinds` name top-level keys only: nested values are read by what their schema says. */
function fieldsOfObject(json: JsonSchema, except?: string, expressionKinds: ReadonlyMap<string, ExpressionKind> = new Map()): ConfigField[] {
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {})
    .filter(([key]) => key !== except)
    .map(([key, property]) => fieldOf(key, property, required.has(key), expressionKinds.get(key)));
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

/** The key every choice of a union fixes to a text of its own, when there is one. */
function discriminatorOf(choices: readonly JsonSchema[]): string | undefined {
  const [first] = choices;
  if (!first?.properties) return undefined;
  return Object.keys(first.properties).find((key) => choices.every((choice) => typeof choice.properties?.[key]?.const === 'string'));
}

/** The rich editors take the keys they handle; every other key gets its structured widget. */
function fieldOf(key: string, property: JsonSchema, required: boolean, expressionKind?: ExpressionKind): ConfigField {
  const doc = readFieldDoc(property);
  const base = { key, required, defaultValue: property.default, ...(doc ? { doc } : {}) };
  const rich = richWidgetOf(property, expressionKind);
  if (rich === 'template') return { ...base, widget: rich, multiline: LONG_TEXT.test(key) };
  if (rich === 'form-fields') return { ...base, widget: rich, shape: structuredFieldOf(key, property, required, doc) };
  if (rich) return { ...base, widget: rich };
  return structuredFieldOf(key, property, required, doc, expressionKind);
}

/** `expressionKind`: how the node type reads the values of a map key. */
function structuredFieldOf(key: string, property: JsonSchema, required: boolean, doc: FieldDoc | undefined, expressionKind?: ExpressionKind): ConfigField {
  const base = { key, required, defaultValue: property.default, ...(doc ? { doc } : {}) };
  if (doc?.refersTo) return { ...base, widget: 'reference', refersTo: doc.refersTo };
  if (property.const !== undefined) return { ...base, widget: 'constant', value: property.const };
  const choices = property.oneOf ?? property.anyOf;
  if (choices) {
    const discriminator = discriminatorOf(choices);
    if (discriminator) {
      const variants = choices.map((choice) => ({ value: choice.properties?.[discriminator]?.const as string, fields: fieldsOfObject(choice, discriminator) }));
      return { ...base, widget: doc?.editor === 'model' ? 'model' : 'union', discriminator, variants };
    }
    return { ...base, widget: 'json' };
  }
  if (property.enum && property.enum.every((option) => typeof option === 'string')) {
    const options = property.enum as string[];
    const on = doc?.switchOn;
    if (on !== undefined && options.length === 2 && options.includes(on)) return { ...base, widget: 'toggle', on, off: options.find((option) => option !== on) as string };
    return { ...base, widget: 'select', options };
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
    case 'array': {
      const items = property.items;
      if (items?.type === 'string' && !items.enum) return { ...base, widget: 'strings' };
      if (items && (items.oneOf || (items.type === 'object' && items.additionalProperties === false))) {
        return { ...base, widget: 'list', item: fieldOf('item', items, true) };
      }
      return { ...base, widget: 'json' };
    }
    case 'object': {
      // Only a closed object is a fixed set of fields; an open one (a JSON Schema a flow carries) stays JSON.
      if (property.properties && property.additionalProperties === false) return { ...base, widget: 'object', fields: fieldsOfObject(property) };
      const values = property.additionalProperties;
      if (!property.properties && typeof values === 'object' && values.type === 'string') return { ...base, widget: 'map', ...(expressionKind ? { valueKind: expressionKind } : {}) };
      return { ...base, widget: 'json' };
    }
    default:
      return { ...base, widget: 'json' };
  }
}

/** The config with one key set; `undefined` removes the key, so the type's default applies again. */
export function withConfigValue(config: Readonly<Record<string, unknown>>, key: string, value: unknown): Record<string, unknown> {
  const others = Object.fromEntries(Object.entries(config).filter(([existing]) => existing !== key));
  return value === undefined ? others : { ...others, [key]: value };
}

/**
 * Whether an edit leaves a value as it was. Configs are JSON, so equal JSON is the same value; an
 * editor that commits an equal copy (a row left without a change) makes no undo step.
 */
export function sameConfigValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The object a nested field edits: its value, else its default, else empty. */
export function objectValueOf(field: ConfigField, value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value;
  return isRecord(field.defaultValue) ? field.defaultValue : {};
}

/** The variant of a union value; the first when its discriminator names none. */
export function variantOf(field: ConfigField & { readonly variants: readonly UnionVariant[]; readonly discriminator: string }, value: unknown): UnionVariant | undefined {
  const chosen = objectValueOf(field, value)[field.discriminator];
  return field.variants.find((variant) => variant.value === chosen) ?? field.variants[0];
}

/**
 * A union value switched to another variant: the discriminator, and the keys the new variant
 * shares with the old one (a tool keeps its name and description when it changes kind).
 */
export function withVariant(field: ConfigField & { readonly variants: readonly UnionVariant[]; readonly discriminator: string }, value: unknown, chosen: string): Record<string, unknown> {
  const variant = field.variants.find((candidate) => candidate.value === chosen);
  const keys = new Set(variant?.fields.map((child) => child.key));
  const kept = Object.entries(objectValueOf(field, value)).filter(([key]) => keys.has(key));
  return { [field.discriminator]: chosen, ...Object.fromEntries(kept) };
}

/** A list with item `index` replaced, or removed for `undefined`. */
export function withListItem(list: readonly unknown[], index: number, item: unknown): unknown[] {
  return item === undefined ? list.filter((_, at) => at !== index) : list.map((existing, at) => (at === index ? item : existing));
}

/** A new item of a list: the first variant of a union with its discriminator set, an empty object else. */
export function newListItem(item: ConfigField): Record<string, unknown> {
  if (item.widget === 'union') return { [item.discriminator]: item.variants[0]?.value };
  return {};
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
