// HTTP written out as code: the HTTP node (agent.http), HTTP service tasks and the HTTP tools a
// model calls. Each request goes through `src/http.ts`, a module of the project's own carrying
// the runtime's network guard (executors/network-guard.ts, http.ts): only public addresses unless
// the node's allowHosts names the host, checked on the very addresses the socket connects to,
// redirects followed by hand, the response read up to a size limit. Without it, exported code
// would reach the machine it runs on and its private network, which the flow could not.
import type { ToolConfig } from '@loomflow/graph-schema';
import type { GeneratorContext, NodeGenerator } from './generator-context';

const literal = (value: unknown) => JSON.stringify(value);

/** A service task draws no time limit of its own (the runtime's SERVICE_HTTP_TIMEOUT_MS). */
const SERVICE_HTTP_TIMEOUT_MS = 30_000;

const HTTP_MODULE = `// HTTP requests of the flow, with the guard Loomflow puts on them: a request reaches only public
// addresses unless the node's allowHosts names the host (\`host\` or \`host:port\`). The check
// happens where a connection is opened, on the very addresses the socket is given, so an answer
// that changes between check and connect (DNS rebinding) cannot steer it; redirects are followed
// by hand, each hop checked again; a response larger than the limit stops the download.
import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector, fetch, type Dispatcher, type RequestInit, type Response } from 'undici';

/** Loomflow's limit on a response body; HTTP_MAX_RESPONSE_BYTES changes it. */
const maxResponseBytes = Number(process.env.HTTP_MAX_RESPONSE_BYTES || 10 * 1024 * 1024);
const MAX_REDIRECTS = 5;

// A type, not an interface, so that it is a channel's Record<string, unknown>.
export type HttpExchange = {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
};

export interface HttpRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
  readonly timeoutMs: number;
  /** Hosts that may resolve to private or loopback addresses. */
  readonly allowHosts: readonly string[];
}

// NAT64's well-known prefix and IPv4-compatible addresses carry an IPv4 address in their last 32
// bits; such an address is judged by the IPv4 address it leads to.
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');
const ipv4FromWords = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const [, high6to4 = 0, low6to4 = 0, , , , high = 0, low = 0] = address.parts;
  const range = address.range();
  if (range === '6to4') return ipv4FromWords(high6to4, low6to4);
  if (address.match(NAT64) || (range === 'unicast' && address.match(IPV4_COMPATIBLE))) return ipv4FromWords(high, low);
  return undefined;
}

/** ipaddr.js's range of an address (only \`unicast\` is public), and the IPv4 address it carries. */
export function classifyAddress(address: string): { range: string; carries?: string } | undefined {
  const version = isIP(address);
  if (version === 0) return undefined;
  const processed = ipaddr.process(address);
  const ipv4 = processed instanceof ipaddr.IPv6 ? embeddedIpv4(processed) : processed;
  return { range: (ipv4 ?? processed).range(), ...(ipv4 && version === 6 ? { carries: ipv4.toString() } : {}) };
}

const describeAddress = (address: string, found: { range: string; carries?: string }) =>
  found.carries ? \`\${address} (carries \${found.carries}: \${found.range})\` : \`\${address} (\${found.range})\`;

class AddressRefusedError extends Error {
  override readonly name = 'AddressRefusedError';
}

interface Origin {
  readonly hostname: string;
  readonly port: string;
  readonly protocol: string;
}

function hostOf(origin: Origin): string {
  const bare = origin.hostname.replace(/^\\[|\\]$/g, '').toLowerCase();
  return isIP(bare) === 6 ? \`[\${bare}]\` : bare;
}

function refuse(origin: Origin, problem: string): AddressRefusedError {
  const entry = origin.port ? \`\${hostOf(origin)}:\${origin.port}\` : hostOf(origin);
  return new AddressRefusedError(\`refused \${entry}: \${problem}; add "\${entry}" to the node's allowHosts to permit it\`);
}

/** Whether \`host\` or \`host:port\` of an allow list names the origin (IPv6 with or without brackets). */
export function isAllowedHost(origin: Origin, allowHosts: readonly string[]): boolean {
  const host = hostOf(origin);
  const port = origin.port || (origin.protocol === 'https:' ? '443' : '80');
  const names = new Set([host, host.replace(/^\\[|\\]$/g, ''), \`\${host}:\${port}\`]);
  return allowHosts.some((entry) => names.has(entry.toLowerCase()));
}

/** The socket's lookup: resolves once, refuses a host with any address that is not public (unless allowed), and connects to exactly those addresses. */
function checkedLookup(origin: Origin, checked: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const addresses = async (): Promise<LookupAddress[]> => {
      const resolved = (await lookup(hostname, { all: true })).map((entry) => entry.address);
      if (resolved.length === 0) throw new Error(\`\${hostname} resolves to no address\`);
      for (const address of resolved) {
        const found = classifyAddress(address);
        if (found === undefined) throw new Error(\`\${hostname} resolves to "\${address}", which is not an IP address\`);
        if (checked && found.range !== 'unicast') throw refuse(origin, \`it resolves to \${describeAddress(address, found)}, not a public address\`);
      }
      return resolved.map((address) => ({ address, family: isIP(address) }));
    };
    addresses().then(
      (all) => {
        const [first] = all as [LookupAddress];
        if (options.all) callback(null, all);
        else callback(null, first.address, first.family);
      },
      (error: Error) => callback(error, ''),
    );
  };
}

/** A dispatcher whose every connection passes the guard: an IP literal here, a name in the socket's lookup. */
function guardedDispatcher(allowHosts: readonly string[]): Agent {
  return new Agent({
    connect: (options, callback) => {
      const allowed = isAllowedHost(options, allowHosts);
      const literal = allowed ? undefined : classifyAddress(options.hostname);
      if (literal && literal.range !== 'unicast') {
        callback(refuse(options, \`\${describeAddress(options.hostname, literal)} is not a public address\`), null);
        return;
      }
      buildConnector({ lookup: checkedLookup(options, !allowed) })(options, callback);
    },
  });
}

/** An error that asking again cannot change: a refused address, a bad URL, too many redirects. */
export class RequestRefusedError extends Error {
  override readonly name = 'RequestRefusedError';
}

function refusalIn(error: unknown): AddressRefusedError | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof AddressRefusedError) return current;
  }
  return undefined;
}

async function fetchChecked(nodeId: string, init: RequestInit, url: URL, dispatcher: Dispatcher): Promise<Response> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') {
      throw new RequestRefusedError(\`node "\${nodeId}": only http and https URLs can be requested, not \${current.protocol}\`);
    }
    let response: Response;
    try {
      response = await fetch(current, { ...init, redirect: 'manual', dispatcher });
    } catch (error) {
      const refusal = refusalIn(error);
      throw refusal ? new RequestRefusedError(\`node "\${nodeId}": \${refusal.message}\`) : error;
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return response;
    await response.body?.cancel();
    current = new URL(location, current);
  }
  throw new RequestRefusedError(\`node "\${nodeId}": more than \${MAX_REDIRECTS} redirects\`);
}

async function readBody(response: Response, nodeId: string): Promise<unknown> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > maxResponseBytes) throw new RequestRefusedError(\`node "\${nodeId}": the response of \${response.url} is larger than the limit of \${maxResponseBytes} bytes\`);
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

function describeFailure(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return \`no answer within \${timeoutMs} ms\`;
  return error.cause instanceof Error ? \`\${error.message}: \${error.cause.message}\` : error.message;
}

/** One request through a guarded dispatcher of its own; a failed connection throws saying why. */
export async function requestOnce(nodeId: string, request: HttpRequest): Promise<HttpExchange> {
  const dispatcher = guardedDispatcher(request.allowHosts);
  try {
    const init = { method: request.method, headers: { ...request.headers }, body: request.body, signal: AbortSignal.timeout(request.timeoutMs) };
    const response = await fetchChecked(nodeId, init, request.url, dispatcher);
    return { status: response.status, headers: Object.fromEntries(response.headers), body: await readBody(response, nodeId) };
  } catch (error) {
    if (error instanceof RequestRefusedError) throw error;
    throw new Error(describeFailure(error, request.timeoutMs), { cause: error });
  } finally {
    await dispatcher.destroy();
  }
}

const isRetryable = (status: number) => status === 408 || status === 429 || status >= 500;

/** The request, repeated quickly up to \`retries\` times after a failure or a status worth asking again (408, 429, 5xx). */
export async function request(nodeId: string, request: HttpRequest, retries: number): Promise<HttpExchange> {
  let lastProblem = '';
  for (let attempt = 0; attempt <= retries; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** (attempt - 1))));
    try {
      const result = await requestOnce(nodeId, request);
      if (isRetryable(result.status) && attempt < retries) {
        lastProblem = \`HTTP \${result.status}\`;
        continue;
      }
      return result;
    } catch (error) {
      if (error instanceof RequestRefusedError) throw error;
      lastProblem = error instanceof Error ? error.message : String(error);
    }
  }
  throw new Error(\`node "\${nodeId}": \${request.method} \${request.url.href} failed after \${retries + 1} attempt(s): \${lastProblem}\`);
}

/** The URL with a string's placeholders filled from arguments, encoded, and the arguments no placeholder took. */
function fillUrl(template: string, args: Readonly<Record<string, unknown>>): { url: string; rest: Record<string, unknown> } {
  const used = new Set<string>();
  const url = template.replace(/\\{\\{\\s*([A-Za-z_]\\w*(?:\\.\\w+)*)\\s*\\}\\}/g, (_match, path: string) => {
    const [name = path, ...fields] = path.split('.');
    if (!(name in args)) throw new Error(\`the argument "\${name}" is missing\`);
    used.add(name);
    let value: unknown = args[name];
    for (const field of fields) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
    return encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value));
  });
  return { url, rest: Object.fromEntries(Object.entries(args).filter(([name]) => !used.has(name))) };
}

export interface HttpTool {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly allowHosts: readonly string[];
}

/** An HTTP tool's call: placeholders of its URL from the arguments, the rest in the query (GET, DELETE) or a JSON body. */
export async function callHttpTool(nodeId: string, tool: HttpTool, args: Record<string, unknown>): Promise<unknown> {
  const { url: filled, rest } = fillUrl(tool.url, args);
  let url: URL;
  try {
    url = new URL(filled);
  } catch {
    throw new Error(\`"\${filled}" is not a valid URL\`);
  }
  const inQuery = tool.method === 'GET' || tool.method === 'DELETE';
  if (inQuery) for (const [name, value] of Object.entries(rest)) url.searchParams.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  const body = inQuery ? undefined : JSON.stringify(rest);
  const headers = { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...tool.headers };
  let result: HttpExchange;
  try {
    result = await requestOnce(nodeId, { method: tool.method, url, headers, body, timeoutMs: tool.timeoutMs, allowHosts: tool.allowHosts });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(\`node "\${nodeId}": \`, '') : String(error);
    throw new Error(\`\${tool.method} \${url.href} failed: \${message}\`);
  }
  if (result.status >= 400) {
    const detail = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
    throw new Error(\`\${tool.method} \${url.href} answered \${result.status}: \${detail.slice(0, 1_000)}\`);
  }
  return result.body;
}
`;

