// The pool over streamable HTTP, against server-everything's own HTTP transport in a child
// process on a loopback port, reached directly or through a proxy that watches the sockets.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpServer, request, type IncomingHttpHeaders } from 'node:http';
import { createServer, type AddressInfo, type LookupFunction, type Socket } from 'node:net';
import type * as Undici from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { everythingServer, startFloodingServer, type FloodingServer } from '../testing/mcp-servers';
import { McpPoolError, SdkMcpClientPool } from './mcp-client-pool';

/** A public address (example.com's) that this test's network delivers to loopback. */
const { publicAddress } = vi.hoisted(() => ({ publicAddress: '93.184.215.14' }));

// The network of this test: a socket the guard let connect to `publicAddress` (its lookup checked
// that address) reaches the proxy on loopback. Every other address is connected to as it is.
vi.mock('undici', async (importOriginal) => {
  const undici = await importOriginal<typeof Undici>();
  const reach = (address: string) => (address === publicAddress ? '127.0.0.1' : address);
  return {
    ...undici,
    buildConnector: (options: { lookup?: LookupFunction }) => {
      const { lookup } = options;
      return undici.buildConnector({
        ...options,
        ...(lookup && {
          lookup: ((hostname, lookupOptions, callback) =>
            lookup(hostname, lookupOptions, (error, address, family) =>
              callback(error, Array.isArray(address) ? address.map((entry) => ({ ...entry, address: reach(entry.address) })) : reach(address), family),
            )) satisfies LookupFunction,
        }),
      });
    },
  };
});

let child: ChildProcess;
let url: string;
/** The loopback host and port server-everything listens on, which a server config must allow. */
let host: string;
const pool = new SdkMcpClientPool();

