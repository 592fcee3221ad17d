// The runtime's McpClientPool on the official MCP SDK: one connection per server, kept across
// nodes and runs, because starting a stdio server costs far more than most tool calls. A
// connection that closed (the server exited, its output broke the protocol) or that stopped
// answering within a call's time limit is dropped, so the next use starts the server again.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '@loomflow/graph-schema';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { guardedDispatcher, refusalIn, resolveWithSystem, type ResolveHost } from '../executors/network-guard';
import type { McpCallOptions, McpClientPool, McpTool } from '../host-services';
import { limitBody, TooLargeError, type AnswerBudget } from '../body-limit';
import { causeOf, messageWithCauses } from '../errors';

/** A stdio server as a host registered it: the command line lives in the host's settings, not in a flow. */
export interface RegisteredMcpServer {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export interface McpClientPoolOptions {
  /**
   * Whether flows may carry a stdio command line. A host running flows that others wrote (the
   * server) says false: the command would run as the host's user.
   */
  readonly allowInlineStdio?: boolean;
  /**
   * Resolves the host names of HTTP servers for the network guard (the system resolver by
   * default). A server's URL must lead to a public address unless its `allowHosts` names it.
   */
  readonly lookupHost?: ResolveHost;
  /** Looks up a `registered` server by name; without it such servers fail with `mcp.unregistered`. */
  readonly resolveRegistered?: (name: string) => Promise<RegisteredMcpServer | undefined>;
  /** How long starting a server and the MCP handshake may take. */
  readonly connectTimeoutMs?: number;
  /** A call's time limit when its caller gives none. */
  readonly defaultTimeoutMs?: number;
  /**
   * The largest single message a server may send (a stdio line, an HTTP answer, an SSE event).
   * Without a bound, one endless answer takes all the host's memory. Over HTTP the call fails
   * with `mcp.too_large`; over stdio the SDK's read buffer closes the connection (`mcp.closed`).
   */
  readonly maxMessageBytes?: number;
  /** What the host calls `maxMessageBytes` where it is set (an environment variable), for errors; none if it cannot be set. */
  readonly maxMessageBytesSetting?: string;
  /** The bytes all answers being read at once may hold, shared with the host's model calls (DEFAULT_ANSWER_BUDGET if unset). */
  readonly answerBudget?: AnswerBudget;
  /** How much of a stdio server's stderr is kept (the end of it) to explain a failure. */
  readonly stderrTailChars?: number;
  /** How long a server whose call was cancelled has to answer a ping before it is stopped. */
  readonly probeTimeoutMs?: number;
}

export const MCP_POOL_DEFAULTS = {
  connectTimeoutMs: 30_000,
  defaultTimeoutMs: 60_000,
  maxMessageBytes: 4 * 1024 * 1024,
  stderrTailChars: 2_000,
  probeTimeoutMs: 2_000,
} as const;

export type McpFailureCode =
  | 'mcp.refused'
  | 'mcp.unregistered'
  | 'mcp.connect'
  | 'mcp.timeout'
  | 'mcp.closed'
  | 'mcp.aborted'
  | 'mcp.protocol'
  | 'mcp.too_large'
  | 'mcp.error';

/**
 * A call or connection that failed; the message names the server and the tool, never the
 * environment a server was started with. `retryable` says whether the same call may succeed later.
 */
export class McpPoolError extends Error {
  override readonly name = 'McpPoolError';
  constructor(
    readonly code: McpFailureCode,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

type Target =
  | { readonly kind: 'stdio'; readonly command: string; readonly args: readonly string[]; readonly env: Readonly<Record<string, string>>; readonly label: string }
  | { readonly kind: 'http'; readonly url: URL; readonly allowHosts: readonly string[]; readonly label: string };

/** Keeps the last `limit` characters written: a server that floods stderr costs a bounded string. */
class Tail {
  #text = '';
  constructor(private readonly limit: number) {}
  push(chunk: string): void {
    this.#text = (this.#text + chunk).slice(-this.limit);
  }
  get text(): string {
    return this.#text.trim();
  }
}

interface Connection {
  readonly key: string;
  readonly target: Target;
  readonly client: Client;
  readonly stderr: Tail;
  readonly transport: Transport;
  /** Kills a stdio server's process at once (nothing for HTTP). */
  readonly kill: () => void;
  /** An HTTP server's guarded dispatcher (none for stdio): its kept-alive sockets end with the connection. */
  readonly dispatcher: Dispatcher | undefined;
  /** The last transport error (an oversized or malformed message), for the failure message. */
  lastError: string | undefined;
  closed: boolean;
  readonly ready: Promise<void>;
  /** Set while a ping checks whether a server whose call was cancelled still answers. */
  probe: Promise<void> | undefined;
}


/** The URL without user info, query or fragment, which may hold credentials. */
const httpLabel = (url: URL): string => `${url.origin}${url.pathname}`;

/**
 * A transport's error text without the URL's user info and query, which may hold credentials
 * (fetch quotes the whole URL when it refuses one with a user name and password). Only where they
 * stand as in the URL: a short user name ("u") replaced wherever it occurs would garble the text.
 */
function redacted(target: Target, text: string): string {
  if (target.kind !== 'http') return text;
  const { href, username, password, search } = target.url;
  const userInfo = username === '' && password === '' ? '' : `${username}${password === '' ? '' : `:${password}`}@`;
  let result = text.split(href).join(httpLabel(target.url));
  for (const [secret, mask] of [[userInfo, '***@'], [search, '?***']] as const) if (secret !== '') result = result.split(secret).join(mask);
  return result;
}

/**
 * The network guard's refusal in `error`, as the pool reports it whether it came when connecting or
 * on a later request (a new socket to a name that now resolves to a private address). Not
 * retryable: the same config is refused again until its allowHosts names the host.
 */
function refusalFailure(target: Target, error: unknown): McpPoolError | undefined {
  const refusal = refusalIn(error);
  return refusal && new McpPoolError('mcp.refused', `MCP server ${target.label}: ${refusal.message}`, false);
}

/** The ids of the JSON-RPC requests in a POST's body (a message or a batch); none in a GET's. */
function requestIdsOf(body: unknown): (string | number)[] {
  if (typeof body !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(body);
    return (Array.isArray(parsed) ? parsed : [parsed]).flatMap((message: unknown) => {
      const { id, method } = (typeof message === 'object' && message !== null ? message : {}) as { id?: unknown; method?: unknown };
      return typeof method === 'string' && (typeof id === 'string' || typeof id === 'number') ? [id] : [];
    });
  } catch {
    return [];
  }
}

/**
 * The pool's failure for a message over the limit: the TooLargeError a JSON answer's body
 * failed with, or the error answer the pool gave for an event stream in its stead (its `data`).
 * Not retryable: the same call would get the same answer.
 */
function tooLargeFailure(error: unknown): McpPoolError | undefined {
  const found = causeOf(error instanceof McpError ? error.data : error, TooLargeError);
  return found && new McpPoolError('mcp.too_large', found.message, false);
}

/** How messages name a server: its registered name, its command line or its URL, never its env. */
export function mcpServerLabel(server: McpServerConfig): string {
  switch (server.transport) {
    case 'registered':
      return `"${server.name}"`;
    case 'stdio':
      return `"${[server.command, ...server.args].join(' ')}"`;
    case 'http': {
      const url = URL.parse(server.url);
      return `"${url ? httpLabel(url) : server.url}"`;
    }
  }
}

export class SdkMcpClientPool implements McpClientPool {
  readonly #options: Required<Omit<McpClientPoolOptions, 'resolveRegistered' | 'maxMessageBytesSetting' | 'answerBudget'>> &
    Pick<McpClientPoolOptions, 'resolveRegistered' | 'maxMessageBytesSetting' | 'answerBudget'>;
  readonly #connections = new Map<string, Connection>();
  /** The connection key each registered name last resolved to, so a changed registration replaces it. */
  readonly #registeredKeys = new Map<string, string>();
  #closed = false;
  readonly #closing = new Set<Promise<void>>();

  constructor(options: McpClientPoolOptions = {}) {
    this.#options = {
      allowInlineStdio: options.allowInlineStdio ?? true,
      lookupHost: options.lookupHost ?? resolveWithSystem,
      resolveRegistered: options.resolveRegistered,
      connectTimeoutMs: options.connectTimeoutMs ?? MCP_POOL_DEFAULTS.connectTimeoutMs,
      defaultTimeoutMs: options.defaultTimeoutMs ?? MCP_POOL_DEFAULTS.defaultTimeoutMs,
      maxMessageBytes: options.maxMessageBytes ?? MCP_POOL_DEFAULTS.maxMessageBytes,
      maxMessageBytesSetting: options.maxMessageBytesSetting,
      answerBudget: options.answerBudget,
      stderrTailChars: options.stderrTailChars ?? MCP_POOL_DEFAULTS.stderrTailChars,
      probeTimeoutMs: options.probeTimeoutMs ?? MCP_POOL_DEFAULTS.probeTimeoutMs,
    };
  }

  /** How many servers are connected or connecting (for tests and diagnostics). */
  get size(): number {
    return this.#connections.size;
  }

  async listTools(server: McpServerConfig, options: McpCallOptions = {}): Promise<readonly McpTool[]> {
    const limit = this.#limit(options);
    const connection = await this.#connect(server, options.signal, limit);
    const tools: McpTool[] = [];
    let cursor: string | undefined;
    // Bounded, so a server that always answers with a next page cannot keep a node forever.
    for (let page = 0; page < 100; page += 1) {
      const result = await this.#request(connection, 'listing its tools', options.signal, limit, (requestOptions) =>
        connection.client.listTools(cursor === undefined ? undefined : { cursor }, requestOptions),
      );
      for (const tool of result.tools) {
        tools.push({ name: tool.name, ...(tool.description === undefined ? {} : { description: tool.description }), inputSchema: tool.inputSchema });
      }
      cursor = result.nextCursor;
      if (cursor === undefined) break;
    }
    return tools;
  }

