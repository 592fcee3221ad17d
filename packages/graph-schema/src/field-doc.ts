// The label and one-line help of a config field, in every language, carried by the zod schema
// itself (`.meta()`), so the registry stays the one place a node type is described. zod copies
// metadata into `z.toJSONSchema`, which is how the properties form reads it: `title` and
// `description` hold the English text (what any JSON Schema reader shows), `label` and `help` the
// text per locale.
import type { z } from 'zod';
import { locales, type LocalizedText } from './localized';

/**
 * What a field names, when it names something held elsewhere: another stored flow, a node of the
 * same flow, a model provider, a knowledge base or an MCP server the host holds. A form offers a
 * picker of the existing ones instead of free text.
 */
export const fieldReferences = ['flow', 'node', 'knowledgeBase', 'mcpServer'] as const;
export type FieldReference = (typeof fieldReferences)[number];

export interface FieldDoc {
  readonly label: LocalizedText;
  readonly help: LocalizedText;
  /** Groups the field with others of its kind in a form (`execution`: retry, timeouts, error policy). */
  readonly group?: 'execution';
  readonly refersTo?: FieldReference;
  /** A value a form edits with its own editor rather than field by field (`model`: a provider's chat model). */
  readonly editor?: 'model';
  /** Of a choice between two values, the one a switch turned on stands for; a form shows a switch. */
  readonly switchOn?: string;
}

/** `schema` with its label and help attached; the returned schema parses exactly as `schema` does. */
export function documented<Schema extends z.ZodType>(schema: Schema, doc: FieldDoc): Schema {
  return schema.meta({ title: doc.label.en, description: doc.help.en, ...doc });
}

/** `documented` written compactly: label and help as [English, Simplified Chinese]. */
export function field<Schema extends z.ZodType>(
  schema: Schema,
  [labelEn, labelZh]: readonly [string, string],
  [helpEn, helpZh]: readonly [string, string],
  extra: Omit<FieldDoc, 'label' | 'help'> = {},
): Schema {
  return documented(schema, { label: { en: labelEn, 'zh-CN': labelZh }, help: { en: helpEn, 'zh-CN': helpZh }, ...extra });
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isLocalized = (value: unknown): value is LocalizedText =>
  isRecord(value) && locales.every((locale) => typeof value[locale] === 'string' && value[locale].trim() !== '');

/**
 * The documentation of one property of a config's JSON Schema (`z.toJSONSchema` of a config
 * schema), or undefined when it has none in every language.
 */
export function readFieldDoc(property: unknown): FieldDoc | undefined {
  if (!isRecord(property) || !isLocalized(property.label) || !isLocalized(property.help)) return undefined;
  const { label, help, group, refersTo, editor, switchOn } = property;
  return {
    label,
    help,
    ...(group === 'execution' ? { group } : {}),
    ...(typeof refersTo === 'string' && (fieldReferences as readonly string[]).includes(refersTo) ? { refersTo: refersTo as FieldReference } : {}),
    ...(editor === 'model' ? { editor } : {}),
    ...(typeof switchOn === 'string' ? { switchOn } : {}),
  };
}
