// The service task kinds that reuse the runtime's own parts: sandboxed code (the code sandbox of
// agent.code), an MCP tool (the MCP client pool, against the real server-everything over stdio)
// and another stored flow (the sub-flow machinery), on a real libsql checkpointer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowRuntime } from './flow-runtime';
import { SdkMcpClientPool } from './mcp/mcp-client-pool';
import { everythingServer } from './testing/mcp-servers';

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}
const last = (events: RunEvent[]) => events.at(-1) as RunEvent;
const at = { x: 0, y: 0 };

/** start → a service task with `implementation` → end. */
function serviceTask(id: string, channels: { name: string; type: 'number' | 'string' | 'any' }[], config: Record<string, unknown>): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name: id,
    kind: 'bpmn',
    state: { channels },
    nodes: [
      { id: 'start', type: 'bpmn.startEvent', position: at },
      { id: 'work', type: 'bpmn.serviceTask', position: at, config },
      { id: 'end', type: 'bpmn.endEvent', position: at },
    ],
    edges: [
      { id: 'f1', source: 'start', target: 'work' },
      { id: 'f2', source: 'work', target: 'end' },
    ],
  };
}

let dir: string;
let saver: LibsqlSaver;
const pool = new SdkMcpClientPool();
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loomflow-service-'));
  saver = await LibsqlSaver.open(`file:${join(dir, 'runs.db')}`);
});
afterAll(async () => {
  await pool.close();
  await saver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a service task running sandboxed code', () => {
  it('writes what the code returns to the result variable, or the variables it returns', async () => {
    const runtime = new FlowRuntime({ checkpointer: saver });
    const toResult = serviceTask('code-result', [{ name: 'amount', type: 'number' }, { name: 'gross', type: 'number' }], {
      implementation: { kind: 'code', source: 'return state.amount * 1.2;' },
      resultVariable: 'gross',
    });
    expect(last(await collect(runtime.compile(toResult).run({ amount: 100 })))).toMatchObject({ type: 'run.completed', state: { gross: 120 } });
    const toVariables = serviceTask('code-variables', [{ name: 'amount', type: 'number' }, { name: 'label', type: 'string' }], {
      implementation: { kind: 'code', source: 'return { label: state.amount > 50 ? "big" : "small" };' },
    });
    expect(last(await collect(runtime.compile(toVariables).run({ amount: 100 })))).toMatchObject({ type: 'run.completed', state: { label: 'big' } });
  });

  it('fails naming the node when the code runs past its time limit, in the sandbox and not the host', async () => {
    const runtime = new FlowRuntime({ checkpointer: saver });
    const endless = serviceTask('code-endless', [{ name: 'n', type: 'number' }], { implementation: { kind: 'code', source: 'while (true) {}', timeoutMs: 100 }, resultVariable: 'n' });
    expect(last(await collect(runtime.compile(endless).run({ n: 0 })))).toMatchObject({ type: 'run.failed', nodeId: 'work', error: { code: 'sandbox.timeout' } });
    const escape = serviceTask('code-escape', [{ name: 'n', type: 'any' }], { implementation: { kind: 'code', source: 'return typeof process;' }, resultVariable: 'n' });
    expect(last(await collect(runtime.compile(escape).run({})))).toMatchObject({ type: 'run.completed', state: { n: 'undefined' } });
  });
});

describe('a service task calling an MCP tool', () => {
  it('calls the tool with FEEL arguments and writes its answer to the result variable', async () => {
    const runtime = new FlowRuntime({ checkpointer: saver, hostServices: { mcp: pool } });
    const flow = serviceTask('mcp-echo', [{ name: 'orderId', type: 'string' }, { name: 'echoed', type: 'any' }], {
      implementation: { kind: 'mcp', server: everythingServer(), tool: 'echo', arguments: { message: '"order " + orderId' } },
      resultVariable: 'echoed',
    });
    const events = await collect(runtime.compile(flow).run({ orderId: 'A-17' }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { echoed: 'Echo: order A-17' } });
    expect(events.find((event) => event.type === 'tool.call')).toMatchObject({ nodeId: 'work', name: 'echo', args: { message: 'order A-17' } });
  }, 30_000);

  it('fails naming the node, the server and the tool when the tool reports an error', async () => {
    const runtime = new FlowRuntime({ checkpointer: saver, hostServices: { mcp: pool } });
    const flow = serviceTask('mcp-error', [{ name: 'echoed', type: 'any' }], { implementation: { kind: 'mcp', server: everythingServer(), tool: 'echo', arguments: { message: '42' } }, resultVariable: 'echoed' });
    expect(last(await collect(runtime.compile(flow).run({})))).toMatchObject({
      type: 'run.failed',
      nodeId: 'work',
      error: { code: 'mcp.tool_error', message: expect.stringMatching(/^node "work": tool "echo" of MCP server/) },
    });
  }, 30_000);
});

describe('a service task running another stored flow', () => {
  const called: FlowDocumentInput = {
    ...serviceTask('double', [{ name: 'n', type: 'number' }, { name: 'doubled', type: 'number' }], { implementation: { kind: 'expression', expression: 'n * 2' }, resultVariable: 'doubled' }),
  };

  it('maps variables in and out, as a call activity does', async () => {
    const runtime = new FlowRuntime({ checkpointer: saver, services: { loadFlow: (flowId) => (flowId === 'double' ? Promise.resolve(called) : Promise.reject(new Error(`no flow ${flowId}`))) } });
    const caller = serviceTask('caller', [{ name: 'n', type: 'number' }, { name: 'result', type: 'number' }], {
      implementation: { kind: 'flow', flowId: 'double', inputs: { n: 'n + 1' }, outputs: { result: 'doubled' } },
    });
    expect(last(await collect(runtime.compile(caller).run({ n: 20 })))).toMatchObject({ type: 'run.completed', state: { n: 20, result: 42 } });
  });

  it('fails naming the node when the flow does not exist', async () => {
    const runtime = new FlowRuntime({ checkpointer: saver, services: { loadFlow: (flowId) => Promise.reject(new Error(`no flow ${flowId}`)) } });
    const caller = serviceTask('missing', [{ name: 'n', type: 'number' }], { implementation: { kind: 'flow', flowId: 'nowhere' } });
    expect(last(await collect(runtime.compile(caller).run({ n: 1 })))).toMatchObject({ type: 'run.failed', nodeId: 'work' });
  });
});
