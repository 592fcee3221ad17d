// Every route validates its input with zod through this wrapper, so a refused request always
// answers 400 `invalid_request` naming the paths that failed, in the API's one error shape.
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import { apiError } from './errors';

export interface InvalidField {
  readonly path: string;
  readonly message: string;
}

const TARGET_NAMES: Partial<Record<keyof ValidationTargets, string>> = { json: 'request body', query: 'query string', param: 'URL' };

export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(target: Target, schema: Schema) {
  return zValidator(target, schema, (result, c) => {
    if (result.success) return undefined;
    const fields: InvalidField[] = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(root)',
      message: issue.message,
    }));
    const summary = fields
      .slice(0, 3)
      .map((field) => `${field.path}: ${field.message}`)
      .join('; ');
    return apiError(c, 400, 'invalid_request', `The ${TARGET_NAMES[target] ?? target} is invalid: ${summary}.`, { issues: fields });
  });
}
