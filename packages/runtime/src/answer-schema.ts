import { Ajv, type ValidateFunction } from 'ajv';

// One Ajv instance with its compiled validators cached by schema text: the same human node is
// answered many times.
const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<string, ValidateFunction>();

/** Checks an answer against the JSON Schema of a human step; returns why it is refused, if it is. */
export function validateAnswer(schema: Record<string, unknown>, answer: unknown): string | undefined {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  if (validate(answer)) return undefined;
  return (validate.errors ?? []).map((error) => `${error.instancePath || 'the answer'} ${error.message ?? 'is invalid'}`).join('; ');
}
