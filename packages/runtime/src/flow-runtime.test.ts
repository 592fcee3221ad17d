import { MemorySaver } from '@langchain/langgraph';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { FlowInvalidError } from './errors';
import { agentExample, chainFlow } from './testing/flows';
import { AnswerRejectedError, FlowRuntime, NotWaitingError } from './flow-runtime';
import { SandboxPool } from './sandbox/sandbox-pool';


async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}
const last = (events: RunEvent[]) => events[events.length - 1] as RunEvent;
const started = (events: RunEvent[]) => events.flatMap((event) => (event.type === 'node.started' ? [event.nodeId] : []));

const runtime = new FlowRuntime({ checkpointer: new MemorySaver() });

const at = { x: 0, y: 0 };
describe('running the examples', () => {
  it('loops until the exit condition holds', async () => {
    const events = await collect(runtime.compile(agentExample('loop-counter')).run({}));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { count: 5 } });
    expect(started(events).filter((id) => id === 'increment')).toHaveLength(5);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
  });

  it('runs parallel branches and joins them once', async () => {
    const events = await collect(runtime.compile(agentExample('parallel-join')).run({ destination: 'Kyoto', days: 2 }));
    expect(started(events).filter((id) => id === 'summary')).toHaveLength(1);
    const done = last(events);
    expect(done.type).toBe('run.completed');
    expect(JSON.stringify(done)).toContain('Kyoto');
  });

  it('maps over a list and collects the results in order', async () => {
    const items = [
      { sku: 'a', quantity: 2, unitPrice: 1.5 },
      { sku: 'b', quantity: 1, unitPrice: 10 },
      { sku: 'c', quantity: 3, unitPrice: 0.1 },
    ];
    const events = await collect(runtime.compile(agentExample('map-over-list')).run({ items }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { results: [{ lineTotal: 3 }, { lineTotal: 10 }, { lineTotal: 0.3 }], total: 13.3 } });
    expect(started(events).filter((id) => id === 'price-line')).toHaveLength(3);
  });

  it('gives a map worker the channels it reads besides its item', async () => {
    const flow: FlowDocumentInput = {
      ...chainFlow(0),
      state: { channels: [{ name: 'items', type: 'array' }, { name: 'factor', type: 'number' }, { name: 'item', type: 'number' }, { name: 'scaled', type: 'number' }, { name: 'results', type: 'array' }] },
      nodes: [
        { id: 'start', type: 'agent.start', position: at },
        { id: 'each', type: 'agent.map', position: at, config: { items: 'items', node: 'scale', collect: 'results' } },
        { id: 'scale', type: 'agent.assign', position: at, config: { assignments: [{ key: 'scaled', value: 'item * factor' }] } },
        { id: 'end', type: 'agent.end', position: at },
      ],
      edges: [
        { id: 'e0', source: 'start', target: 'each' },
        { id: 'e1', source: 'each', target: 'end' },
      ],
    };
    const compiled = runtime.compile(flow);
    expect(compiled.ir.fanOuts[0]?.reads).toEqual(['factor']);
    const events = await collect(compiled.run({ items: [1, 2, 3], factor: 10 }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { results: [{ scaled: 10 }, { scaled: 20 }, { scaled: 30 }] } });
  });

  it('runs code in the sandbox and fills a template', async () => {
    const flow = runtime.compile(agentExample('code-and-template'));
    const events = await collect(flow.run({ lines: [{ price: 10, quantity: 2 }], taxRate: 0.5 }));
    const done = last(events);
    expect(done.type).toBe('run.completed');
    expect(JSON.stringify(done)).toMatch(/Total/);
  });

  it('pauses for a person, refuses a bad answer and finishes with a good one', async () => {
    const flow = runtime.compile(agentExample('human-approval'));
    const events = await collect(flow.run({ orderId: 'A-17', amount: 40 }, { threadId: 'approval-1' }));
    const waiting = last(events);
    expect(waiting).toMatchObject({ type: 'interrupt', nodeId: 'approve', kind: 'human' });
    expect(JSON.stringify(waiting)).toContain('Refund of 40 EUR for order A-17');
    // The request carries the form a BPMN user task would: one labelled field per answer key.
    expect(waiting).toMatchObject({
      payload: {
        fields: [
          { key: 'approved', label: 'Approve the refund', type: 'boolean', required: true },
          { key: 'comment', label: 'Comment for the customer', type: 'string', required: true },
        ],
      },
    });

    await expect(flow.resume('approval-1', { approved: 'yes' })).rejects.toBeInstanceOf(AnswerRejectedError);
    expect((await flow.getState('approval-1')).interrupts).toHaveLength(1);

    const resumed = await collect(await flow.resume('approval-1', { approved: true, comment: 'Sorry for the wait.' }));
    expect(last(resumed)).toMatchObject({ type: 'run.completed', state: { approved: true, reply: expect.stringContaining('on its way') } });
    await expect(flow.resume('approval-1', { approved: true, comment: 'again' })).rejects.toBeInstanceOf(NotWaitingError);
  });
});

