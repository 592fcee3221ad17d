// Every /api error has one JSON shape (docs/http-api.md § Conventions), so clients need one error
// handler.
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

/**
 * A request the server's rules refuse (no such thread, a busy thread, an answer the step does not
 * take), thrown where the rule is decided (a store, the run manager) and answered in one place,
 * `app.onError`, so no route repeats a try/catch to translate it. The message is for the client:
 * it never holds a secret or a stack.
 */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

/** 404: what the request names does not exist. */
export class NotFoundError extends DomainError {
  override readonly name: string = 'NotFoundError';
  constructor(code: string, message: string, details: unknown = null) {
    super(404, code, message, details);
  }
}

/** 409: the request is fine but the thing it acts on is not in a state that allows it now. */
export class ConflictError extends DomainError {
  override readonly name: string = 'ConflictError';
  constructor(code: string, message: string, details: unknown = null) {
    super(409, code, message, details);
  }
}

/** 422: the request is well-formed, but what it asks cannot be done with what it names. */
export class UnprocessableError extends DomainError {
  override readonly name: string = 'UnprocessableError';
  constructor(code: string, message: string, details: unknown = null) {
    super(422, code, message, details);
  }
}
