// MCP servers for tests, started with this Node binary from files already installed: the
// registry's @modelcontextprotocol/server-everything (a devDependency) and a local misbehaving
// server over stdio, and a flooding one over HTTP in the test's own process. Nothing is
// downloaded when a test runs (never `npx`).
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

function binOf(packageName: string): string {
  const manifestPath = require.resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  const [bin] = Object.values(manifest.bin);
  if (bin === undefined) throw new Error(`${packageName} declares no bin`);
  return join(dirname(manifestPath), bin);
}

/** `@modelcontextprotocol/server-everything` over stdio. */
export const everythingServer = () => ({ transport: 'stdio' as const, command: process.execPath, args: [binOf('@modelcontextprotocol/server-everything'), 'stdio'], env: {} });

/** The server of `src/mcp/fixtures/misbehaving-server.mjs` (tools `ping_count`, `hang`, `wait`, `exit`, `flood`). */
export const misbehavingServer = () => ({
  transport: 'stdio' as const,
  command: process.execPath,
  args: [join(dirname(fileURLToPath(import.meta.url)), '../mcp/fixtures/misbehaving-server.mjs')],
  env: {},
});

export interface FloodingServer {
  readonly url: string;
  readonly host: string;
  /** Resolves with the bytes it had written when the client hung up on a flooding answer. */
  readonly hungUp: () => Promise<number>;
  /** How many times a tool was called. */
  readonly callsOf: (tool: string) => number;
  readonly close: () => Promise<void>;
}

/**
 * A hand-written streamable-HTTP MCP server whose tools answer without end: `flood_sse` with one
 * endless SSE `data:` line, `flood_json` with an endless JSON body, `flood_error_sse` with a 500
 * whose event stream has short events without end (the SDK reads an error answer whole).
 * `many_events` sends a hundred 1 KiB progress events with CRLF line ends before its result;
 * `small` answers at once.
 */
export async function startFloodingServer(): Promise<FloodingServer> {
  const hangUps: number[] = [];
  const waiting: ((bytes: number) => void)[] = [];
  const calls = new Map<string, number>();
  const server = createServer((incoming, outgoing) => {
    void (async () => {
      let body = '';
      for await (const chunk of incoming) body += String(chunk);
      if (incoming.method !== 'POST') return void outgoing.writeHead(405).end();
      const message = JSON.parse(body) as { id?: number; method: string; params: { name?: string; protocolVersion?: string } };
      const answer = (result: unknown) => outgoing.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
      if (message.id === undefined) return void outgoing.writeHead(202).end();
      if (message.method === 'initialize') return answer({ protocolVersion: message.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'flooding', version: '1' } });
      if (message.method === 'tools/list') return answer({ tools: ['flood_sse', 'flood_json', 'flood_error_sse', 'many_events', 'small'].map((name) => ({ name, inputSchema: { type: 'object' } })) });
      const tool = message.params.name ?? '';
      calls.set(tool, (calls.get(tool) ?? 0) + 1);
      if (tool === 'small') return answer({ content: [{ type: 'text', text: 'small' }] });
      if (tool === 'many_events') {
        outgoing.writeHead(200, { 'content-type': 'text/event-stream' });
        const progress = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x'.repeat(1024) } });
        for (let index = 0; index < 100; index += 1) outgoing.write(`event: message\r\ndata: ${progress}\r\n\r\n`);
        return void outgoing.end(`event: message\r\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: 'done' }] } })}\r\n\r\n`);
      }
      const sse = tool !== 'flood_json';
      outgoing.writeHead(tool === 'flood_error_sse' ? 500 : 200, { 'content-type': sse ? 'text/event-stream' : 'application/json' });
      outgoing.write(sse ? 'event: message\ndata: ' : `{"jsonrpc":"2.0","id":${message.id},"result":{"content":[{"type":"text","text":"`);
      let written = 0;
      let closed = false;
      outgoing.once('close', () => {
        closed = true;
        const next = waiting.shift();
        if (next) next(written);
        else hangUps.push(written);
      });
      const chunk = tool === 'flood_error_sse' ? Buffer.from('data: x\n\n'.repeat(4096)) : Buffer.alloc(64 * 1024, 'x');
      // Without end, but at the pace the client reads: the flood is in the answer, not in this process.
      const pump = () => {
        while (!closed) {
          written += chunk.length;
          if (!outgoing.write(chunk)) return;
        }
      };
      outgoing.on('drain', pump);
      pump();
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    host: `127.0.0.1:${port}`,
    callsOf: (tool) => calls.get(tool) ?? 0,
    hungUp: () => {
      const bytes = hangUps.shift();
      return bytes === undefined ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve(bytes);
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