describe('graph size and loops', () => {
  it('runs a 200-node chain within the derived recursion limit', async () => {
    const events = await collect(runtime.compile(chainFlow(200)).run({ count: 0 }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { count: 200 } });
  });

  it('ends an endless drawn loop at the recursion limit, naming the loop', async () => {
    const flow: FlowDocumentInput = {
      ...chainFlow(1),
      edges: [
        { id: 'e0', source: 'start', target: 'step0' },
        { id: 'e1', source: 'step0', target: 'check' },
        { id: 'e2', source: 'check', target: 'step0', condition: 'count >= 0' },
        { id: 'e3', source: 'check', target: 'end', isDefault: true },
      ],
      nodes: [...chainFlow(1).nodes, { id: 'check', type: 'agent.condition', position: at }],
    };
    const events = await collect(runtime.compile(flow).run({ count: 0 }, { recursionLimit: 30 }));
    const failed = last(events);
    expect(failed).toMatchObject({ type: 'run.failed', error: { code: 'recursion_limit' } });
    expect(failed.type === 'run.failed' && failed.error.message).toMatch(/step0 → check|check → step0/);
  });
});

describe('bad input and failures', () => {
  it('refuses an invalid flow before running, with the validator’s issues', () => {
    const flow = { ...chainFlow(1), edges: [] };
    expect(() => runtime.compile(flow)).toThrow(FlowInvalidError);
    try {
      runtime.compile(flow);
    } catch (error) {
      expect((error as FlowInvalidError).issues.map((issue) => issue.code)).toContain('unreachable-node');
    }
  });

  it('fails only the node whose sandboxed code misbehaves', async () => {
    const flow: FlowDocumentInput = {
      ...chainFlow(0),
      nodes: [
        { id: 'start', type: 'agent.start', position: at },
        { id: 'escape', type: 'agent.code', position: at, config: { source: "return { count: typeof this.constructor.constructor('return process')() };", timeoutMs: 200 } },
        { id: 'end', type: 'agent.end', position: at },
      ],
      edges: [
        { id: 'e0', source: 'start', target: 'escape' },
        { id: 'e1', source: 'escape', target: 'end' },
      ],
    };
    const events = await collect(runtime.compile(flow).run({}));
    expect(events.find((event) => event.type === 'node.failed')).toMatchObject({ nodeId: 'escape', error: { code: 'sandbox.error' } });
    expect(last(events)).toMatchObject({ type: 'run.failed', nodeId: 'escape' });
    expect(events.map((event) => event.type)).not.toContain('run.completed');
  });

  it('lets a code node update only the channels its writes list', async () => {
    const flowWith = (source: string): FlowDocumentInput => ({
      ...chainFlow(0),
      nodes: [
        { id: 'start', type: 'agent.start', position: at },
        { id: 'count', type: 'agent.code', position: at, config: { source, writes: ['count'] } },
        { id: 'end', type: 'agent.end', position: at },
      ],
      edges: [
        { id: 'e0', source: 'start', target: 'count' },
        { id: 'e1', source: 'count', target: 'end' },
      ],
    });
    const declared = await collect(runtime.compile(flowWith('return { count: state.count + 1 };')).run({ count: 1 }));
    expect(last(declared)).toMatchObject({ type: 'run.completed', state: { count: 2 } });

    const undeclared = await collect(runtime.compile(flowWith('return { count: 1, verdict: "late" };')).run({ count: 1 }));
    expect(last(undeclared)).toMatchObject({ type: 'run.failed', nodeId: 'count', error: { code: 'code.undeclared_write' } });
    const failure = last(undeclared);
    expect(failure.type === 'run.failed' && failure.error.message).toMatch(/returned "verdict", which its writes do not list \(declared: "count"\)/);
  });

  it('fails a run whose condition node finds no edge to take, naming the node', async () => {
    const flow: FlowDocumentInput = {
      ...chainFlow(0),
      nodes: [...chainFlow(0).nodes, { id: 'check', type: 'agent.condition', position: at }],
      edges: [
        { id: 'e0', source: 'start', target: 'check' },
        { id: 'e1', source: 'check', target: 'end', condition: 'count > 10' },
      ],
    };
    const events = await collect(runtime.compile(flow).run({ count: 1 }));
    expect(last(events)).toMatchObject({ type: 'run.failed', nodeId: 'check', error: { code: 'route' } });
  });

  it('names every placeholder a template cannot fill', async () => {
    // Undeclared channels are refused by the validator; declared ones may still lack a value.
    const flow: FlowDocumentInput = {
      ...chainFlow(0),
      state: { channels: [{ name: 'greeting', type: 'string' }, { name: 'user', type: 'object' }] },
      nodes: [
        { id: 'start', type: 'agent.start', position: at },
        { id: 'greet', type: 'agent.template', position: at, config: { template: 'Hello {{user.name}}, {{user.title}}', output: 'greeting' } },
        { id: 'end', type: 'agent.end', position: at },
      ],
      edges: [
        { id: 'e0', source: 'start', target: 'greet' },
        { id: 'e1', source: 'greet', target: 'end' },
      ],
    };
    const events = await collect(runtime.compile(flow).run({}));
    expect(last(events)).toMatchObject({ type: 'run.failed', nodeId: 'greet', error: { code: 'template', message: expect.stringContaining('"user.name", "user.title"') } });
  });

  it('retries a failing node by its policy, then takes its error route', async () => {
    const flow: FlowDocumentInput = {
      ...chainFlow(0),
      state: { channels: [{ name: 'answer', type: 'string' }] },
      nodes: [
        { id: 'start', type: 'agent.start', position: at },
        {
          id: 'flaky',
          type: 'agent.code',
          position: at,
          config: { source: 'throw new Error("service down");', retry: { maxAttempts: 3, initialIntervalMs: 1, backoffFactor: 1 }, onError: 'route' },
        },
        { id: 'fallback', type: 'agent.template', position: at, config: { template: 'later', output: 'answer' } },
        { id: 'end', type: 'agent.end', position: at },
      ],
      edges: [
        { id: 'e0', source: 'start', target: 'flaky' },
        { id: 'e1', source: 'flaky', target: 'end' },
        { id: 'e2', source: 'flaky', target: 'fallback', sourcePort: 'error' },
        { id: 'e3', source: 'fallback', target: 'end' },
      ],
    };
    const events = await collect(runtime.compile(flow).run({}));
    const attempts = events.flatMap((event) => (event.type === 'node.failed' ? [event.attempt] : []));
    expect(attempts).toEqual([1, 2, 3]);
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { answer: 'later' } });
  });

  it('fails a node that outlives its node timeout, apart from its own script limit', async () => {
    const flow: FlowDocumentInput = {
      ...chainFlow(0),
      nodes: [
        { id: 'start', type: 'agent.start', position: at },
        { id: 'slow', type: 'agent.code', position: at, config: { source: 'const until = Date.now() + 300; while (Date.now() < until) {} return {};', timeoutMs: 5000, nodeTimeoutMs: 50 } },
        { id: 'end', type: 'agent.end', position: at },
      ],
      edges: [
        { id: 'e0', source: 'start', target: 'slow' },
        { id: 'e1', source: 'slow', target: 'end' },
      ],
    };
    const events = await collect(runtime.compile(flow).run({}));
    expect(last(events)).toMatchObject({ type: 'run.failed', nodeId: 'slow', error: { code: 'timeout' } });
  });

  it('stops a run when it is cancelled', async () => {
    const flow: FlowDocumentInput = {
      ...chainFlow(0),
      nodes: [
        { id: 'start', type: 'agent.start', position: at },
        { id: 'slow', type: 'agent.code', position: at, config: { source: 'const until = Date.now() + 400; while (Date.now() < until) {} return {};' } },
        { id: 'end', type: 'agent.end', position: at },
      ],
      edges: [
        { id: 'e0', source: 'start', target: 'slow' },
        { id: 'e1', source: 'slow', target: 'end' },
      ],
    };
    const controller = new AbortController();
    setTimeout(() => controller.abort('stop'), 100);
    const events = await collect(runtime.compile(flow).run({}, { signal: controller.signal }));
    expect(last(events)).toMatchObject({ type: 'run.cancelled' });
  });
});

