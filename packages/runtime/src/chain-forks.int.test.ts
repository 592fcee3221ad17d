// A fork of pure branches that meet again runs inside the fused chain before it (lower.ts
// findChains with forks): one step where LangGraph took one per stage of the branches, and the
// same state and node events a debug run, which keeps every node a step of its own, gets. On a
// real LibsqlSaver; a thread started before forks were fused keeps the graph it started with.
import type { RunnableConfig } from '@langchain/core/runnables';
import { MemorySaver, type Checkpoint, type CheckpointMetadata } from '@langchain/langgraph';
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_MODE_CHANNEL } from './build-graph';
import type { Executor } from './executors';
import { FlowRuntime, type RunOptions } from './flow-runtime';
import { lowerFlow } from './lower';
import { checkpointsOf } from './testing/checkpoints';

const at = { x: 0, y: 0 };

type ChannelDefinition = NonNullable<NonNullable<FlowDocumentInput['state']>['channels']>[number];

interface Assign {
  readonly id: string;
  readonly key: string;
  readonly value: string;
}

/** start → each line of assignments → join (waits for all) → end; more forks after the join when given. */
function forked(id: string, channels: ChannelDefinition[], forks: readonly { lines: Assign[][]; join: Assign }[]): FlowDocumentInput {
  const assign = ({ id: nodeId, key, value }: Assign, join?: 'all') => ({
    id: nodeId,
    type: 'agent.assign',
    position: at,
    config: { ...(join ? { join } : {}), assignments: [{ key, value }] },
  });
  const nodes: FlowDocumentInput['nodes'] = [{ id: 'start', type: 'agent.start', position: at }];
  const edges: FlowDocumentInput['edges'] = [];
  const edge = (source: string, target: string) => edges.push({ id: `${source}-${target}`, source, target });
  let from = 'start';
  for (const fork of forks) {
    for (const line of fork.lines) {
      line.forEach((step, index) => {
        nodes.push(assign(step));
        edge(index === 0 ? from : (line[index - 1] as Assign).id, step.id);
      });
      edge((line.at(-1) as Assign).id, fork.join.id);
    }
    nodes.push(assign(fork.join, 'all'));
    from = fork.join.id;
  }
  nodes.push({ id: 'end', type: 'agent.end', position: at });
  edge(from, 'end');
  return { schemaVersion: 1, id, name: id, kind: 'agent', state: { channels }, nodes, edges };
}

const number = (name: string): ChannelDefinition => ({ name, type: 'number' });
const diamond = forked('diamond', [number('left'), number('right'), number('total')], [
  { lines: [[{ id: 'a', key: 'left', value: '1' }], [{ id: 'b', key: 'right', value: '2' }]], join: { id: 'join', key: 'total', value: 'left + right' } },
]);

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** Each node's completions: what it saw and what it wrote, by node, in the order it ran. */
function completions(events: readonly RunEvent[]) {
  const byNode: Record<string, unknown[]> = {};
  for (const event of events) {
    if (event.type === 'node.completed') (byNode[event.nodeId] ??= []).push({ input: event.input, update: event.update });
  }
  return byNode;
}
const finalState = (events: readonly RunEvent[]) => events.flatMap((event) => (event.type === 'run.completed' ? [event.state] : []));
const stepsOf = (events: readonly RunEvent[]) => Object.fromEntries(events.flatMap((event) => (event.type === 'node.started' ? [[event.nodeId, event.step]] : [])));

