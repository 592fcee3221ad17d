import { isIP } from 'node:net';
import { DETERMINISTIC, NodeExecutionError } from '../errors';
import type { Executor, RuntimeServices } from './executor';
import { isAllowedHost, isPrivateAddress } from './network-guard';
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

async function assertReachable(url: URL, config: HttpConfig, services: RuntimeServices, nodeId: string): Promise<void> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NodeExecutionError(nodeId, 'http.url', `only http and https URLs can be requested, not ${url.protocol}`, DETERMINISTIC);
  }
  if (isAllowedHost(url, config.allowHosts)) return;
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(hostname) ? [hostname] : await services.lookupHost(hostname);
  const blocked = addresses.find((address) => isPrivateAddress(address));
  if (blocked !== undefined || addresses.length === 0) {
    throw new NodeExecutionError(
      nodeId,
      'http.blocked',
      `${url.host} resolves to ${blocked ?? 'no address'}, a loopback or private address; add "${url.host}" to the node's allowHosts to permit it`,
      DETERMINISTIC,
    );
  }
}

/**
 * Redirects are followed by hand so that every hop passes the same address check: a public URL
 * must not bounce a request to a private one.
 */
async function fetchChecked(config: HttpConfig, services: RuntimeServices, nodeId: string, init: RequestInit, url: URL): Promise<Response> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    await assertReachable(current, config, services, nodeId);
    const response = await services.fetch(current, { ...init, redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return response;
    current = new URL(location, current);
  }
  throw new NodeExecutionError(nodeId, 'http.redirects', `more than ${MAX_REDIRECTS} redirects`);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!(response.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const isRetryable = (status: number) => status === 408 || status === 429 || status >= 500;

export const runHttp: Executor = async ({ node, state, services }) => {
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
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** (attempt - 1), 5000)));
    try {
      const response = await fetchChecked(config, services, node.id, { method: config.method, headers, body, signal: AbortSignal.timeout(config.timeoutMs) }, url);
      const result = { status: response.status, headers: Object.fromEntries(response.headers), body: await readBody(response) };
      if (isRetryable(response.status) && attempt < config.retries) {
        lastProblem = `HTTP ${response.status}`;
        continue;
      }
      return { update: { [config.output]: result } };
    } catch (error) {
      if (error instanceof NodeExecutionError) throw error;
      lastProblem = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${config.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
    }
  }
  throw new NodeExecutionError(node.id, 'http.failed', `${config.method} ${url.href} failed after ${config.retries + 1} attempt(s): ${lastProblem}`);
};
