// The agent.http node against real listeners on this machine's loopback addresses, never any other
// address: a stubbed resolver stands in for DNS wherever a name is needed.
import { MemorySaver } from '@langchain/langgraph';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net, { isIP, type AddressInfo, type LookupFunction } from 'node:net';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlowRuntime } from '../flow-runtime';
import { chainFlow } from '../testing/flows';
import type { RuntimeServices } from './executor';

const at = { x: 0, y: 0 };

const httpFlow = (config: Record<string, unknown>): FlowDocumentInput => ({
  ...chainFlow(0),
  state: { channels: [{ name: 'response', type: 'object' }, { name: 'pair', type: 'string', default: 'EURUSD' }] },
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { id: 'fetch', type: 'agent.http', position: at, config },
    { id: 'end', type: 'agent.end', position: at },
  ],
  edges: [
    { id: 'e0', source: 'start', target: 'fetch' },
    { id: 'e1', source: 'fetch', target: 'end' },
  ],
});

async function run(config: Record<string, unknown>, services: Partial<RuntimeServices> = {}): Promise<RunEvent> {
  const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), services });
  let last: RunEvent | undefined;
  for await (const event of runtime.compile(httpFlow(config)).run({})) last = event;
  return last as RunEvent;
}

/** A resolver that answers from a table, counting how often each name is asked for. */
function stubResolver(answers: Record<string, (call: number) => readonly string[]>) {
  const calls = new Map<string, number>();
  const lookupHost = async (hostname: string) => {
    const call = (calls.get(hostname) ?? 0) + 1;
    calls.set(hostname, call);
    const answer = answers[hostname];
    if (!answer) throw new Error(`the test resolver does not know ${hostname}`);
    return answer(call);
  };
  return { lookupHost, calls };
}

// The same port on 127.0.0.1 and ::1, so every spelling of "this machine" has a listener to reach.
const received: { readonly host: string | undefined; readonly path: string | undefined }[] = [];
const endlessStreams: { closed: boolean }[] = [];
const hungRequests: { closed: boolean }[] = [];
function answer(request: IncomingMessage, response: ServerResponse): void {
  received.push({ host: request.headers.host, path: request.url });
  const size = /^\/bytes\/(\d+)$/.exec(request.url ?? '')?.[1];
  if (size !== undefined) {
    response.end('x'.repeat(Number(size)));
  } else if (request.url === '/endless') {
    // Sends chunks without a content-length for as long as the client keeps reading.
    const stream = { closed: false };
    endlessStreams.push(stream);
    response.on('close', () => (stream.closed = true));
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (!stream.closed && response.write(chunk));
    };
    response.on('drain', pump);
    pump();
  } else if (request.url === '/hang') {
    // Never answers; notes when the client gives up.
    const hung = { closed: false };
    hungRequests.push(hung);
    response.on('close', () => (hung.closed = true));
  } else if (request.url === '/hop') {
    response.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end();
  } else {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ path: request.url, rate: 1.08 }));
  }
}
let servers: Server[] = [];
let port: number;
const listen = (server: Server, address: string, onPort: number) => new Promise<void>((resolve, reject) => server.once('error', reject).listen(onPort, address, resolve));
beforeAll(async () => {
  servers = [createServer(answer), createServer(answer)];
  await listen(servers[0] as Server, '127.0.0.1', 0);
  port = ((servers[0] as Server).address() as AddressInfo).port;
  await listen(servers[1] as Server, '::1', port);
});
afterAll(() => Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))));

