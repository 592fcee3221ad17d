// A gateway's branch that only leads to the end of the run is taken inside the chain that ends at
// the gateway (lower.ts findChainTails): one step fewer, the same events, on a real LibsqlSaver;
// after a crash that takes the other branch, and after an edit of the thread at the gateway.
import { MemorySaver } from '@langchain/langgraph';
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowRuntime } from './flow-runtime';
import { lowerFlow } from './lower';
import { runEventKey } from './run-journal';
import { checkpointsOf } from './testing/checkpoints';
import { consume, DyingJournal } from './testing/dying-journal';
import { agentExample } from './testing/flows';

const at = { x: 0, y: 0 };

/** start → work (a service task) → gw: `score > 10` → big → end_big, default → small → end_small. */
function decision(id: string, extra: Partial<Pick<FlowDocumentInput, 'nodes' | 'edges'>> = {}, withDefault = true): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name: id,
    kind: 'bpmn',
    state: { channels: [{ name: 'amount', type: 'number' }, { name: 'score', type: 'number' }] },
    nodes: [
      { id: 'start', type: 'bpmn.startEvent', position: at },
      { id: 'work', type: 'bpmn.serviceTask', position: at, config: { implementation: { kind: 'external', topic: 'score' } } },
      { id: 'gw', type: 'bpmn.exclusiveGateway', position: at },
      { id: 'big', type: 'bpmn.task', position: at },
      { id: 'small', type: 'bpmn.task', position: at },
      { id: 'end_big', type: 'bpmn.endEvent', position: at },
      { id: 'end_small', type: 'bpmn.endEvent', position: at },
      ...(extra.nodes ?? []),
    ],
    edges: [
      { id: 'f1', source: 'start', target: 'work' },
      { id: 'f2', source: 'work', target: 'gw' },
      { id: 'f_big', source: 'gw', target: 'big', condition: 'score > 10' },
      { id: 'f_small', source: 'gw', target: 'small', ...(withDefault ? { isDefault: true } : { condition: 'score < 0' }) },
      { id: 'f3', source: 'big', target: 'end_big' },
      { id: 'f4', source: 'small', target: 'end_small' },
      ...(extra.edges ?? []),
    ],
  };
}

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}
const starts = (events: RunEvent[]) => events.flatMap((event) => (event.type === 'node.started' ? [event.nodeId] : []));

