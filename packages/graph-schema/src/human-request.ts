// What a human step's interrupt carries (the `payload` of an `interrupt` event of kind `human`):
// written by the runtime's agent.human executor, read by the runtime's thread state, the server's
// task store (which makes a task of it) and the CLI (which prints what is asked). It lives beside
// the run events, not in the runtime, because the browser reads events too. Its form is the one a
// BPMN user task declares (`formFields`), so a person answers an agent step and a process task
// through the same kind of form.
import { z } from 'zod';
import { channelNameSchema } from './flow-document';

export const formFieldTypes = ['string', 'number', 'boolean', 'date', 'enum'] as const;

/** One field of a human task's form; its value is written to the variable (channel) named `key`. */
export const formFieldSchema = z.strictObject({
  key: channelNameSchema,
  label: z.string().min(1),
  type: z.enum(formFieldTypes),
  required: z.boolean().default(false),
  /** The choices of an `enum` field. */
  options: z.array(z.strictObject({ value: z.string(), label: z.string() })).optional(),
});

export type FormField = z.output<typeof formFieldSchema>;

export const humanRequestSchema = z.object({
  kind: z.literal('human'),
  nodeId: z.string(),
  /** The question, its `{{channel}}` placeholders filled. */
  prompt: z.string(),
  /** The JSON Schema (an object schema) the answer must satisfy. */
  schema: z.record(z.string(), z.unknown()),
  /**
   * The form to show for the answer. Absent from requests written before forms existed; a
   * property of the schema no form field can hold (an object, a list) has no field, and is
   * answered as part of the JSON the schema describes.
   */
  fields: z.array(formFieldSchema).default([]),
  assignee: z.string().optional(),
  candidateGroups: z.array(z.string()).default([]),
  /** Why the previous answer was refused, when it was. */
  rejected: z.string().optional(),
});

export type HumanRequest = z.infer<typeof humanRequestSchema>;

/** The human request an interrupt's payload holds, or undefined when it holds none (a breakpoint, another kind of pause). */
export function readHumanRequest(payload: unknown): HumanRequest | undefined {
  const parsed = humanRequestSchema.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The form field of one property of an answer schema, or undefined when no field can hold it. */
function fieldOfProperty(key: string, property: Record<string, unknown>, required: boolean): FormField | undefined {
  const label = typeof property.title === 'string' && property.title.trim() !== '' ? property.title : key;
  const base = { key, label, required };
  const choices = Array.isArray(property.enum) ? property.enum : undefined;
  if (choices && choices.length > 0 && choices.every((choice) => typeof choice === 'string')) {
    return { ...base, type: 'enum', options: choices.map((choice) => ({ value: choice, label: choice })) };
  }
  switch (property.type) {
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'number':
    case 'integer':
      return { ...base, type: 'number' };
    case 'string':
      return { ...base, type: property.format === 'date' ? 'date' : 'string' };
    default:
      return undefined;
  }
}

/**
 * The form of an answer schema (an agent.human step's `schema`): one field per property a form
 * can hold, labelled by the property's `title` or else its name, in the schema's order.
 */
export function formFieldsOfSchema(schema: unknown): FormField[] {
  if (!isRecord(schema) || !isRecord(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(schema.properties).flatMap(([key, property]) => {
    if (!isRecord(property) || !channelNameSchema.safeParse(key).success) return [];
    const field = fieldOfProperty(key, property, required.has(key));
    return field ? [field] : [];
  });
}

/** The JSON Schema of one form field's value; `formFieldsOfSchema` reads it back as the same field. */
function propertyOfField(field: FormField): Record<string, unknown> {
  const title = { title: field.label };
  switch (field.type) {
    case 'string':
      return { type: 'string', ...title };
    case 'number':
      return { type: 'number', ...title };
    case 'boolean':
      return { type: 'boolean', ...title };
    case 'date':
      // Ajv here knows no formats, so the pattern is what checks the value.
      return { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', ...title };
    case 'enum':
      return { type: 'string', enum: (field.options ?? []).map((option) => option.value), ...title };
  }
}

/**
 * The answer schema of a form (a BPMN user task's `formFields`): an object with one property per
 * field, typed and required as the field says. Other keys are allowed: completing a task may set
 * further process variables, as in Camunda.
 */
export function answerSchemaOfFormFields(fields: readonly FormField[]): Record<string, unknown> {
  const required = fields.filter((field) => field.required).map((field) => field.key);
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map((field) => [field.key, propertyOfField(field)])),
    ...(required.length > 0 ? { required } : {}),
  };
}