// Every socket a test opens passes through here: what it was asked to connect to and the addresses
// its lookup handed it are recorded, and anything but 127.0.0.1 and ::1 is stopped before a packet
// is sent, so that no test, not even one of a broken guard, leaves this machine.
interface Connection {
  readonly host: string | undefined;
  readonly servername: string | undefined;
  readonly handed: string[];
}
const connections: Connection[] = [];
const staysHere = (address: string) => address === '127.0.0.1' || address === '::1';
function confine<Options extends { host?: string | undefined; servername?: string | undefined; lookup?: LookupFunction | undefined }>(options: Options): Options {
  const connection: Connection = { host: options.host, servername: options.servername, handed: [] };
  connections.push(connection);
  const { host = '', lookup } = options;
  if (isIP(host) !== 0) {
    connection.handed.push(host);
    if (!staysHere(host)) throw new Error(`the test stopped a connection to ${host}`);
    return options;
  }
  if (!lookup) throw new Error(`a socket to ${host} without the guard's lookup`);
  return {
    ...options,
    lookup: ((hostname, lookupOptions, callback) =>
      lookup(hostname, lookupOptions, (error, addresses, family) => {
        const list = typeof addresses === 'string' ? [addresses] : addresses.map((entry) => entry.address);
        if (error) return callback(error, addresses, family);
        connection.handed.push(...list);
        callback(list.every(staysHere) ? null : new Error(`the test stopped a connection to ${list.join(', ')}`), addresses, family);
      })) satisfies LookupFunction,
  };
}
beforeEach(() => {
  const { connect } = net;
  const { connect: connectTls } = tls;
  vi.spyOn(net, 'connect').mockImplementation(((options: net.TcpNetConnectOpts) => connect(confine(options))) as typeof net.connect);
  vi.spyOn(tls, 'connect').mockImplementation(((options: tls.ConnectionOptions) => connectTls(confine(options))) as typeof tls.connect);
});
afterEach(() => {
  received.length = 0;
  connections.length = 0;
  vi.restoreAllMocks();
});

describe('agent.http refuses every spelling of this machine', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1 (loopback)'],
    ['127.1', '127.0.0.1 (loopback)'],
    ['0x7f.1', '127.0.0.1 (loopback)'],
    ['0177.0.0.1', '127.0.0.1 (loopback)'],
    ['2130706433', '127.0.0.1 (loopback)'],
    ['[::1]', '::1 (loopback)'],
    ['[::ffff:127.0.0.1]', '::ffff:7f00:1 (carries 127.0.0.1: loopback)'],
    ['[::ffff:7f00:1]', '::ffff:7f00:1 (carries 127.0.0.1: loopback)'],
    ['[::127.0.0.1]', '::7f00:1 (carries 127.0.0.1: loopback)'],
    ['[64:ff9b::7f00:1]', '64:ff9b::7f00:1 (carries 127.0.0.1: loopback)'],
    ['[2002:7f00:1::]', '2002:7f00:1:: (carries 127.0.0.1: loopback)'],
    ['[fec0::1]', 'fec0::1 (deprecatedSiteLocal)'],
    ['0.0.0.0', '0.0.0.0 (unspecified)'],
  ])('http://%s', async (spelling, refused) => {
    const host = new URL(`http://${spelling}:${port}`).host;
    const last = await run({ url: `http://${spelling}:${port}/rates/{{pair}}` });
    expect(last).toMatchObject({ type: 'run.failed', nodeId: 'fetch', error: { code: 'http.blocked' } });
    expect(last.type === 'run.failed' && last.error.message).toBe(
      `node "fetch": refused ${host}: ${refused} is not a public address; add "${host}" to the node's allowHosts to permit it`,
    );
    expect(received).toEqual([]);
  });

  it('http://localhost, through the system resolver', async () => {
    const last = await run({ url: `http://localhost:${port}/rates/{{pair}}` });
    expect(last).toMatchObject({ type: 'run.failed', nodeId: 'fetch', error: { code: 'http.blocked' } });
    expect(last.type === 'run.failed' && last.error.message).toMatch(
      new RegExp(`^node "fetch": refused localhost:${port}: it resolves to (127\\.0\\.0\\.1|::1) \\(loopback\\), not a public address; add "localhost:${port}" to the node's allowHosts`),
    );
    expect(received).toEqual([]);
  });
});

