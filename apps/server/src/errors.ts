// Every /api error has one JSON shape (DESIGN.md §6), so clients need one error handler.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface ApiErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details: unknown;
  };
}

export function apiErrorBody(code: string, message: string, details: unknown = null): ApiErrorBody {
  return { error: { code, message, details } };
}

/** Generic in the status so that hono/client can tell error responses from successes by status. */
export function apiError<Status extends ContentfulStatusCode>(c: Context, status: Status, code: string, message: string, details: unknown = null) {
  return c.json(apiErrorBody(code, message, details), status);
}