const README_HTTP = [
  '## HTTP requests',
  '',
  'Requests go through `src/http.ts`, which keeps Loomflow’s guard: only public addresses are reached unless the node’s',
  '`allowHosts` names the host, redirects are followed at most 5 times, each checked again, and a response larger than',
  '10 MiB fails the request (`HTTP_MAX_RESPONSE_BYTES` changes the limit).',
].join('\n');

function useHttp(context: GeneratorContext, name: 'request' | 'callHttpTool'): string {
  context.depend('undici');
  context.depend('ipaddr.js');
  context.readme(README_HTTP);
  return context.local(name, 'http', HTTP_MODULE);
}

/** Code making `url` from a template over the state, failing with the node named when it is no URL. */
function urlLines(context: GeneratorContext, template: string): string[] {
  return [
    `const href = ${context.template(template)};`,
    'let url: URL;',
    'try {',
    'url = new URL(href);',
    '} catch {',
    `throw new Error(${literal(`node "${context.node.id}": "${template}" is not a valid URL`)});`,
    '}',
  ];
}

/** agent.http (executors/http.ts): the request built from templates, its exchange written to the output channel. */
const httpNode: NodeGenerator = (context) => {
  const config = context.node.config as { method: string; url: string; headers: Record<string, string>; body?: string; output: string; timeoutMs: number; retries: number; allowHosts: string[] };
  const request = useHttp(context, 'request');
  const headers = Object.entries(config.headers).map(([name, value]) => `${literal(name)}: ${context.template(value)}`);
  const lines = [
    ...urlLines(context, config.url),
    `const headers = { ${headers.join(', ')} };`,
    ...(config.body === undefined ? [] : [`const body = ${context.template(config.body)};`]),
    `const response = await ${request}(${literal(context.node.id)}, { method: ${literal(config.method)}, url, headers${config.body === undefined ? '' : ', body'}, timeoutMs: ${config.timeoutMs}, allowHosts: ${literal(config.allowHosts)} }, ${config.retries});`,
    `return { ${literal(config.output)}: response as ${context.typeOf(config.output)} };`,
  ];
  return { body: lines.join('\n'), async: true };
};