  /** The tool's `CallToolResult` as the server sent it; a result with `isError` is the tool's own failure. */
  async callTool(server: McpServerConfig, name: string, args: Readonly<Record<string, unknown>>, options: McpCallOptions = {}): Promise<unknown> {
    const limit = this.#limit(options);
    const connection = await this.#connect(server, options.signal, limit);
    return this.#request(connection, `tool "${name}"`, options.signal, limit, (requestOptions) =>
      connection.client.callTool({ name, arguments: { ...args } }, undefined, requestOptions),
    );
  }

  /** Ends every connection, and so every stdio server process; hosts call it on shutdown. */
  async close(): Promise<void> {
    this.#closed = true;
    const connections = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all([...connections.map((connection) => this.#discard(connection)), ...this.#closing]);
  }

  async #target(server: McpServerConfig): Promise<Target> {
    switch (server.transport) {
      case 'http': {
        const url = new URL(server.url);
        return { kind: 'http', url, allowHosts: server.allowHosts ?? [], label: mcpServerLabel(server) };
      }
      case 'stdio': {
        if (!this.#options.allowInlineStdio) {
          throw new McpPoolError('mcp.refused', `this host does not start MCP servers from a command line in the flow ("${server.command}"); name a server registered in its settings instead`, false);
        }
        return { kind: 'stdio', command: server.command, args: server.args, env: server.env, label: mcpServerLabel(server) };
      }
      case 'registered': {
        const registered = await this.#options.resolveRegistered?.(server.name);
        if (!registered) {
          throw new McpPoolError(
            'mcp.unregistered',
            this.#options.resolveRegistered
              ? `no MCP server is registered as "${server.name}" in this host's settings`
              : `this host has no registered MCP servers, so "${server.name}" cannot be reached; give the server's command line or URL instead`,
            false,
          );
        }
        return { kind: 'stdio', command: registered.command, args: registered.args, env: registered.env, label: mcpServerLabel(server) };
      }
    }
  }

  /** A call's time limit covers starting the server too: a node's time is what the call may take in all. */
  #limit(options: McpCallOptions): Limit {
    const ms = options.timeoutMs ?? this.#options.defaultTimeoutMs;
    return { ms, deadline: performance.now() + ms };
  }

  async #connect(server: McpServerConfig, signal: AbortSignal | undefined, limit: Limit): Promise<Connection> {
    if (this.#closed) throw new McpPoolError('mcp.closed', 'the MCP client pool is closed (the host is shutting down)', true);
    signal?.throwIfAborted();
    const target = await this.#target(server);
    // What a connection was allowed to reach is part of it: a server reached under one node's
    // allowHosts is not handed to a node that does not allow its host.
    const key = JSON.stringify(target.kind === 'http' ? [target.url.href, [...target.allowHosts].sort()] : [target.command, target.args, Object.entries(target.env).sort()]);
    if (server.transport === 'registered') {
      const previous = this.#registeredKeys.get(server.name);
      this.#registeredKeys.set(server.name, key);
      // The registration changed: the old process must not outlive it.
      const stale = previous === undefined || previous === key ? undefined : this.#connections.get(previous);
      if (stale) this.#drop(stale);
    }
    let connection = this.#connections.get(key);
    // A call on it was cancelled: wait for the ping that tells a busy server from a stuck one.
    if (connection?.probe) await connection.probe;
    if (!connection || connection.closed) {
      // Closed while this call resolved its server: nothing may start after close().
      if (this.#closed) throw new McpPoolError('mcp.closed', 'the MCP client pool is closed (the host is shutting down)', true);
      connection = this.#open(key, target);
      this.#connections.set(key, connection);
    }
    await waitFor(connection.ready, signal, limit, `MCP server ${target.label} did not start within ${limit.ms} ms`);
    return connection;
  }

  #open(key: string, target: Target): Connection {
    const stderr = new Tail(this.#options.stderrTailChars);
    const client = new Client({ name: 'loomflow', version: '0.1.0' });
    let transport: StdioClientTransport | StreamableHTTPClientTransport;
    let dispatcher: Dispatcher | undefined;
    if (target.kind === 'stdio') {
      const stdio = new StdioClientTransport({
        command: target.command,
        args: [...target.args],
        env: { ...target.env },
        // Piped and read into a bounded tail: inherited, a server's logs would mix into the host's.
        stderr: 'pipe',
        maxBufferSize: this.#options.maxMessageBytes,
      });
      stdio.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
      transport = stdio;
    } else {
      const guarded = guardedDispatcher(this.#options.lookupHost, target.allowHosts, "the MCP server's allowHosts");
      dispatcher = guarded;
      const { maxMessageBytes, maxMessageBytesSetting } = this.#options;
      const describe = () =>
        `MCP server ${target.label} sent a message of more than ${maxMessageBytes} bytes, ${maxMessageBytesSetting ? `the limit set by ${maxMessageBytesSetting}` : 'the most it may send'}`;
      transport = new StreamableHTTPClientTransport(target.url, {
        // No reconnecting of a stream that ended: the SDK's count of attempts starts again after
        // each one that succeeds, so a server that closes its GET stream at once (with `retry: 0`)
        // had the host reconnect hundreds of times a second for as long as it ran. Calls here are
        // requests with their own answers; the server's own stream is not needed for them.
        reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1000, maxReconnectionDelay: 30_000, reconnectionDelayGrowFactor: 1.5 },
        // Every connection, redirects included, goes through the guard.
        fetch: async (url, init) => {
          const response = (await undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: guarded })) as unknown as Response;
          return limitBody(response, { maxBytes: maxMessageBytes, perEvent: true, budget: this.#options.answerBudget }, describe, (error) => this.#answerTooLarge(connection, requestIdsOf(init?.body), error));
        },
      });
    }
    const connection: Connection = {
      key,
      target,
      client,
      transport,
      stderr,
      kill: () => {
        const pid = transport instanceof StdioClientTransport ? transport.pid : null;
        try {
          if (pid !== null) process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      },
      dispatcher,
      lastError: undefined,
      closed: false,
      probe: undefined,
      ready: client.connect(transport, { timeout: this.#options.connectTimeoutMs }).catch(async (error: unknown) => {
        this.#drop(connection, { stuck: true });
        throw tooLargeFailure(error) ?? refusalFailure(target, error) ?? new McpPoolError('mcp.connect', `could not connect to MCP server ${target.label}: ${redacted(target, messageWithCauses(error))}${this.#stderrNote(connection)}`, true);
      }),
    };
    client.onerror = (error) => {
      connection.lastError = messageWithCauses(error).slice(0, 500);
    };
    client.onclose = () => {
      connection.closed = true;
      if (this.#connections.get(key) === connection) this.#connections.delete(key);
    };
    // A caller that gave up (its own signal) leaves `ready` rejected with nobody waiting for it.
    connection.ready.catch(() => {});
    return connection;
  }

  async #request<Result>(
    connection: Connection,
    what: string,
    signal: AbortSignal | undefined,
    limit: Limit,
    send: (requestOptions: { signal?: AbortSignal; timeout: number }) => Promise<Result>,
  ): Promise<Result> {
    try {
      return await send({ ...(signal ? { signal } : {}), timeout: Math.max(1, Math.round(limit.deadline - performance.now())) });
    } catch (error) {
      throw this.#failure(connection, error, what, limit.ms, signal);
    }
  }

  #failure(connection: Connection, error: unknown, what: string, timeoutMs: number, signal: AbortSignal | undefined): McpPoolError {
    const server = `MCP server ${connection.target.label}`;
    // First: the SDK reports an aborted request as a timeout too.
    if (signal?.aborted) {
      // Cancelled from outside (a node's time limit, a cancelled run): whether the server is stuck
      // is unknown, so a ping decides before the connection is used again.
      this.#probe(connection);
      return new McpPoolError('mcp.aborted', `${what} of ${server} was cancelled: ${messageWithCauses(signal.reason)}`, true);
    }
    const tooLarge = tooLargeFailure(error);
    if (tooLarge) return tooLarge;
    const refused = refusalFailure(connection.target, error);
    if (refused) return refused;
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
      // A server that let a call run out of time may be stuck: another call would wait as long.
      // Stopping it now means the next use starts it again.
      this.#drop(connection, { stuck: true });
      return new McpPoolError('mcp.timeout', `${server} did not answer ${what} within ${timeoutMs} ms; it is stopped and will be started again on next use${this.#stderrNote(connection)}`, true);
    }
    if (connection.closed || (error instanceof McpError && error.code === ErrorCode.ConnectionClosed)) {
      const reason = connection.lastError ? ` (${connection.lastError})` : '';
      return new McpPoolError('mcp.closed', `${server} closed the connection during ${what}${reason}; it will be started again on next use${this.#stderrNote(connection)}`, true);
    }
    if (error instanceof McpError && (error.code === ErrorCode.InvalidParams || error.code === ErrorCode.MethodNotFound || error.code === ErrorCode.InvalidRequest)) {
      return new McpPoolError('mcp.protocol', `${server} refused ${what}: ${redacted(connection.target, error.message)}`, false);
    }
    return new McpPoolError('mcp.error', `${server} failed ${what}: ${redacted(connection.target, messageWithCauses(error))}`, true);
  }

  /**
   * A message over the limit fails the requests whose answer carried it: a JSON answer's through
   * the body that `fetch` handed the SDK, an event stream's by an error answer given in the
   * server's stead (the SDK would only report the broken stream, and the call would wait out its
   * time limit). A stream that answers no request (the server's own GET stream) ends the
   * connection instead; its other calls then fail as closed, and may be tried again.
   */
  #answerTooLarge(connection: Connection, requestIds: readonly (string | number)[], error: TooLargeError): void {
    if (requestIds.length === 0) {
      // The calls the drop fails say why the connection closed.
      connection.lastError = error.message;
      this.#drop(connection);
      return;
    }
    for (const id of requestIds) connection.transport.onmessage?.({ jsonrpc: '2.0', id, error: { code: ErrorCode.InternalError, message: error.message, data: error } });
  }