describe('code nodes of concurrent runs', () => {
  /** start → code → end, the code node writing `result`. */
  const codeFlow = (id: string, source: string, timeoutMs: number): FlowDocumentInput => ({
    ...chainFlow(0),
    id,
    state: { channels: [{ name: 'n', type: 'number' }, { name: 'result', type: 'number' }] },
    nodes: [
      { id: 'start', type: 'agent.start', position: at },
      { id: 'code', type: 'agent.code', position: at, config: { source, timeoutMs } },
      { id: 'end', type: 'agent.end', position: at },
    ],
    edges: [
      { id: 'e0', source: 'start', target: 'code' },
      { id: 'e1', source: 'code', target: 'end' },
    ],
  });

  it('keeps a short run whose code waits behind a long run’s code within its own time limit', { timeout: 30_000 }, async () => {
    // One worker, so that the short run's code can only start once the long run's has ended.
    const sandbox = new SandboxPool(1);
    try {
      const shared = new FlowRuntime({ checkpointer: new MemorySaver(), services: { sandbox } });
      const long = shared.compile(codeFlow('long', 'for (;;) {}', 800)).run({})[Symbol.asyncIterator]();
      const longEvents: RunEvent[] = [];
      // Start the short run only once the long run's code node is under way.
      for (let next = await long.next(); !next.done; next = await long.next()) {
        longEvents.push(next.value);
        if (next.value.type === 'node.started' && next.value.nodeId === 'code') break;
      }
      const [rest, short] = await Promise.all([collect({ [Symbol.asyncIterator]: () => long }), collect(shared.compile(codeFlow('short', 'return { result: state.n * 2 };', 200)).run({ n: 21 }))]);
      expect(last([...longEvents, ...rest])).toMatchObject({ type: 'run.failed', nodeId: 'code', error: { code: 'sandbox.timeout' } });
      expect(last(short)).toMatchObject({ type: 'run.completed', state: { result: 42 } });
    } finally {
      await sandbox.close();
    }
  });
});

