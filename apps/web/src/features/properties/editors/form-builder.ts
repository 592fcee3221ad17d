// The form builder's model: a list of field rows, read from and written back to either kind of
// value it edits — a JSON Schema of an object (an agent.human step's answer, an LLM's
// `responseSchema`) or a BPMN user task's `formFields`. Properties of a schema that no row can
// hold (objects, lists) and the keywords a row does not edit (`minimum`, `maxLength`…) are kept
// as they are, so that editing through the rows never loses what the JSON said.
import { answerSchemaOfFormFields, channelNameSchema, formFieldSchema, formFieldsOfSchema, type FormField } from '@loomflow/graph-schema';
import { z } from 'zod';

export type FieldType = FormField['type'];
export const fieldTypes: readonly FieldType[] = ['string', 'number', 'boolean', 'date', 'enum'];

export interface FieldOption {
  readonly value: string;
  readonly label: string;
}

export interface FieldRow {
  readonly key: string;
  readonly label: string;
  readonly type: FieldType;
  readonly required: boolean;
  readonly options: readonly FieldOption[];
  /** Schemas only: shown under the field. */
  readonly description: string;
  /** Schemas only: what the form starts with; undefined when none. */
  readonly defaultValue: unknown;
  /** The property this row was read from, whose other keywords are kept while the type stays. */
  readonly original?: Readonly<Record<string, unknown>> | undefined;
}

export type BuilderMode = 'schema' | 'form-fields';

