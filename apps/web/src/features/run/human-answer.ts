// The answer to a human step, from its form: the request's fields (string, number, boolean, date,
// enum) and, for the properties of its schema no field can hold (an object, a list), one JSON box
// with those properties. The server checks the answer against the schema and says why it refuses one.
import type { FormField, HumanRequest } from '@loomflow/graph-schema';
import { parseJsonText } from '../../editor/json-text';
import type { FormValue, InputProblem } from './run-input';

export type AnswerDraft = Record<string, FormValue>;

export type ReadAnswer = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly problem: InputProblem };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The schema's properties that have no field: they are answered in the JSON box. */
export function keysWithoutField(request: HumanRequest): string[] {
  const properties = isRecord(request.schema.properties) ? Object.keys(request.schema.properties) : [];
  const withField = new Set(request.fields.map((field) => field.key));
  return properties.filter((key) => !withField.has(key));
}

function emptyValue(field: FormField): FormValue {
  switch (field.type) {
    case 'boolean':
      return false;
    case 'number':
      return undefined;
    default:
      return '';
  }
}

/** The schema's `default` of a field (set in the designer's form builder), when it fits the field's type. */
function defaultOf(request: HumanRequest, field: FormField): FormValue {
  const property = isRecord(request.schema.properties) ? request.schema.properties[field.key] : undefined;
  const value = isRecord(property) ? property.default : undefined;
  const fits = field.type === 'boolean' ? typeof value === 'boolean' : field.type === 'number' ? typeof value === 'number' : typeof value === 'string';
  return fits ? (value as FormValue) : undefined;
}

export function initialAnswerDraft(request: HumanRequest): AnswerDraft {
  return Object.fromEntries(request.fields.map((field) => [field.key, defaultOf(request, field) ?? emptyValue(field)]));
}

/**
 * The answer object. A text field is sent even when empty (it may be a required comment); an
 * empty number, date or choice is left out, so the schema names what is missing.
 */
export function readAnswer(request: HumanRequest, draft: AnswerDraft, jsonText: string): ReadAnswer {
  const value: Record<string, unknown> = {};
  if (keysWithoutField(request).length > 0 && jsonText.trim() !== '') {
    const parsed = parseJsonText(jsonText);
    if (!parsed.ok) return { ok: false, problem: { kind: 'syntax', problem: parsed.problem } };
    if (!isRecord(parsed.value)) return { ok: false, problem: { kind: 'notAnObject' } };
    Object.assign(value, parsed.value);
  }
  for (const field of request.fields) {
    const entry = draft[field.key];
    if (entry === undefined || (entry === '' && field.type !== 'string')) continue;
    value[field.key] = entry;
  }
  return { ok: true, value };
}
