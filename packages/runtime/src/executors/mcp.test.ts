// agent.mcp through the whole runtime, against real stdio MCP servers (server-everything from the
// registry, and the local misbehaving one).
import { MemorySaver } from '@langchain/langgraph';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { afterAll, describe, expect, it } from 'vitest';
import { FlowRuntime } from '../flow-runtime';
import type { HostServices } from '../host-services';
import { SdkMcpClientPool } from '../mcp/mcp-client-pool';
import { everythingServer, misbehavingServer } from '../testing/mcp-servers';
import { chainFlow } from '../testing/flows';
import { callTimeoutMs, mcpResultValue } from './mcp';

const at = { x: 0, y: 0 };

const mcpFlow = (config: Record<string, unknown>): FlowDocumentInput => ({
  ...chainFlow(0),
  state: { channels: [{ name: 'question', type: 'string', default: '' }, { name: 'result', type: 'any' }, { name: 'sum', type: 'any' }] },
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { id: 'tool', type: 'agent.mcp', position: at, config },
    { id: 'end', type: 'agent.end', position: at },
  ],
  edges: [
    { id: 'e0', source: 'start', target: 'tool' },
    { id: 'e1', source: 'tool', target: 'end' },
  ],
});

const pool = new SdkMcpClientPool();
afterAll(() => pool.close());

async function run(config: Record<string, unknown>, input: Record<string, unknown> = {}, hostServices: Partial<HostServices> = { mcp: pool }): Promise<RunEvent[]> {
  const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), hostServices });
  const events: RunEvent[] = [];
  for await (const event of runtime.compile(mcpFlow(config)).run(input)) events.push(event);
  return events;
}

const failureOf = (events: readonly RunEvent[]) => {
  const failed = events.find((event) => event.type === 'node.failed');
  return failed?.type === 'node.failed' ? failed.error : undefined;
};

describe('agent.mcp', () => {
  it('calls a tool with FEEL arguments, writes its text to the output channel and streams the call', async () => {
    const events = await run({ server: everythingServer(), tool: 'echo', arguments: { message: '"Q: " + question' } }, { question: '今天几号' });
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'run.completed', state: { result: 'Echo: Q: 今天几号' } });
    const call = events.find((event) => event.type === 'tool.call');
    const result = events.find((event) => event.type === 'tool.result');
    expect(call).toMatchObject({ nodeId: 'tool', name: 'echo', args: { message: 'Q: 今天几号' } });
    expect(result).toMatchObject({ nodeId: 'tool', name: 'echo', result: 'Echo: Q: 今天几号', isError: false });
    expect(call?.type === 'tool.call' && result?.type === 'tool.result' && call.toolCallId === result.toolCallId).toBe(true);
  }, 30_000);

  it('writes structured content when the tool returns some', async () => {
    const events = await run({ server: everythingServer(), tool: 'get-structured-content', arguments: { location: '"New York"' }, output: 'sum' });
    const last = events.at(-1);
    expect(last?.type).toBe('run.completed');
    expect(last?.type === 'run.completed' && typeof (last.state as { sum: unknown }).sum).toBe('object');
  }, 30_000);

  it('fails the node, naming the node, server and tool, when the tool reports an error', async () => {
    const events = await run({ server: everythingServer(), tool: 'echo', arguments: { message: '42' } });
    const error = failureOf(events);
    expect(error?.code).toBe('mcp.tool_error');
    expect(error?.message).toMatch(/^node "tool": tool "echo" of MCP server ".*server-everything.*" reported an error/);
    expect(events.find((event) => event.type === 'tool.result')).toMatchObject({ isError: true });
    expect(events.at(-1)?.type).toBe('run.failed');
  }, 30_000);

  it('fails the node within its timeout when the server hangs, and the next run works', async () => {
    // Started first, so that the node's time is the call's alone on a loaded machine.
    expect((await run({ server: misbehavingServer(), tool: 'ping_count' })).at(-1)).toMatchObject({ type: 'run.completed', state: { result: '1' } });
    const events = await run({ server: misbehavingServer(), tool: 'hang', nodeTimeoutMs: 4_000 });
    const error = failureOf(events);
    expect(error?.code).toBe('mcp.timeout');
    expect(error?.message).toMatch(/^node "tool": MCP server ".*misbehaving-server.mjs" did not answer tool "hang" within 3600 ms/);
    const next = await run({ server: misbehavingServer(), tool: 'ping_count' });
    expect(next.at(-1)).toMatchObject({ type: 'run.completed', state: { result: '1' } });
  }, 30_000);

  it('fails the node when the server exits mid-call, and starts it again on next use', async () => {
    const events = await run({ server: misbehavingServer(), tool: 'exit' });
    expect(failureOf(events)).toMatchObject({ code: 'mcp.closed' });
    expect(failureOf(events)?.message).toContain('node "tool": MCP server');
    const next = await run({ server: misbehavingServer(), tool: 'ping_count' });
    expect(next.at(-1)).toMatchObject({ type: 'run.completed' });
  }, 30_000);

  it('fails with service.unavailable when the host lends no MCP pool', async () => {
    const events = await run({ server: everythingServer(), tool: 'echo', arguments: { message: '"hi"' } }, {}, {});
    expect(failureOf(events)?.code).toBe('service.unavailable');
  });
});

describe('callTimeoutMs', () => {
  it('ends a call before its node, by 250 ms to 2 s, or after the pool default without a node limit', () => {
    expect(callTimeoutMs(1_000)).toBe(750);
    expect(callTimeoutMs(4_000)).toBe(3_600);
    expect(callTimeoutMs(60_000)).toBe(58_000);
    expect(callTimeoutMs(100)).toBe(1);
    expect(callTimeoutMs(undefined)).toBe(60_000);
  });
});

describe('mcpResultValue', () => {
  it('joins text blocks, keeps other content as blocks, prefers structured content', () => {
    expect(mcpResultValue({ content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] })).toBe('a\nb');
    expect(mcpResultValue({ content: [{ type: 'image' }] })).toEqual([{ type: 'image' }]);
    expect(mcpResultValue({ content: [{ type: 'text', text: 'a' }], structuredContent: { a: 1 } })).toEqual({ a: 1 });
  });
});