describe('debugging a thread', () => {
  it('runs a chain of pure steps as one step normally, yet reports every node', async () => {
    const flow = runtime.compile(chainFlow(5));
    const normal = await collect(flow.run({ count: 0 }));
    const debug = await collect(flow.run({ count: 0 }, { debug: true }));
    for (const events of [normal, debug]) {
      expect(started(events)).toEqual(['start', 'step0', 'step1', 'step2', 'step3', 'step4', 'end']);
      expect(last(events)).toMatchObject({ type: 'run.completed', state: { count: 5 } });
    }
    const checkpoints = (events: RunEvent[]) => events.filter((event) => event.type === 'checkpoint').length;
    expect(checkpoints(normal)).toBeLessThan(checkpoints(debug));
  });

  it('keeps a thread in the mode it started in', async () => {
    const flow = runtime.compile(chainFlow(3));
    await collect(flow.run({ count: 0 }, { threadId: 'mode-1', breakpoints: { before: ['step1'] } }));
    // Resuming without breakpoints still steps node by node, so the pause inside the chain resolves.
    const resumed = await collect(await flow.resume('mode-1', null));
    expect(started(resumed)).toEqual(['step1', 'step2', 'end']);
    expect(last(resumed)).toMatchObject({ type: 'run.completed', state: { count: 3 } });
  });

  it('pauses at a breakpoint and continues from it', async () => {
    const flow = runtime.compile(chainFlow(3));
    const events = await collect(flow.run({ count: 0 }, { threadId: 'bp-1', breakpoints: { before: ['step2'] } }));
    expect(last(events)).toMatchObject({ type: 'interrupt', kind: 'breakpoint', nodeId: 'step2' });
    expect((await flow.getState('bp-1')).values).toEqual({ count: 2 });
    const resumed = await collect(await flow.resume('bp-1', null));
    expect(last(resumed)).toMatchObject({ type: 'run.completed', state: { count: 3 } });
  });

  it('steps one node at a time, keeping the breakpoints for later steps', async () => {
    const flow = runtime.compile(chainFlow(4));
    const breakpoints = { before: ['step1', 'step3'] };
    await collect(flow.run({ count: 0 }, { threadId: 'step-1', breakpoints }));
    const stepped = await collect(await flow.resume('step-1', null, { step: true, breakpoints }));
    expect(started(stepped)).toEqual(['step1']);
    expect(last(stepped)).toMatchObject({ type: 'interrupt', kind: 'breakpoint', nodeId: 'step2' });
    const continued = await collect(await flow.resume('step-1', null, { breakpoints }));
    expect(started(continued)).toEqual(['step2']);
    expect(last(continued)).toMatchObject({ type: 'interrupt', kind: 'breakpoint', nodeId: 'step3' });
    expect(last(await collect(await flow.resume('step-1', null, { breakpoints })))).toMatchObject({ type: 'run.completed', state: { count: 4 } });
  });

  it('continues from an earlier checkpoint as a new branch, leaving the first one whole', async () => {
    const flow = runtime.compile(chainFlow(3));
    await collect(flow.run({ count: 0 }, { threadId: 'branch-1', debug: true }));
    const beforeStep2 = (await flow.getHistory('branch-1')).find((state) => state.next.includes('step2'));
    const branch = await collect(await flow.resume('branch-1', null, { checkpointId: beforeStep2?.checkpointId as string, step: true }));
    expect(started(branch)).toEqual(['step2']);
    expect(last(branch)).toMatchObject({ type: 'interrupt', kind: 'breakpoint', nodeId: 'end' });
    const history = await flow.getHistory('branch-1');
    // Both ends stay: the finished first branch and the new one, paused before `end`.
    expect(history.filter((state) => state.next.length === 0 && state.values.count === 3)).toHaveLength(1);
    expect(history.filter((state) => state.parentCheckpointId === beforeStep2?.checkpointId)).toHaveLength(2);
  });

  it('refuses to continue from a checkpoint where the thread had finished', async () => {
    const flow = runtime.compile(chainFlow(1));
    await collect(flow.run({ count: 0 }, { threadId: 'done-1', debug: true }));
    const finished = (await flow.getHistory('done-1'))[0];
    await expect(flow.resume('done-1', null, { checkpointId: finished?.checkpointId as string })).rejects.toBeInstanceOf(NotWaitingError);
  });

  it('lists history and forks from an earlier checkpoint', async () => {
    const flow = runtime.compile(chainFlow(3));
    await collect(flow.run({ count: 0 }, { threadId: 'fork-1', debug: true }));
    const history = await flow.getHistory('fork-1');
    expect(history[0]?.values).toEqual({ count: 3 });
    const afterFirst = history.find((state) => state.values.count === 1 && state.next.includes('step1'));
    expect(afterFirst?.checkpointId).toBeDefined();
    await flow.updateState('fork-1', { count: 100 }, { asNode: 'step0', checkpointId: afterFirst?.checkpointId as string });
    const forked = await collect(await flow.resume('fork-1', null));
    expect(last(forked)).toMatchObject({ type: 'run.completed', state: { count: 102 } });
  });
});