/** A problem of the rows or of JSON typed in the advanced box, as a message key and its params. */
export interface BuilderProblem {
  readonly message: string;
  readonly params: Readonly<Record<string, string | number>>;
  /** What exactly is off, filled into the message's `{detail}`. */
  readonly detail?: BuilderProblem;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function rowOfFormField(field: FormField): FieldRow {
  return { key: field.key, label: field.label, type: field.type, required: field.required, options: field.options ?? [], description: '', defaultValue: undefined };
}

export function rowsOfFormFields(fields: readonly FormField[]): FieldRow[] {
  return fields.map(rowOfFormField);
}

export function formFieldsOfRows(rows: readonly FieldRow[]): FormField[] {
  return rows.map((row) => ({
    key: row.key,
    label: row.label,
    type: row.type,
    required: row.required,
    ...(row.type === 'enum' ? { options: row.options.map((option) => ({ value: option.value, label: option.label || option.value })) } : {}),
  }));
}

/** The rows of a schema's properties, and the names of those no row can hold. */
export function rowsOfSchema(schema: unknown): { rows: FieldRow[]; kept: string[] } {
  const properties = isRecord(schema) && isRecord(schema.properties) ? schema.properties : {};
  const fields = new Map(formFieldsOfSchema(schema).map((field) => [field.key, field]));
  const rows: FieldRow[] = [];
  const kept: string[] = [];
  for (const [key, property] of Object.entries(properties)) {
    const field = fields.get(key);
    if (!field || !isRecord(property)) {
      kept.push(key);
      continue;
    }
    rows.push({
      ...rowOfFormField(field),
      // A schema's label is its title; without one the row shows none rather than repeating the key.
      label: typeof property.title === 'string' ? property.title : '',
      description: typeof property.description === 'string' ? property.description : '',
      defaultValue: property.default,
      original: property,
    });
  }
  return { rows, kept };
}

/** Keywords a row writes; any other keyword of the original property is kept while the type stays. */
const ROW_KEYWORDS = ['type', 'title', 'description', 'default', 'enum', 'format', 'pattern'];

export function schemaOfRows(rows: readonly FieldRow[], previous: unknown): Record<string, unknown> {
  const before = isRecord(previous) ? previous : { type: 'object' };
  const beforeProperties = isRecord(before.properties) ? before.properties : {};
  const generated = answerSchemaOfFormFields(formFieldsOfRows(rows.map((row) => ({ ...row, label: row.label || row.key }))));
  const generatedProperties = generated.properties as Record<string, Record<string, unknown>>;
  const properties: Record<string, unknown> = {};
  for (const row of rows) {
    const { title: _title, ...property } = generatedProperties[row.key] ?? {};
    const sameType = row.original !== undefined && rowsOfSchema({ properties: { [row.key]: row.original } }).rows[0]?.type === row.type;
    const kept = sameType && row.original ? Object.fromEntries(Object.entries(row.original).filter(([keyword]) => !ROW_KEYWORDS.includes(keyword))) : {};
    // `integer` reads back as a number row; keep it while the row stays a number.
    const type = sameType && row.original?.type === 'integer' ? { type: 'integer' } : {};
    properties[row.key] = {
      ...property,
      ...kept,
      ...type,
      ...(row.label ? { title: row.label } : {}),
      ...(row.description ? { description: row.description } : {}),
      ...(row.defaultValue === undefined ? {} : { default: row.defaultValue }),
    };
  }
  const keptKeys = Object.keys(beforeProperties).filter((key) => !rows.some((row) => row.key === key) && !rowsOfSchema(before).rows.some((row) => row.key === key));
  for (const key of keptKeys) properties[key] = beforeProperties[key];
  const required = [
    ...rows.filter((row) => row.required).map((row) => row.key),
    ...(Array.isArray(before.required) ? before.required.filter((key): key is string => typeof key === 'string' && keptKeys.includes(key)) : []),
  ];
  const { properties: _properties, required: _required, ...rest } = before;
  return { ...rest, type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

function defaultFits(row: FieldRow): boolean {
  const value = row.defaultValue;
  if (value === undefined) return true;
  switch (row.type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
    case 'enum':
      return row.options.some((option) => option.value === value);
  }
}

/** What is wrong with the rows, field by field (1-based, as the list shows them). */
export function rowProblems(rows: readonly FieldRow[], mode: BuilderMode): BuilderProblem[] {
  const problems: BuilderProblem[] = [];
  const seen = new Set<string>();
  rows.forEach((row, position) => {
    const index = position + 1;
    if (row.key === '') problems.push({ message: 'keyMissing', params: { index } });
    else if (!channelNameSchema.safeParse(row.key).success) problems.push({ message: 'keyInvalid', params: { index, key: row.key } });
    else if (seen.has(row.key)) problems.push({ message: 'keyDuplicate', params: { index, key: row.key } });
    seen.add(row.key);
    if (mode === 'form-fields' && row.label.trim() === '') problems.push({ message: 'labelMissing', params: { index } });
    if (row.type === 'enum' && row.options.filter((option) => option.value !== '').length === 0) problems.push({ message: 'optionsMissing', params: { index } });
    if (!defaultFits(row)) problems.push({ message: 'defaultType', params: { index } });
  });
  return problems;
}

/** A field as a person would write one, for the messages that name the expected shape. */
export const FORM_FIELD_EXAMPLE = '{"key": "amount", "label": "Amount", "type": "number", "required": true}';
export const SCHEMA_EXAMPLE = '{"type": "object", "properties": {"approved": {"type": "boolean", "title": "Approved?"}}, "required": ["approved"]}';

const fieldList = z.array(formFieldSchema);

/** What is off in a list that is not a list of form fields, worded by field (1-based) and property. */
function formFieldsDetail(value: unknown): BuilderProblem {
  if (!Array.isArray(value)) return { message: 'notList', params: {} };
  const issue = fieldList.safeParse(value).error?.issues[0];
  const [position, property] = issue?.path ?? [];
  const index = typeof position === 'number' ? position + 1 : 1;
  if (issue?.code === 'unrecognized_keys') return { message: 'unknownProperty', params: { index, property: issue.keys.join(', ') } };
  if (typeof property !== 'string') return { message: 'notObject', params: { index } };
  const field: unknown = typeof position === 'number' ? (value as unknown[])[position] : undefined;
  if (isRecord(field) && field[property] === undefined) return { message: 'missingProperty', params: { index, property } };
  if (property === 'type') return { message: 'badType', params: { index, types: fieldTypes.join(', ') } };
  return { message: 'badProperty', params: { index, property } };
}

/**
 * Reads a value as the builder's mode expects it; a value that does not fit gets a problem that
 * shows the expected shape and says, in terms of fields, what is off (not zod's own words).
 */
export function readBuilderValue(value: unknown, mode: BuilderMode): { ok: true; rows: FieldRow[]; kept: string[] } | { ok: false; problem: BuilderProblem } {
  if (mode === 'schema') {
    // An optional schema not set yet (an LLM without structured output) is a form with no fields.
    if (value === undefined) return { ok: true, rows: [], kept: [] };
    if (!isRecord(value) || value.type !== 'object') return { ok: false, problem: { message: 'schemaShape', params: { example: SCHEMA_EXAMPLE } } };
    return { ok: true, ...rowsOfSchema(value) };
  }
  const parsed = fieldList.safeParse(value ?? []);
  if (parsed.success) return { ok: true, rows: rowsOfFormFields(parsed.data), kept: [] };
  return { ok: false, problem: { message: 'formShape', params: { example: FORM_FIELD_EXAMPLE }, detail: formFieldsDetail(value) } };
}
