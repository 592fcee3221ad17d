import { retryDelayMs } from '@loomflow/graph-schema';
import { fetch, type Dispatcher, type RequestInit, type Response } from 'undici';
import { DETERMINISTIC, messageWithCauses, NodeExecutionError } from '../errors';
import type { Executor, RuntimeServices } from './executor';
import { guardedDispatcher, refusalIn } from './network-guard';
import { pause } from './pause';
import { renderTemplate } from './template';

interface HttpConfig {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  output: string;
  timeoutMs: number;
  retries: number;
  allowHosts: string[];
}

const MAX_REDIRECTS = 5;

/** The URL as messages and events show it: its user info could only be credentials. */
export function shownUrl(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  return bare.href.replace('//', '//***@');
}

/**
 * Redirects are followed by hand, so that every hop is a new request through the guarded
 * dispatcher and the hop count is ours: a public URL must not bounce a request to a private one.
 */
async function fetchChecked(nodeId: string, init: RequestInit, url: URL, dispatcher: Dispatcher): Promise<Response> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') {
      throw new NodeExecutionError(nodeId, 'http.url', `only http and https URLs can be requested, not ${current.protocol}`, DETERMINISTIC);
    }
    // fetch refuses them too, quoting the whole URL; said here, without the password.
    if (current.username !== '' || current.password !== '') {
      throw new NodeExecutionError(nodeId, 'http.url', `${shownUrl(current)} has a user name or password in it, which is not sent; put credentials in an Authorization header`, DETERMINISTIC);
    }
    let response: Response;
    try {
      response = await fetch(current, { ...init, redirect: 'manual', dispatcher });
    } catch (error) {
      const refusal = refusalIn(error);
      throw refusal ? new NodeExecutionError(nodeId, 'http.blocked', refusal.message, DETERMINISTIC) : error;
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return response;
    await response.body?.cancel();
    current = new URL(location, current);
  }
  throw new NodeExecutionError(nodeId, 'http.redirects', `more than ${MAX_REDIRECTS} redirects`);
}

/** Reads at most `limit` bytes of the body: a flow must not be able to fill the host's memory. */
async function readBody(response: Response, limit: number, nodeId: string): Promise<unknown> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    // Leaving the loop cancels the stream, so the rest is never downloaded.
    if (size > limit) throw new NodeExecutionError(nodeId, 'http.too_large', `the response of ${response.url} is larger than the limit of ${limit} bytes`);
    chunks.push(chunk);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  if (!(response.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** What went wrong, for people: undici's "fetch failed" says why only in its cause. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return messageWithCauses(error);
}

const isRetryable = (status: number) => status === 408 || status === 429 || status >= 500;

/** Requests retry sooner than nodes do: `retries` counts quick repeats of one request. */
const HTTP_RETRY_BACKOFF = { initialIntervalMs: 250, backoffFactor: 2 } as const;
const HTTP_MAX_RETRY_INTERVAL_MS = 5000;

export interface HttpExchange {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export interface GuardedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
  readonly timeoutMs: number;
  /** Hosts that may resolve to private or loopback addresses. */
  readonly allowHosts: readonly string[];
  /** The run's: a run that stops (cancelled, out of time, over a limit) abandons its request. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * One request, through a dispatcher of its own that connects only to checked addresses, its
 * body read within the host's limit. Redirects and refusals fail as NodeExecutionError; a
 * connection that fails or times out throws what undici threw (see describeFailure).
 */
export async function requestOnce(nodeId: string, services: RuntimeServices, request: GuardedRequest): Promise<HttpExchange> {
  const dispatcher = guardedDispatcher(services.lookupHost, [...request.allowHosts]);
  try {
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const init = { method: request.method, headers: { ...request.headers }, body: request.body, signal };
    const response = await fetchChecked(nodeId, init, request.url, dispatcher);
    return { status: response.status, headers: Object.fromEntries(response.headers), body: await readBody(response, services.maxResponseBytes, nodeId) };
  } catch (error) {
    if (error instanceof NodeExecutionError) throw error;
    throw new Error(describeFailure(error, request.timeoutMs), { cause: error });
  } finally {
    // Its connections must not outlive the request.
    await dispatcher.destroy();
  }
}

export const runHttp: Executor = async ({ node, state, services, fromOutside, config: { signal } }) => {
  const config = node.config as unknown as HttpConfig;
  let url: URL;
  try {
    url = new URL(renderTemplate(config.url, state, node.id));
  } catch (error) {
    if (error instanceof NodeExecutionError) throw error;
    throw new NodeExecutionError(node.id, 'http.url', `"${config.url}" is not a valid URL`, DETERMINISTIC);
  }
  const headers = Object.fromEntries(Object.entries(config.headers).map(([name, value]) => [name, renderTemplate(value, state, node.id)]));
  const body = config.body === undefined ? undefined : renderTemplate(config.body, state, node.id);

  let lastProblem = '';
  for (let attempt = 0; attempt <= config.retries; attempt += 1) {
    if (attempt > 0) await pause(retryDelayMs(HTTP_RETRY_BACKOFF, attempt, HTTP_MAX_RETRY_INTERVAL_MS), signal);
    try {
      const request = { method: config.method, url, headers, body, timeoutMs: config.timeoutMs, allowHosts: config.allowHosts, signal };
      const result = await fromOutside('http', { method: config.method, url: shownUrl(url), headers, body: body ?? null }, () => requestOnce(node.id, services, request));
      if (isRetryable(result.status) && attempt < config.retries) {
        lastProblem = `HTTP ${result.status}`;
        continue;
      }
      return { update: { [config.output]: result } };
    } catch (error) {
      if (error instanceof NodeExecutionError || signal?.aborted) throw error;
      lastProblem = error instanceof Error ? error.message : String(error);
    }
  }
  throw new NodeExecutionError(node.id, 'http.failed', `${config.method} ${shownUrl(url)} failed after ${config.retries + 1} attempt(s): ${lastProblem}`);
};