describe('agent.http resolves a name once and connects only to what it checked', () => {
  it('refuses a name when any of its addresses is private, before connecting to any', async () => {
    const { lookupHost } = stubResolver({ 'rates.example.com': () => ['8.8.8.8', '127.0.0.1'] });
    const last = await run({ url: `http://rates.example.com:${port}/today` }, { lookupHost });
    expect(last).toMatchObject({ type: 'run.failed', nodeId: 'fetch', error: { code: 'http.blocked' } });
    expect(last.type === 'run.failed' && last.error.message).toBe(
      `node "fetch": refused rates.example.com:${port}: it resolves to 127.0.0.1 (loopback), not a public address; add "rates.example.com:${port}" to the node's allowHosts to permit it`,
    );
    // The socket was created, but its lookup failed: it was handed no address, not even the public one.
    expect(connections).toEqual([{ host: 'rates.example.com', servername: undefined, handed: [] }]);
    expect(received).toEqual([]);
  });

  it('refuses a name that resolves to a private network address, over TLS too', async () => {
    const { lookupHost } = stubResolver({ 'rates.example.com': () => ['10.0.0.7'] });
    const last = await run({ url: 'https://rates.example.com/today' }, { lookupHost });
    expect(last).toMatchObject({ type: 'run.failed', error: { code: 'http.blocked', message: expect.stringContaining('it resolves to 10.0.0.7 (private)') } });
    expect(connections).toEqual([{ host: 'rates.example.com', servername: 'rates.example.com', handed: [] }]);
  });

  it('cannot be rebound to loopback between check and connection', async () => {
    // The name answers a public address first and this machine afterwards. The old guard checked
    // the first answer and let fetch resolve again; now the socket gets the checked answer itself
    // (and the confinement above stops it there, before it leaves the machine).
    const { lookupHost, calls } = stubResolver({ 'rebind.example.com': (call) => (call === 1 ? ['8.8.8.8'] : ['127.0.0.1']) });
    const last = await run({ url: `http://rebind.example.com:${port}/secret` }, { lookupHost });
    expect(calls.get('rebind.example.com')).toBe(1);
    expect(connections).toEqual([{ host: 'rebind.example.com', servername: undefined, handed: ['8.8.8.8'] }]);
    expect(last).toMatchObject({ type: 'run.failed', error: { code: 'http.failed', message: expect.stringContaining('the test stopped a connection to 8.8.8.8') } });
    expect(received).toEqual([]);
  });
});

describe('agent.http allowHosts', () => {
  it('lets a named loopback host through, connecting to the address the resolver gave', async () => {
    const { lookupHost, calls } = stubResolver({ 'printer.lan': () => ['127.0.0.1'] });
    const last = await run({ url: `http://printer.lan:${port}/rates/{{pair}}`, allowHosts: ['printer.lan'] }, { lookupHost });
    expect(last).toMatchObject({ type: 'run.completed', state: { response: { status: 200, body: { path: '/rates/EURUSD', rate: 1.08 } } } });
    // printer.lan exists only in the stub: the request arrived through its one answer.
    expect(calls.get('printer.lan')).toBe(1);
    expect(received).toEqual([{ host: `printer.lan:${port}`, path: '/rates/EURUSD' }]);
    expect(connections).toEqual([{ host: 'printer.lan', servername: undefined, handed: ['127.0.0.1'] }]);
  });

  it('connects TLS to the resolved address but sends SNI and checks the certificate for the host name', async () => {
    const { lookupHost } = stubResolver({ 'printer.lan': () => ['127.0.0.1'] });
    // The listener speaks plain HTTP, so the handshake fails; what matters is how it was started.
    const last = await run({ url: `https://printer.lan:${port}/`, allowHosts: ['printer.lan'], timeoutMs: 2000 }, { lookupHost });
    expect(last).toMatchObject({ type: 'run.failed', error: { code: 'http.failed' } });
    expect(connections).toEqual([{ host: 'printer.lan', servername: 'printer.lan', handed: ['127.0.0.1'] }]);
  });

  it('lets an allowed address through, on the allowed port only', async () => {
    expect(await run({ url: `http://[::1]:${port}/v6`, allowHosts: ['[::1]'] })).toMatchObject({ type: 'run.completed', state: { response: { status: 200 } } });
    expect(await run({ url: `http://127.0.0.1:${port}/v4`, allowHosts: [`127.0.0.1:${port}`] })).toMatchObject({ type: 'run.completed' });
    expect(await run({ url: `http://127.0.0.1:${port}/other-port`, allowHosts: [`127.0.0.1:${port + 1}`] })).toMatchObject({ type: 'run.failed', error: { code: 'http.blocked' } });
    expect(received.map((request) => request.path)).toEqual(['/v6', '/v4']);
  });

  it('checks every redirect hop: an allowed host cannot bounce the request to one that is not', async () => {
    const { lookupHost } = stubResolver({ 'printer.lan': () => ['127.0.0.1'] });
    const last = await run({ url: `http://printer.lan:${port}/hop`, allowHosts: ['printer.lan'] }, { lookupHost });
    expect(last).toMatchObject({ type: 'run.failed', error: { code: 'http.blocked', message: expect.stringContaining(`refused 127.0.0.1:${port}`) } });
    expect(received.map((request) => request.path)).toEqual(['/hop']);
  });
});