/** A port free a moment ago: server-everything reads PORT and does not report the one it got for 0. */
async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  const [script] = everythingServer().args;
  child = spawn(process.execPath, [script as string, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  // Ready once it says it listens (on stderr); it exits if the port was taken meanwhile.
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (seen.includes('listening on port')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server-everything exited with ${code}: ${seen}`)));
  });
  url = `http://127.0.0.1:${port}/mcp`;
  host = `127.0.0.1:${port}`;
}, 30_000);

afterAll(async () => {
  await pool.close();
  child.kill('SIGKILL');
});

interface Proxy {
  readonly port: number;
  readonly openSockets: () => number;
  readonly close: () => Promise<void>;
}

/**
 * A proxy on loopback that forwards everything to server-everything and counts the client sockets
 * it holds open. It keeps idle sockets alive far longer than any test runs, unless `closeEach`
 * answers every request with `Connection: close`, so that each request opens a new socket.
 */
async function startProxy(options: { readonly closeEach?: boolean } = {}): Promise<Proxy> {
  const upstream = new URL(url);
  const sockets = new Set<Socket>();
  const proxy = createHttpServer((incoming, outgoing) => {
    // server-everything accepts only its own loopback host in Host (its DNS rebinding check).
    const headers: IncomingHttpHeaders = { ...incoming.headers, host: upstream.host };
    const forwarded = request({ host: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers }, (answer) => {
      const { connection: _connection, 'keep-alive': _keepAlive, ...answerHeaders } = answer.headers;
      outgoing.writeHead(answer.statusCode ?? 502, { ...answerHeaders, ...(options.closeEach ? { connection: 'close' } : {}) });
      answer.pipe(outgoing);
    });
    forwarded.on('error', () => outgoing.destroy());
    // A client that hangs up (an SSE stream it stops reading) ends the upstream request too.
    outgoing.on('close', () => forwarded.destroy());
    incoming.pipe(forwarded);
  });
  proxy.keepAliveTimeout = 600_000;
  proxy.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  return {
    port: (proxy.address() as AddressInfo).port,
    openSockets: () => sockets.size,
    close: async () => {
      proxy.closeAllConnections();
      proxy.close();
      await once(proxy, 'close');
    },
  };
}

describe('SdkMcpClientPool over streamable HTTP', () => {
  it('lists tools and calls echo on a loopback server its allowHosts names', async () => {
    const server = { transport: 'http' as const, url, allowHosts: [host] };
    const tools = await pool.listTools(server);
    expect(tools.map((tool) => tool.name)).toContain('echo');
    const result = (await pool.callTool(server, 'echo', { message: 'over http' })) as { content: { text: string }[] };
    expect(result.content[0]?.text).toBe('Echo: over http');
  }, 30_000);

  it('refuses a loopback server its allowHosts does not name, also while a connection allowed it is open', async () => {
    await pool.listTools({ transport: 'http', url, allowHosts: [host] });
    const error = await pool.listTools({ transport: 'http', url, allowHosts: [] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpPoolError);
    expect((error as McpPoolError).code).toBe('mcp.refused');
    expect((error as McpPoolError).retryable).toBe(false);
    expect((error as McpPoolError).message).toContain(`refused ${host}: 127.0.0.1 (loopback) is not a public address; add "${host}" to the MCP server's allowHosts`);
  }, 30_000);

  it('refuses a name that resolves to a private address, checked on the address it connects to', async () => {
    const resolved: string[] = [];
    const guarded = new SdkMcpClientPool({
      lookupHost: async (name) => {
        resolved.push(name);
        return ['10.1.2.3'];
      },
    });
    try {
      const error = await guarded.listTools({ transport: 'http', url: 'http://mcp.internal.example/mcp', allowHosts: [] }).catch((caught: unknown) => caught);
      expect((error as McpPoolError).code).toBe('mcp.refused');
      expect((error as McpPoolError).message).toContain('refused mcp.internal.example: it resolves to 10.1.2.3 (private), not a public address');
      expect(resolved).toEqual(['mcp.internal.example']);
    } finally {
      await guarded.close();
    }
  }, 30_000);

  it('refuses a request on an open connection once its host name resolves to a private address', async () => {
    // Each request opens a new socket, and so resolves the name again: DNS rebinding after the
    // handshake. (A redirect to a private address never reaches the guard: the SDK follows
    // redirects only within the server's origin.)
    const proxy = await startProxy({ closeEach: true });
    let address = publicAddress;
    const rebound = new SdkMcpClientPool({ lookupHost: async () => [address] });
    const server = { transport: 'http' as const, url: `http://mcp.example:${proxy.port}/mcp`, allowHosts: [] };
    try {
      const result = (await rebound.callTool(server, 'echo', { message: 'public' })) as { content: { text: string }[] };
      expect(result.content[0]?.text).toBe('Echo: public');
      address = '10.1.2.3';
      const error = await rebound.callTool(server, 'echo', { message: 'private' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(McpPoolError);
      expect((error as McpPoolError).code).toBe('mcp.refused');
      expect((error as McpPoolError).retryable).toBe(false);
      expect((error as McpPoolError).message).toContain(
        `refused mcp.example:${proxy.port}: it resolves to 10.1.2.3 (private), not a public address; add "mcp.example:${proxy.port}" to the MCP server's allowHosts`,
      );
    } finally {
      await rebound.close();
      await proxy.close();
    }
  }, 30_000);

  it('closes the sockets of its HTTP connections when it is closed', async () => {
    const proxy = await startProxy();
    const own = new SdkMcpClientPool();
    try {
      await own.listTools({ transport: 'http', url: `http://127.0.0.1:${proxy.port}/mcp`, allowHosts: [`127.0.0.1:${proxy.port}`] });
      expect(proxy.openSockets()).toBeGreaterThan(0);
      await own.close();
      // The proxy would keep idle sockets open far longer than this test may run.
      await vi.waitFor(() => expect(proxy.openSockets()).toBe(0), { timeout: 20_000 });
    } finally {
      await own.close();
      await proxy.close();
    }
  }, 30_000);

  it('reports a server that is not there with the reason, naming its URL without credentials', async () => {
    const port = await freePort();
    const error = await pool.listTools({ transport: 'http', url: `http://user:secret@127.0.0.1:${port}/mcp?key=secret`, allowHosts: [`127.0.0.1:${port}`] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpPoolError);
    expect((error as McpPoolError).code).toBe('mcp.connect');
    expect((error as McpPoolError).message).toContain(`"http://127.0.0.1:${port}/mcp"`);
    expect((error as McpPoolError).message).not.toContain('secret');
    // undici says why only in the cause, which the message quotes.
    const refused = await pool.listTools({ transport: 'http', url: `http://127.0.0.1:${port}/mcp`, allowHosts: [`127.0.0.1:${port}`] }).catch((caught: unknown) => caught);
    expect((refused as McpPoolError).message).toBe(`could not connect to MCP server "http://127.0.0.1:${port}/mcp": fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`);
    // Short credentials are masked where the URL has them, not wherever their letters occur.
    const short = await pool.listTools({ transport: 'http', url: `http://u:p@127.0.0.1:${port}/mcp`, allowHosts: [`127.0.0.1:${port}`] }).catch((caught: unknown) => caught);
    expect((short as McpPoolError).message).toMatch(/^could not connect to MCP server "http:\/\/127\.0\.0\.1:\d+\/mcp": \w/);
    expect((short as McpPoolError).message).not.toContain('***');
  }, 30_000);
});

describe('SdkMcpClientPool: messages over maxMessageBytes from an HTTP server', () => {
  const maxMessageBytes = 64 * 1024;
  let flooding: FloodingServer;
  let bounded: SdkMcpClientPool;
  beforeAll(async () => {
    flooding = await startFloodingServer();
    bounded = new SdkMcpClientPool({ maxMessageBytes, maxMessageBytesSetting: 'LOOMFLOW_MAX_MCP_MESSAGE_BYTES' });
  });
  afterAll(async () => {
    await bounded.close();
    await flooding.close();
  });
  const server = () => ({ transport: 'http' as const, url: flooding.url, allowHosts: [flooding.host] });

  it.each(['flood_sse', 'flood_json', 'flood_error_sse'])('fails %s as mcp.too_large, hangs up on the server, and a call beside it works', async (tool) => {
    // Well within the test's time: a stream that broke must not leave the call to its time limit.
    const [error, beside] = await Promise.all([bounded.callTool(server(), tool, {}, { timeoutMs: 20_000 }).catch((caught: unknown) => caught), bounded.callTool(server(), 'small', {})]);
    expect(error).toBeInstanceOf(McpPoolError);
    expect(error).toMatchObject({ code: 'mcp.too_large', retryable: false });
    expect((error as McpPoolError).message).toBe(`MCP server "${flooding.url}" sent a message of more than ${maxMessageBytes} bytes, the limit set by LOOMFLOW_MAX_MCP_MESSAGE_BYTES`);
    // The answer was cut off near the limit, not read to the end (it has none).
    expect(await flooding.hungUp()).toBeLessThan(16 * 1024 * 1024);
    expect((beside as { content: { text: string }[] }).content[0]?.text).toBe('small');
  }, 30_000);

  it('counts each event of a stream on its own: many small events past the limit in all are fine', async () => {
    const result = (await bounded.callTool(server(), 'many_events', {})) as { content: { text: string }[] };
    expect(result.content[0]?.text).toBe('done');
  }, 30_000);
});