describe('sub-flows', () => {
  it('runs another flow as a subgraph and maps its result back', async () => {
    const child = chainFlow(2);
    const withSubflows = new FlowRuntime({
      checkpointer: new MemorySaver(),
      services: { loadFlow: async (flowId) => (flowId === 'chain' ? child : Promise.reject(new Error(`no flow ${flowId}`))) },
    });
    const parent: FlowDocumentInput = {
      ...chainFlow(0),
      id: 'parent',
      state: { channels: [{ name: 'count', type: 'number' }, { name: 'fromChild', type: 'number' }] },
      nodes: [
        { id: 'start', type: 'agent.start', position: at },
        { id: 'child', type: 'agent.subflow', position: at, config: { flowId: 'chain', inputs: { count: 'count * 10' }, outputs: { fromChild: 'count' } } },
        { id: 'end', type: 'agent.end', position: at },
      ],
      edges: [
        { id: 'e0', source: 'start', target: 'child' },
        { id: 'e1', source: 'child', target: 'end' },
      ],
    };
    const events = await collect(withSubflows.compile(parent).run({ count: 4 }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { count: 4, fromChild: 42 } });
  });
});

describe('the sub-flow example', () => {
  it('prices an order through the code-and-template flow', async () => {
    const withExamples = new FlowRuntime({ checkpointer: new MemorySaver(), services: { loadFlow: async (flowId) => agentExample(flowId) } });
    const events = await collect(
      withExamples.compile(agentExample('checkout-with-subflow')).run({ customer: 'Ada', order: { lines: [{ name: 'Tea', quantity: 2, unitPrice: 5 }] } }),
    );
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { total: 12, message: expect.stringMatching(/^Thank you, Ada!\n/) } });
  });
});

