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

export function apiError(c: Context, status: ContentfulStatusCode, code: string, message: string, details: unknown = null) {
  return c.json(apiErrorBody(code, message, details), status);
}