  #probe(connection: Connection): void {
    if (connection.closed || connection.probe) return;
    connection.probe = connection.client
      .ping({ timeout: this.#options.probeTimeoutMs })
      .then(
        () => {},
        () => this.#drop(connection, { stuck: true }),
      )
      .finally(() => {
        connection.probe = undefined;
      });
  }

  #stderrNote(connection: Connection): string {
    const tail = connection.stderr.text;
    return tail === '' ? '' : `; its stderr ended with: ${tail.slice(-500)}`;
  }

  /**
   * Forgets a connection at once and stops it in the background. A stuck stdio server is killed
   * outright: the SDK's close waits seconds for it to leave on its own, and a process busy in a
   * loop never does (it must not outlive the host, spinning, if the host exits meanwhile).
   */
  #drop(connection: Connection, options: { readonly stuck?: boolean } = {}): void {
    connection.closed = true;
    if (this.#connections.get(connection.key) === connection) this.#connections.delete(connection.key);
    if (options.stuck) connection.kill();
    void this.#discard(connection);
  }

  /** Closes a connection; `close()` waits for every one still closing, dropped ones included. */
  async #discard(connection: Connection): Promise<void> {
    connection.closed = true;
    // The dispatcher goes after the client, whose close aborts the requests still running; left
    // open, it would keep its idle sockets until the server's keep-alive time ran out. Destroyed
    // rather than closed: nothing on a discarded connection is worth waiting for.
    const closing = connection.client
      .close()
      .catch(() => {})
      .then(() => connection.dispatcher?.destroy())
      .catch(() => {});
    this.#closing.add(closing);
    await closing;
    this.#closing.delete(closing);
  }
}

interface Limit {
  readonly ms: number;
  /** `performance.now()` by which the whole call must be answered. */
  readonly deadline: number;
}

/**
 * Waits for `promise` unless `signal` aborts or the deadline passes first; the promise itself goes
 * on, since other calls may share it (a server being started).
 */
async function waitFor<T>(promise: Promise<T>, signal: AbortSignal | undefined, limit: Limit, timeoutMessage: string): Promise<T> {
  signal?.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => settle(() => reject(new McpPoolError('mcp.aborted', `waiting for the MCP server was cancelled: ${messageWithCauses(signal?.reason)}`, true)));
    const timer = setTimeout(() => settle(() => reject(new McpPoolError('mcp.timeout', timeoutMessage, true))), Math.max(0, limit.deadline - performance.now()));
    const settle = (then: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      then();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error instanceof Error ? error : new Error(String(error)))),
    );
  });
}