describe('what a host reads of a compiled flow', () => {
  it('names the flow and its nodes', () => {
    const flow = runtime.compile(chainFlow(1));
    expect(flow.flowId).toBe('chain');
    expect(flow.hasNode('step0')).toBe(true);
    expect(flow.hasNode('count')).toBe(false);
  });

  it('projects final values the way run.completed reports them', async () => {
    const flow = runtime.compile({ ...chainFlow(2), state: { channels: [{ name: 'count', type: 'number' }, { name: 'note', type: 'string' }], output: ['count'] } });
    const events = await collect(flow.run({ count: 0, note: 'kept inside' }, { threadId: 'output-1' }));
    // Only the declared output, not `note`, in the event and in the projection alike.
    expect(last(events)).toEqual(expect.objectContaining({ type: 'run.completed', state: { count: 2 } }));
    expect(flow.finalOutput((await flow.getState('output-1')).values)).toEqual({ count: 2 });
  });

  it('projects every declared channel, and no internal one, when the flow declares no output', async () => {
    const flow = runtime.compile({ ...chainFlow(2), state: { channels: [{ name: 'count', type: 'number' }, { name: 'note', type: 'string' }] } });
    const events = await collect(flow.run({ count: 0, note: 'shown' }, { threadId: 'output-2' }));
    expect(last(events)).toEqual(expect.objectContaining({ type: 'run.completed', state: { count: 2, note: 'shown' } }));
    expect(flow.finalOutput({ count: 2, note: 'shown', __loomflow_mode: 'normal' })).toEqual({ count: 2, note: 'shown' });
  });
});
