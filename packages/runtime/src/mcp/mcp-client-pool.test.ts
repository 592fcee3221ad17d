// The pool against real stdio MCP servers: the registry's server-everything, and a local server
// whose tools hang, exit or flood on purpose.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { everythingServer, misbehavingServer } from '../testing/mcp-servers';
import { McpPoolError, SdkMcpClientPool } from './mcp-client-pool';

const pools: SdkMcpClientPool[] = [];
const newPool = (...args: ConstructorParameters<typeof SdkMcpClientPool>) => {
  const pool = new SdkMcpClientPool(...args);
  pools.push(pool);
  return pool;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

async function failureOf(promise: Promise<unknown>): Promise<McpPoolError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(McpPoolError);
  return error as McpPoolError;
}

/** Whether a process exists (signal 0 only checks). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const textOf = (result: unknown): string => ((result as { content: { type: string; text: string }[] }).content[0]?.text ?? '');

describe('SdkMcpClientPool with @modelcontextprotocol/server-everything', () => {
  it('lists its tools, calls echo, and keeps one connection for both', async () => {
    const pool = newPool();
    const tools = await pool.listTools(everythingServer());
    const echo = tools.find((tool) => tool.name === 'echo');
    expect(echo?.inputSchema).toMatchObject({ type: 'object', properties: { message: { type: 'string' } } });
    expect(tools.map((tool) => tool.name)).toContain('get-sum');

    const result = await pool.callTool(everythingServer(), 'echo', { message: '你好 MCP' });
    expect(textOf(result)).toBe('Echo: 你好 MCP');
    expect(pool.size).toBe(1);
  }, 30_000);

  it('returns a tool error as the tool result the server sent', async () => {
    const pool = newPool();
    const result = (await pool.callTool(everythingServer(), 'echo', { message: 42 })) as { isError?: boolean };
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/message/);
  }, 30_000);

  it('reports an unknown tool naming the server and the tool', async () => {
    const pool = newPool();
    const result = await pool.callTool(everythingServer(), 'no-such-tool', {}).catch((error: unknown) => error);
    // Servers answer an unknown tool either as a protocol error or as a tool error result.
    if (result instanceof McpPoolError) {
      expect(result.message).toContain('"no-such-tool"');
      expect(result.message).toContain('MCP server');
    } else {
      expect((result as { isError?: boolean }).isError).toBe(true);
      expect(textOf(result)).toContain('no-such-tool');
    }
  }, 30_000);
});

describe('SdkMcpClientPool with a misbehaving server', () => {
  it('fails a call that hangs within its time limit, then starts the server again', async () => {
    const pool = newPool();
    const marker = join(mkdtempSync(join(tmpdir(), 'mcp-hang-')), 'marker');
    const server = { ...misbehavingServer(), env: { HANG_MARKER: marker } };
    expect(textOf(await pool.callTool(server, 'ping_count', {}))).toBe('1');
    const failure = await failureOf(pool.callTool(server, 'hang', {}, { timeoutMs: 300 }));
    expect(failure.code).toBe('mcp.timeout');
    expect(failure.message).toContain('did not answer tool "hang" within 300 ms');
    // The spinning process is killed, not left to the SDK's graceful close, which it ignores.
    const pid = Number(readFileSync(marker, 'utf8'));
    await vi.waitFor(() => expect(isAlive(pid)).toBe(false), { timeout: 10_000 });
    // A new process: its call count starts again.
    expect(textOf(await pool.callTool(server, 'ping_count', {}))).toBe('1');
  }, 30_000);

  it('fails a call whose server exits mid-call, quoting its stderr, and works again on next use', async () => {
    const pool = newPool();
    expect(textOf(await pool.callTool(misbehavingServer(), 'ping_count', {}))).toBe('1');
    const failure = await failureOf(pool.callTool(misbehavingServer(), 'exit', {}));
    expect(failure.code).toBe('mcp.closed');
    expect(failure.message).toContain('closed the connection during tool "exit"');
    expect(failure.retryable).toBe(true);
    expect(textOf(await pool.callTool(misbehavingServer(), 'ping_count', {}))).toBe('1');
  }, 30_000);

  it('drops a server that floods its output, keeping only bounded parts of it', async () => {
    const pool = newPool({ maxMessageBytes: 256 * 1024, stderrTailChars: 100 });
    const failure = await failureOf(pool.callTool(misbehavingServer(), 'flood', {}, { timeoutMs: 20_000 }));
    expect(failure.code).toBe('mcp.closed');
    expect(failure.message).toContain(`exceeded maximum size of ${256 * 1024} bytes`);
    expect(failure.message.length).toBeLessThan(1_000);
    expect(textOf(await pool.callTool(misbehavingServer(), 'ping_count', {}))).toBe('1');
  }, 30_000);

  it('cancels a waiting call when its signal aborts', async () => {
    const pool = newPool();
    const controller = new AbortController();
    const call = pool.callTool(misbehavingServer(), 'wait', {}, { signal: controller.signal, timeoutMs: 20_000 });
    // Aborted once the server is connected and the call is on its way.
    await pool.listTools(misbehavingServer());
    controller.abort(new Error('run cancelled'));
    const failure = await failureOf(call);
    expect(failure.code).toBe('mcp.aborted');
    expect(failure.message).toContain('run cancelled');
    // The server still answers a ping, so the same process serves the next call.
    expect(textOf(await pool.callTool(misbehavingServer(), 'ping_count', {}))).toBe('1');
    expect(textOf(await pool.callTool(misbehavingServer(), 'ping_count', {}))).toBe('2');
  }, 30_000);

  it('stops a server that does not answer a ping after a cancelled call, and starts it again', async () => {
    const pool = newPool({ probeTimeoutMs: 200 });
    const marker = join(mkdtempSync(join(tmpdir(), 'mcp-hang-')), 'marker');
    const server = { ...misbehavingServer(), env: { HANG_MARKER: marker } };
    expect(textOf(await pool.callTool(server, 'ping_count', {}))).toBe('1');
    const controller = new AbortController();
    const call = pool.callTool(server, 'hang', {}, { signal: controller.signal, timeoutMs: 20_000 });
    await vi.waitFor(() => expect(existsSync(marker)).toBe(true), { timeout: 10_000 });
    controller.abort(new Error('node timed out'));
    expect((await failureOf(call)).code).toBe('mcp.aborted');
    expect(textOf(await pool.callTool(server, 'ping_count', {}))).toBe('1');
  }, 30_000);

  it('reports a command that cannot start', async () => {
    const pool = newPool();
    const failure = await failureOf(pool.listTools({ transport: 'stdio', command: '/nonexistent/mcp-server', args: [], env: {} }));
    expect(failure.code).toBe('mcp.connect');
    expect(failure.message).toContain('"/nonexistent/mcp-server"');
    expect(pool.size).toBe(0);
  }, 30_000);

  it('ends its server processes on close', async () => {
    const pool = newPool();
    await pool.callTool(misbehavingServer(), 'ping_count', {});
    expect(pool.size).toBe(1);
    await pool.close();
    expect(pool.size).toBe(0);
    const failure = await failureOf(pool.callTool(misbehavingServer(), 'ping_count', {}));
    expect(failure.code).toBe('mcp.closed');
  }, 30_000);
});

describe('SdkMcpClientPool: where servers may come from', () => {
  it('refuses inline command lines when the host does not allow them', async () => {
    const pool = newPool({ allowInlineStdio: false });
    const failure = await failureOf(pool.listTools(misbehavingServer()));
    expect(failure.code).toBe('mcp.refused');
    expect(failure.retryable).toBe(false);
  });

  it('starts a registered server from the command the host resolves', async () => {
    const { command, args } = misbehavingServer();
    const pool = newPool({ allowInlineStdio: false, resolveRegistered: async (name) => (name === 'probe' ? { command, args, env: {} } : undefined) });
    expect(textOf(await pool.callTool({ transport: 'registered', name: 'probe' }, 'ping_count', {}))).toBe('1');
    const failure = await failureOf(pool.callTool({ transport: 'registered', name: 'other' }, 'ping_count', {}));
    expect(failure.code).toBe('mcp.unregistered');
    expect(failure.message).toContain('"other"');
  }, 30_000);

  it('says registered servers need a host that registers them', async () => {
    const failure = await failureOf(newPool().listTools({ transport: 'registered', name: 'files' }));
    expect(failure.code).toBe('mcp.unregistered');
    expect(failure.message).toContain('this host has no registered MCP servers');
  });
});
