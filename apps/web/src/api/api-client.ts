// The server's routes, typed by its exported AppType: a route or body shape that changes on the
// server fails the web app's type check instead of a request at run time.
import type { AppType } from '@loomflow/server/app';
import { hc } from 'hono/client';

export type ApiClient = ReturnType<typeof hc<AppType>>;

/** Where the reader's API token is kept, when the server asks for one (LOOMFLOW_API_TOKEN). */
export const API_TOKEN_STORAGE_KEY = 'loomflow.apiToken';

export interface ApiClientOptions {
  /** The server's origin; the web app is served by the server itself, so the page's origin. */
  readonly baseUrl: string;
  /** Read on every request, so that a token entered after a 401 is used at once. */
  readonly token?: () => string | null;
  /**
   * Called when the server answers 401 (it was started with LOOMFLOW_API_TOKEN): answers true
   * once a new token is in place, and the request is sent again once with it.
   */
  readonly onUnauthorized?: () => Promise<boolean>;
  readonly fetch?: typeof fetch;
  /** A GET already sent for this URL before the app started (early-load.ts), answered in place of a new one. */
  readonly early?: (url: string) => Promise<Response> | undefined;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const authorization = (): Record<string, string> => {
    const token = options.token?.();
    return token ? { Authorization: `Bearer ${token}` } : {};
  };
  return hc<AppType>(options.baseUrl, {
    fetch: async (input: RequestInfo | URL, given?: RequestInit) => {
      const init = withJsonContentType(given);
      const early = (init?.method ?? 'GET').toUpperCase() === 'GET' ? options.early?.(input instanceof Request ? input.url : String(input)) : undefined;
      const response = await (early ?? send(input, init));
      if (response.status !== 401 || !options.onUnauthorized || !(await options.onUnauthorized())) return response;
      return send(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), ...authorization() } });
    },
    headers: authorization,
  });
}

/**
 * The server refuses a POST, PUT or PATCH that does not declare a JSON body, even an empty one
 * (so that no other site's form can make one); hono/client sets the header only with a body.
 */
function withJsonContentType(init: RequestInit | undefined): RequestInit | undefined {
  const method = (init?.method ?? 'GET').toUpperCase();
  if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH') return init;
  const headers = new Headers(init?.headers);
  if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  return { ...init, headers };
}

/** Every /api error has this body (the server's ApiErrorBody). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Turns a failed response into an ApiError, keeping the server's code and message when it sent one. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    if (body.error && typeof body.error.code === 'string' && typeof body.error.message === 'string') {
      return new ApiError(response.status, body.error.code, body.error.message, body.error.details ?? null);
    }
  } catch {
    // Not JSON (a proxy's error page): the status line below says what happened.
  }
  return new ApiError(response.status, 'http_error', `${response.status} ${response.statusText || 'request failed'}`.trim(), text.slice(0, 200));
}
