// The run panel's input form, generated from the flow's state: one field per input channel
// (`state.input`, or else every channel without a default, which a run must be given), a field
// kind by channel type, and the form's values read back into the run's input object.
import type { Channel, FlowDocument } from '@loomflow/graph-schema';
import { parseJsonText, type JsonSyntaxProblem } from '../../editor/json-text';

export type InputFieldKind = 'text' | 'number' | 'boolean' | 'json';

export interface InputField {
  readonly name: string;
  readonly kind: InputFieldKind;
  readonly description?: string;
}

/** A field's value as a form holds it: text (also JSON, dates, choices), a number or nothing, a switch. */
export type FormValue = string | number | boolean | undefined;

export type InputDraft = Record<string, FormValue>;

export type InputProblem = { readonly kind: 'syntax'; readonly problem: JsonSyntaxProblem } | { readonly kind: 'notAnObject' };

export type ReadInput = { readonly ok: true; readonly input: Record<string, unknown> } | { readonly ok: false; readonly problems: Readonly<Record<string, InputProblem>> };

function kindOf(channel: Channel): InputFieldKind {
  switch (channel.type) {
    case 'string':
      return 'text';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'json';
  }
}

export function inputChannelsOf(flow: FlowDocument): Channel[] {
  const { channels, input } = flow.state;
  if (input) return input.flatMap((name) => channels.filter((channel) => channel.name === name));
  return channels.filter((channel) => channel.default === undefined);
}

export function runInputFields(flow: FlowDocument): InputField[] {
  return inputChannelsOf(flow).map((channel) => ({
    name: channel.name,
    kind: kindOf(channel),
    ...(channel.description ? { description: channel.description } : {}),
  }));
}

/** The form's starting values: each channel's default, so that running at once runs as the flow would. */
export function initialDraft(flow: FlowDocument): InputDraft {
  return Object.fromEntries(inputChannelsOf(flow).map((channel) => [channel.name, draftValue(kindOf(channel), channel.default)]));
}

/** A value as its field holds it; a value of the wrong type for the field shows as the field's empty value. */
function draftValue(kind: InputFieldKind, value: unknown): FormValue {
  switch (kind) {
    case 'text':
      return typeof value === 'string' ? value : '';
    case 'number':
      return typeof value === 'number' ? value : undefined;
    case 'boolean':
      return value === true;
    case 'json':
      return value === undefined ? '' : JSON.stringify(value, null, 2);
  }
}

/** The run's input from the form: an empty number or JSON field is left out (the channel's default applies). */
export function readRunInput(fields: readonly InputField[], draft: InputDraft): ReadInput {
  const input: Record<string, unknown> = {};
  const problems: Record<string, InputProblem> = {};
  for (const field of fields) {
    const value = draft[field.name];
    if (field.kind !== 'json') {
      if (value !== undefined) input[field.name] = value;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') continue;
    const parsed = parseJsonText(text);
    if (parsed.ok) input[field.name] = parsed.value;
    else problems[field.name] = { kind: 'syntax', problem: parsed.problem };
  }
  return Object.keys(problems).length === 0 ? { ok: true, input } : { ok: false, problems };
}

/** The raw JSON box's content: the whole input as one object. */
export function readRawInput(text: string): ReadInput {
  const parsed = parseJsonText(text.trim() === '' ? '{}' : text);
  if (!parsed.ok) return { ok: false, problems: { raw: { kind: 'syntax', problem: parsed.problem } } };
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problems: { raw: { kind: 'notAnObject' } } };
  return { ok: true, input: value as Record<string, unknown> };
}

/** The form's values for an input object (switching back from the raw JSON box); other keys are dropped. */
export function draftOfInput(fields: readonly InputField[], input: Record<string, unknown>): InputDraft {
  return Object.fromEntries(fields.map((field) => [field.name, draftValue(field.kind, input[field.name])]));
}