let dir: string;
let saver: LibsqlSaver;
let runtime: FlowRuntime;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loomflow-chain-forks-'));
  saver = await LibsqlSaver.open(`file:${join(dir, 'runs.db')}`);
  runtime = new FlowRuntime({ checkpointer: saver });
});
afterAll(async () => {
  await saver.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(flow: FlowDocumentInput, options: RunOptions = {}) {
  const events = await collect(runtime.compile(flow).run({}, options));
  return { events, checkpoints: await checkpointsOf(saver, events[0]?.threadId as string) };
}

describe('a fork of pure branches inside a fused chain', () => {
  it('lowers into the chain before it, branches and join included', () => {
    const ir = lowerFlow(diamond);
    expect(ir.forkedChains).toEqual({ chains: [['start', 'a', 'b', 'join', 'end']], forks: { start: { lines: [['a'], ['b']], join: 'join' } } });
    // Threads started before keep these.
    expect(ir.chains).toEqual([['join', 'end']]);
  });

  it('runs in one step, every node reporting once, with the state a debug run gets', async () => {
    const fused = await run(diamond);
    const debug = await run(diamond, { debug: true });
    expect(finalState(fused.events)).toEqual([{ left: 1, right: 2, total: 3 }]);
    expect(finalState(debug.events)).toEqual(finalState(fused.events));
    expect(completions(fused.events)).toEqual(completions(debug.events));
    expect(new Set(Object.values(stepsOf(fused.events)))).toEqual(new Set([1]));
    // The input's checkpoint, the one that schedules the chain, and the chain's.
    expect(fused.checkpoints).toBe(3);
    expect(debug.checkpoints).toBeGreaterThan(fused.checkpoints);
  });

  const cases: [string, FlowDocumentInput][] = [
    [
      // LangGraph applies a step's writes in the order of its tasks' names, not of the edges.
      'branches appending to one list, named against their edge order',
      forked('append', [{ name: 'log', type: 'array', reducer: 'append', default: [] }, number('size')], [
        { lines: [[{ id: 'zeta', key: 'log', value: '"z"' }], [{ id: 'alpha', key: 'log', value: '"a"' }], [{ id: 'mid', key: 'log', value: '"m"' }]], join: { id: 'join', key: 'size', value: 'count(log)' } },
      ]),
    ],
    [
      // The chain's own write to the list starts with the first branch's item, a lone null too.
      'a branch appending null beside one appending a text',
      forked('append-null', [{ name: 'log', type: 'array', reducer: 'append', default: [] }, number('size')], [
        { lines: [[{ id: 'a', key: 'log', value: 'null' }], [{ id: 'b', key: 'log', value: '"b"' }]], join: { id: 'join', key: 'size', value: 'count(log)' } },
      ]),
    ],
    [
      'branches replacing one channel',
      forked('replace', [number('winner'), number('seen')], [
        { lines: [[{ id: 'second', key: 'winner', value: '2' }], [{ id: 'first', key: 'winner', value: '1' }]], join: { id: 'join', key: 'seen', value: 'winner' } },
      ]),
    ],
    [
      // Step by step, x2 runs after y1's step and sees its write; the join waits for x2.
      'lines of different lengths',
      forked('lengths', [number('n'), number('k'), number('m'), number('total')], [
        {
          lines: [
            [
              { id: 'x1', key: 'n', value: '1' },
              { id: 'x2', key: 'm', value: 'n + k' },
            ],
            [{ id: 'y1', key: 'k', value: '10' }],
          ],
          join: { id: 'join', key: 'total', value: 'm * 2' },
        },
      ]),
    ],
    [
      'two forks one after the other',
      forked('twice', [number('a'), number('b'), number('sum'), number('c'), number('d'), number('product')], [
        { lines: [[{ id: 'setA', key: 'a', value: '3' }], [{ id: 'setB', key: 'b', value: '4' }]], join: { id: 'add', key: 'sum', value: 'a + b' } },
        { lines: [[{ id: 'setC', key: 'c', value: 'sum + 1' }], [{ id: 'setD', key: 'd', value: 'sum - 1' }]], join: { id: 'multiply', key: 'product', value: 'c * d' } },
      ]),
    ],
  ];
  it.each(cases)('%s: same state and node events as a debug run, in one step', async (_name, flow) => {
    expect(lowerFlow(flow).forkedChains?.chains).toHaveLength(1);
    const fused = await run(flow);
    const debug = await run(flow, { debug: true });
    expect(finalState(fused.events)).toHaveLength(1);
    expect(finalState(fused.events)).toEqual(finalState(debug.events));
    expect(completions(fused.events)).toEqual(completions(debug.events));
    expect(fused.checkpoints).toBe(3);
  });

  it('orders writes as LangGraph does: the append case ends in name order', async () => {
    const { events } = await run(cases[0]?.[1] as FlowDocumentInput);
    expect(finalState(events)).toEqual([{ log: ['a', 'm', 'z'], size: 3 }]);
  });

  it('fails the run naming the branch that failed, as a debug run does', async () => {
    const failing = forked('failing', [number('left'), number('right'), number('total')], [
      { lines: [[{ id: 'a', key: 'left', value: '1' }], [{ id: 'b', key: 'right', value: 'missing + 1' }]], join: { id: 'join', key: 'total', value: 'left + right' } },
    ]);
    for (const options of [{}, { debug: true }]) {
      const { events } = await run(failing, options);
      const failed = events.at(-1);
      expect(failed).toMatchObject({ type: 'run.failed', nodeId: 'b', error: { code: 'feel' } });
      expect(events.some((event) => event.type === 'node.completed' && event.nodeId === 'join')).toBe(false);
    }
  });

  it('is taken whatever order the drawing lists its nodes in', () => {
    const lengths = cases.find(([name]) => name === 'lines of different lengths')?.[1] as FlowDocumentInput;
    const x1 = lengths.nodes.find((node) => node.id === 'x1') as FlowDocumentInput['nodes'][number];
    const x1First = { ...lengths, nodes: [x1, ...lengths.nodes.filter((node) => node !== x1)] };
    expect(lowerFlow(lengths).forkedChains?.forks).toEqual({ start: { lines: [['x1', 'x2'], ['y1']], join: 'join' } });
    expect(lowerFlow(x1First).forkedChains).toEqual(lowerFlow(lengths).forkedChains);
  });

  it('is not taken where a terminate end event beside the chain may end the process', async () => {
    // pg1 forks into a terminate end and into pg2, a fork of two script tasks meeting at pg3, then a job.
    let jobs = 0;
    const terminating = new FlowRuntime({ checkpointer: saver, serviceTasks: { ship: () => ((jobs += 1), {}) } });
    const node = (id: string, type: string, config?: Record<string, unknown>) => ({ id, type, position: at, ...(config ? { config } : {}) });
    const script = (id: string, script: string, resultVariable: string) => node(id, 'bpmn.scriptTask', { scriptFormat: 'feel', script, resultVariable });
    const flow: FlowDocumentInput = {
      schemaVersion: 1,
      id: 'terminate-beside-fork',
      name: 'terminate beside a fork',
      kind: 'bpmn',
      state: { channels: [number('x'), number('y')] },
      nodes: [
        node('start', 'bpmn.startEvent'),
        node('pg1', 'bpmn.parallelGateway'),
        node('stop', 'bpmn.endEvent', { eventDefinition: { type: 'terminate' } }),
        node('pg2', 'bpmn.parallelGateway'),
        script('s1', '1', 'x'),
        script('s2', '2', 'y'),
        node('pg3', 'bpmn.parallelGateway'),
        node('ship', 'bpmn.serviceTask', { implementation: { kind: 'external', topic: 'ship' } }),
        node('end', 'bpmn.endEvent'),
      ],
      edges: [
        ['start', 'pg1'],
        ['pg1', 'stop'],
        ['pg1', 'pg2'],
        ['pg2', 's1'],
        ['pg2', 's2'],
        ['s1', 'pg3'],
        ['s2', 'pg3'],
        ['pg3', 'ship'],
        ['ship', 'end'],
      ].map(([source, target]) => ({ id: `${source}-${target}`, source: source as string, target: target as string })),
    };
    expect(lowerFlow(flow).forkedChains).toBeUndefined();
    const compiled = terminating.compile(flow);
    const debug = await collect(compiled.run({}, { debug: true }));
    const normal = await collect(compiled.run({}));
    expect(stepsOf(normal)).not.toHaveProperty('s1');
    expect(Object.keys(stepsOf(normal)).sort()).toEqual(Object.keys(stepsOf(debug)).sort());
    expect(finalState(normal)).toEqual([{ x: 0, y: 0 }]);
    expect(jobs).toBe(0);
  });

  it('is not taken by a branch with side effects or a join something else reaches', () => {
    const effectful: FlowDocumentInput = {
      ...diamond,
      id: 'effectful',
      state: { channels: [...(diamond.state?.channels ?? []), { name: 'response', type: 'any' }] },
      nodes: diamond.nodes.map((node) => (node.id === 'b' ? { id: 'b', type: 'agent.http', position: at, config: { method: 'GET', url: 'https://example.com/' } } : node)),
    };
    expect(lowerFlow(effectful).forkedChains).toBeUndefined();
    const reachedTwice: FlowDocumentInput = { ...diamond, id: 'twice', edges: [...(diamond.edges ?? []), { id: 'extra', source: 'start', target: 'join' }] };
    expect(lowerFlow(reachedTwice).forkedChains).toBeUndefined();
  });
});

/** Stores every checkpoint as a thread started before forks were fused stored it: mode `normal`. */
class BeforeForksSaver extends MemorySaver {
  override put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata) {
    const values = checkpoint.channel_values[RUN_MODE_CHANNEL] === 'fused' ? { ...checkpoint.channel_values, [RUN_MODE_CHANNEL]: 'normal' } : checkpoint.channel_values;
    return super.put(config, { ...checkpoint, channel_values: values }, metadata);
  }
}

describe('a sub-flow', () => {
  it('builds only the graph it runs, the one without forks', async () => {
    // The child's assignment's executor is looked up once per graph built (build-graph.ts executorFor).
    let lookups = 0;
    const executors = new Proxy({} as Record<string, Executor>, {
      get: (_target, key) => {
        if (key === 'agent.assign') lookups += 1;
        return undefined;
      },
    });
    const runtimeWithChild = new FlowRuntime({ checkpointer: saver, executors, services: { loadFlow: () => Promise.resolve(diamond) } });
    const parent: FlowDocumentInput = {
      schemaVersion: 1,
      id: 'parent',
      name: 'parent',
      kind: 'agent',
      state: { channels: [number('fromChild')] },
      nodes: [
        { id: 'start', type: 'agent.start', position: at },
        { id: 'call', type: 'agent.subflow', position: at, config: { flowId: 'diamond', outputs: { fromChild: 'total' } } },
        { id: 'end', type: 'agent.end', position: at },
      ],
      edges: [
        { id: 'e0', source: 'start', target: 'call' },
        { id: 'e1', source: 'call', target: 'end' },
      ],
    };
    const events = await collect(runtimeWithChild.compile(parent).run({}));
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { fromChild: 3 } });
    // Three assignments in the child, in the one graph built for its one execution.
    expect(lookups).toBe(3);
  });
});

describe('a thread started before forks were fused', () => {
  it('goes on with the graph it started with, a step per stage of the fork', async () => {
    const old = new FlowRuntime({ checkpointer: new BeforeForksSaver() });
    const compiled = old.compile(diamond);
    const paused = await collect(compiled.run({}, { step: true }));
    expect(paused.at(-1)).toMatchObject({ type: 'interrupt', kind: 'breakpoint', nodeId: 'start' });
    const threadId = paused[0]?.threadId as string;
    const events = await collect(await compiled.resume(threadId, null));
    expect(finalState(events)).toEqual([{ left: 1, right: 2, total: 3 }]);
    const steps = stepsOf(events);
    expect(steps.a).toBe(steps.b);
    expect(steps.a).toBeGreaterThan(steps.start as number);
    expect(steps.join).toBeGreaterThan(steps.a as number);
  });
});
