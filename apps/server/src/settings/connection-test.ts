// "Test connection": the cheapest authenticated call of the provider's protocol (no tokens spent),
// `GET {baseUrl}/models` for OpenAI's, `GET {baseUrl}/v1/models` with `x-api-key` and
// `anthropic-version` for Anthropic's. The result quotes the provider's status, never its body or
// an error text: providers echo part of a rejected key in their 401 messages ("Incorrect API key provided:
// sk-ab***yz"), and fetch quotes header values in its errors.
import type { ProviderCredentials } from './provider-store';
import type { ConnectionTestResult } from './schemas';

const CONNECTION_TEST_TIMEOUT_MS = 10_000;
/** A model list is a few hundred kB at most (OpenRouter's); more is not a model list. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** OpenRouter lists some 300 models; a picker offers no more than this many. */
const MAX_LISTED_MODEL_IDS = 500;
const MAX_MODEL_ID_LENGTH = 200;
/** Where each protocol lists models, the headers it takes the key in, what a wrong base URL looks like. */
const PROTOCOLS = {
  'openai-compatible': {
    path: '/models',
    headers: (apiKey: string | undefined): Record<string, string> => (apiKey === undefined ? {} : { Authorization: `Bearer ${apiKey}` }),
    name: 'OpenAI',
    baseUrlHint: "check that baseUrl ends with the API's version path, such as /v1",
  },
  anthropic: {
    path: '/v1/models',
    // The version the Anthropic client sends (@anthropic-ai/sdk); the API refuses requests without one.
    headers: (apiKey: string | undefined): Record<string, string> => ({ 'anthropic-version': '2023-06-01', ...(apiKey === undefined ? {} : { 'x-api-key': apiKey }) }),
    name: 'Anthropic',
    baseUrlHint: 'check that baseUrl is the address without /v1, such as https://api.anthropic.com',
  },
} as const;

export async function testProviderConnection(credentials: ProviderCredentials, timeoutMs = CONNECTION_TEST_TIMEOUT_MS): Promise<ConnectionTestResult> {
  const protocol = PROTOCOLS[credentials.kind];
  const url = `${credentials.baseUrl}${protocol.path}`;
  const started = performance.now();
  const result = (fields: Omit<ConnectionTestResult, 'latencyMs'>): ConnectionTestResult => ({ ...fields, latencyMs: Math.round(performance.now() - started) });
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Accept: 'application/json', ...protocol.headers(credentials.apiKey) },
      // Following a redirect would send the key on to wherever the provider points.
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    return result({ ok: false, status: null, models: null, modelIds: [], message: unreachable(url, error, signal, timeoutMs) });
  }
  const status = response.status;
  if (status >= 300 && status < 400) {
    await response.body?.cancel();
    return result({ ok: false, status, models: null, modelIds: [], message: `${url} redirects (${status}); set baseUrl to the address it redirects to.` });
  }
  if (!response.ok) {
    await response.body?.cancel();
    return result({ ok: false, status, models: null, modelIds: [], message: `${url} answered ${status}${rejectionHint(status, protocol.baseUrlHint)}.` });
  }
  let body: unknown;
  try {
    body = await readJson(response, MAX_BODY_BYTES);
  } catch {
    // Not JSON, or the deadline passed while the body was still arriving.
    if (signal.aborted) return result({ ok: false, status, models: null, modelIds: [], message: `${url} did not finish its answer within ${timeoutMs} ms.` });
  }
  const listed = modelList(body);
  if (listed === undefined) {
    return result({ ok: false, status, models: null, modelIds: [], message: `${url} answered ${status}, but not with an ${protocol.name} model list ({ "data": [...] }); ${protocol.baseUrlHint}.` });
  }
  const models = listed.length;
  return result({ ok: true, status, models, modelIds: modelIdsOf(listed), message: `Connected: ${models} model${models === 1 ? '' : 's'} available.` });
}

function rejectionHint(status: number, baseUrlHint: string): string {
  if (status === 401 || status === 403) return ': the API key was refused';
  if (status === 404) return `: no model list here; ${baseUrlHint}`;
  return '';
}

function unreachable(url: string, error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `${url} did not answer within ${timeoutMs} ms.`;
  // undici reports the socket error (ECONNREFUSED, ENOTFOUND, …) as the cause; its code names no secret.
  const cause = error instanceof Error ? error.cause : undefined;
  const code = cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  return `Cannot connect to ${url}${code ? ` (${code})` : ''}.`;
}

async function readJson(response: Response, maxBytes: number): Promise<unknown> {
  if (!response.body) return undefined;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function modelList(body: unknown): readonly unknown[] | undefined {
  if (typeof body !== 'object' || body === null || !('data' in body) || !Array.isArray(body.data)) return undefined;
  return body.data;
}

/** The ids a model picker offers: texts of a sane length, the first few hundred, sorted. */
function modelIdsOf(listed: readonly unknown[]): string[] {
  const ids = listed.flatMap((entry) =>
    typeof entry === 'object' && entry !== null && 'id' in entry && typeof entry.id === 'string' && entry.id.length > 0 && entry.id.length <= MAX_MODEL_ID_LENGTH ? [entry.id] : [],
  );
  return [...new Set(ids)].slice(0, MAX_LISTED_MODEL_IDS).sort();
}