let dir: string;
let saver: LibsqlSaver;
let calls = 0;
let runtime: FlowRuntime;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loomflow-chain-tails-'));
  saver = await LibsqlSaver.open(`file:${join(dir, 'runs.db')}`);
  runtime = new FlowRuntime({
    checkpointer: saver,
    serviceTasks: {
      score: ({ variables }) => {
        calls += 1;
        return { score: Number(variables.amount) * 2 };
      },
    },
  });
});
afterAll(async () => {
  await saver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a gateway's branch to the end of the run", () => {
  it('lowers into a tail of the chain that ends at the gateway, for every branch', () => {
    const ir = lowerFlow(decision('tails'));
    expect(ir.chains).toEqual([
      ['start', 'work', 'gw'],
      ['big', 'end_big'],
      ['small', 'end_small'],
    ]);
    expect(ir.chainTails).toEqual({ gw: { big: ['big', 'end_big'], small: ['small', 'end_small'] } });
  });

  it('runs in the chain\'s step, on either branch, each node reporting once and the task called once', async () => {
    for (const [amount, branch] of [
      [21, 'big'],
      [2, 'small'],
    ] as const) {
      const before = calls;
      const threadId = `tails-${branch}`;
      const events = await collect(runtime.compile(decision('tails')).run({ amount }, { threadId, durability: 'sync' }));
      expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { score: amount * 2 } });
      expect(calls - before).toBe(1);
      expect(starts(events)).toEqual(['start', 'work', 'gw', branch, `end_${branch}`]);
      // The branch's events have identities of their own, naming it.
      expect(events.flatMap((event) => (event.type === 'node.started' && event.nodeId === branch ? [runEventKey(event)?.replace(/^task:[^:.]+/, 'task')] : []))).toEqual([`task.tail-${branch}:1:0`]);
      // The input and one step: three checkpoints, where the branch's own step made four.
      expect(await checkpointsOf(saver, threadId)).toBe(3);
    }
  });

  it('keeps a step per node in a debug run, with the same nodes', async () => {
    const events = await collect(runtime.compile(decision('tails')).run({ amount: 21 }, { threadId: 'tails-debug', debug: true }));
    expect(events.at(-1)).toMatchObject({ type: 'run.completed' });
    expect(starts(events)).toEqual(['start', 'work', 'gw', 'big', 'end_big']);
    expect(await checkpointsOf(saver, 'tails-debug')).toBeGreaterThan(5);
  });

  it('fails naming the gateway when no condition holds and it has no default flow, as between steps', async () => {
    const flow = decision('no-default', {}, false);
    expect(lowerFlow(flow).chainTails).toBeDefined();
    for (const debug of [false, true]) {
      const events = await collect(runtime.compile(flow).run({ amount: 2 }, { threadId: `no-default-${String(debug)}`, debug }));
      expect(events.at(-1)).toMatchObject({ type: 'run.failed', nodeId: 'gw', error: { code: 'route' } });
      expect(starts(events)).toEqual(['start', 'work', 'gw']);
    }
  });

  it('is not taken inside the chain when the flow may run two nodes at once, or the branch does not end the run', () => {
    // A parallel split elsewhere: a route inside a chain would not see the other branch's writes.
    const parallel = decision('parallel', {
      nodes: [
        { id: 'fork', type: 'bpmn.parallelGateway', position: at },
        { id: 'side', type: 'bpmn.task', position: at },
        { id: 'end_side', type: 'bpmn.endEvent', position: at },
      ],
      edges: [],
    });
    const forked = {
      ...parallel,
      edges: [
        ...(parallel.edges ?? []).filter((edge) => edge.id !== 'f1'),
        { id: 'f0', source: 'start', target: 'fork' },
        { id: 'f1', source: 'fork', target: 'work' },
        { id: 'f5', source: 'fork', target: 'side' },
        { id: 'f6', source: 'side', target: 'end_side' },
      ],
    };
    expect(lowerFlow(forked).chainTails).toBeUndefined();
    // A branch that a person must finish first is no tail; the other branch still is.
    const waiting = decision('waiting', { nodes: [{ id: 'approve', type: 'bpmn.userTask', position: at }], edges: [] });
    const rewired = {
      ...waiting,
      edges: [...(waiting.edges ?? []).filter((edge) => edge.id !== 'f3'), { id: 'f3', source: 'big', target: 'approve' }, { id: 'f7', source: 'approve', target: 'end_big' }],
    };
    expect(lowerFlow(rewired).chainTails).toEqual({ gw: { small: ['small', 'end_small'] } });
  });
});

describe('a chain tail run again after a crash', () => {
  it('stores the events of the branch the run took', async () => {
    let call = 0;
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), serviceTasks: { score: () => ({ score: call++ === 0 ? 42 : 0 }) } });
    const flow = runtime.compile(decision('crash'));
    // The host dies once the branch the first answer chose has stored an event.
    const first = new DyingJournal((event) => event.type === 'node.completed' && event.nodeId === 'big');
    await consume(flow.run({ amount: 1 }, { threadId: 't1', runId: 'r1', journal: first }), first);
    const continued = new DyingJournal();
    for (const key of first.storedKeys) continued.storedKeys.add(key);
    await consume(await flow.resume('t1', null, { runId: 'r1', journal: continued }), continued);
    const log = [...first.stored, ...continued.stored];
    const last = log.at(-1) as unknown as { type: string; state: { score: number } };
    expect(last.type).toBe('run.completed');
    const completed = log.flatMap((event) => (event.type === 'node.completed' ? [event.nodeId] : []));
    // The branch the state took is all there; the one the first attempt ran before the host died
    // stays before it, as a node with side effects that ran twice shows both runs.
    expect(last.state.score).toBe(0);
    expect(completed.filter((nodeId) => ['big', 'end_big', 'small', 'end_small'].includes(nodeId))).toEqual(['big', 'small', 'end_small']);
  });
});

describe('an edit as the routing node of a chain with tails', () => {
  it('goes on where the route leads', async () => {
    const flow = new FlowRuntime({ checkpointer: new MemorySaver() }).compile(agentExample('loop-counter'));
    await collect(flow.run({}, { threadId: 'fork' }));
    const history = await flow.getHistory('fork');
    const afterTwo = history.find((state) => state.values.count === 2);
    expect(afterTwo).toBeDefined();
    await flow.updateState('fork', { count: 0 }, { asNode: 'check', checkpointId: afterTwo?.checkpointId as string });
    const state = await flow.getState('fork');
    // Next is the gateway's route, taken on the edited count.
    expect(state.next).toEqual(['check']);
    const forked = await collect(await flow.resume('fork', null));
    expect(forked.at(-1)).toMatchObject({ type: 'run.completed', state: { count: 5 } });
  });
});