describe('agent.http credentials in a URL', () => {
  it('refuses a URL with a user name and password without sending it, and never shows the password', async () => {
    const last = await run({ url: `http://admin:hunter2@127.0.0.1:${port}/private`, allowHosts: ['127.0.0.1'] });
    expect(last).toMatchObject({
      type: 'run.failed',
      nodeId: 'fetch',
      error: { code: 'http.url', message: `node "fetch": http://***@127.0.0.1:${port}/private has a user name or password in it, which is not sent; put credentials in an Authorization header` },
    });
    expect(JSON.stringify(last)).not.toContain('hunter2');
    expect(received).toEqual([]);
  });
});

describe('agent.http response size', () => {
  const allowed = { allowHosts: ['127.0.0.1'] };

  it('reads a body up to the limit', async () => {
    const last = await run({ url: `http://127.0.0.1:${port}/bytes/1000`, ...allowed }, { maxResponseBytes: 1000 });
    expect(last).toMatchObject({ type: 'run.completed', state: { response: { status: 200, body: 'x'.repeat(1000) } } });
  });

  it('fails a body over the limit, naming the node and the limit', async () => {
    const last = await run({ url: `http://127.0.0.1:${port}/bytes/1001`, ...allowed }, { maxResponseBytes: 1000 });
    expect(last).toMatchObject({
      type: 'run.failed',
      nodeId: 'fetch',
      error: { code: 'http.too_large', message: `node "fetch": the response of http://127.0.0.1:${port}/bytes/1001 is larger than the limit of 1000 bytes` },
    });
  });

  it('stops downloading an endless body at the default limit of 10 MiB', async () => {
    const last = await run({ url: `http://127.0.0.1:${port}/endless`, ...allowed });
    expect(last).toMatchObject({ type: 'run.failed', error: { code: 'http.too_large', message: expect.stringContaining('the limit of 10485760 bytes') } });
    await vi.waitFor(() => expect(endlessStreams.at(-1)?.closed).toBe(true));
  });
});

describe('agent.http in a run that stops', () => {
  it('abandons its request, and tries no more, when the run is cancelled', async () => {
    const stop = new AbortController();
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver() });
    const events: RunEvent[] = [];
    const before = hungRequests.length;
    const running = (async () => {
      for await (const event of runtime.compile(httpFlow({ url: `http://127.0.0.1:${port}/hang`, retries: 3, timeoutMs: 60_000, allowHosts: ['127.0.0.1'] })).run({}, { signal: stop.signal })) events.push(event);
    })();
    await vi.waitFor(() => expect(hungRequests.length).toBe(before + 1), { timeout: 10_000 });
    stop.abort('cancelled by the test');
    await running;
    expect(events.at(-1)).toMatchObject({ type: 'run.cancelled' });
    // Its own 60 s time limit would have held the connection open; the run's stop closes it.
    await vi.waitFor(() => expect(hungRequests.at(-1)?.closed).toBe(true), { timeout: 10_000 });
    expect(hungRequests.length).toBe(before + 1);
  });
});