/**
 * An HTTP service task (executors/bpmn.ts runServiceHttp): the body a FEEL expression sent as
 * JSON, agent.http's request with no allowed hosts, a status of 400 or more fails it, the
 * response body goes to the result variable.
 */
export interface HttpImplementation {
  readonly kind: 'http';
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export function serviceHttp(context: GeneratorContext, implementation: HttpImplementation): string {
  const request = useHttp(context, 'request');
  const resultVariable = context.node.config.resultVariable as string | undefined;
  const retries = Number(context.node.config.retries ?? 0);
  const json = implementation.body !== undefined;
  const headers = { ...(json ? { 'content-type': 'application/json' } : {}), ...implementation.headers };
  const what = `${implementation.method} ${implementation.url}`;
  return [
    `const url = new URL(${literal(implementation.url)});`,
    ...(json ? [`const body = JSON.stringify(${context.feel(implementation.body as string, 'unknown')});`] : []),
    `const response = await ${request}(${literal(context.node.id)}, { method: ${literal(implementation.method)}, url, headers: ${literal(headers)}${json ? ', body' : ''}, timeoutMs: ${SERVICE_HTTP_TIMEOUT_MS}, allowHosts: [] }, ${retries});`,
    `if (response.status >= 400) throw new Error(${literal(`node "${context.node.id}": ${what} answered HTTP `)} + response.status);`,
    `return ${resultVariable ? `{ ${literal(resultVariable)}: response.body as ${context.typeOf(resultVariable)} }` : '{}'};`,
  ].join('\n');
}

/** An HTTP tool's entry of the tools list: its run makes the call as the runtime's httpTool does (tools/node-tools.ts). */
export function httpToolRun(context: GeneratorContext, tool: Extract<ToolConfig, { kind: 'http' }>): string {
  const call = useHttp(context, 'callHttpTool');
  const settings = { method: tool.method, url: tool.url, headers: tool.headers, timeoutMs: tool.timeoutMs, allowHosts: tool.allowHosts };
  return `(args: Record<string, unknown>) => ${call}(${literal(context.node.id)}, ${literal(settings)}, args)`;
}

/** Generators of the HTTP node types. */
export const httpGenerators: Readonly<Record<string, NodeGenerator>> = {
  'agent.http': httpNode,
};
