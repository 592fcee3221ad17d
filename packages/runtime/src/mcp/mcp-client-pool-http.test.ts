// The pool over streamable HTTP, against server-everything's own HTTP transport in a child
// process on a loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everythingServer } from '../testing/mcp-servers';
import { McpPoolError, SdkMcpClientPool } from './mcp-client-pool';

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

  it('reports a server that is not there, naming its URL without credentials', async () => {
    const port = await freePort();
    const error = await pool.listTools({ transport: 'http', url: `http://user:secret@127.0.0.1:${port}/mcp?key=secret`, allowHosts: [`127.0.0.1:${port}`] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpPoolError);
    expect((error as McpPoolError).code).toBe('mcp.connect');
    expect((error as McpPoolError).message).toContain(`"http://127.0.0.1:${port}/mcp"`);
    expect((error as McpPoolError).message).not.toContain('secret');
  }, 30_000);
});
