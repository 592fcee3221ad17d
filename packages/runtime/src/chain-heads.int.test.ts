// A node with side effects that may head a fused chain (its type's `headsChain` trait): a BPMN
// service task followed by pure nodes runs as one step, on a real
// libsql checkpointer, and a node that needs its own step still gets one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowRuntime } from './flow-runtime';
import { lowerFlow } from './lower';
import { runEventKey, type RunJournal } from './run-journal';

const at = { x: 0, y: 0 };

/** start → a service task (`work`) → a plain task → end; `extra` adds nodes and edges. */
function process(id: string, implementation: Record<string, unknown>, extra: Partial<Pick<FlowDocumentInput, 'nodes' | 'edges'>> = {}): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name: id,
    kind: 'bpmn',
    state: { channels: [{ name: 'amount', type: 'number' }, { name: 'score', type: 'number' }] },
    nodes: [
      { id: 'start', type: 'bpmn.startEvent', position: at },
      { id: 'work', type: 'bpmn.serviceTask', position: at, config: { implementation } },
      { id: 'record', type: 'bpmn.task', position: at },
      { id: 'end', type: 'bpmn.endEvent', position: at },
      ...(extra.nodes ?? []),
    ],
    edges: [
      { id: 'f1', source: 'start', target: 'work' },
      { id: 'f2', source: 'work', target: 'record' },
      { id: 'f3', source: 'record', target: 'end' },
      ...(extra.edges ?? []),
    ],
  };
}

const job = { kind: 'external', topic: 'score' };

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}
const starts = (events: RunEvent[]) => events.flatMap((event) => (event.type === 'node.started' ? [`${event.nodeId}#${event.attempt}`] : []));

let dir: string;
let saver: LibsqlSaver;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loomflow-chain-heads-'));
  saver = await LibsqlSaver.open(`file:${join(dir, 'runs.db')}`);
});
afterAll(async () => {
  await saver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a service task in a chain', () => {
  it('lowers into one chain with the pure nodes before and after it', () => {
    const ir = lowerFlow(process('heads', job));
    expect(ir.nodes.find((node) => node.id === 'work')?.headsChain).toBe(true);
    expect(ir.chains).toEqual([['start', 'work', 'record', 'end']]);
  });

  it('shares a chain with no other node with side effects: the next one heads a chain of its own', () => {
    const twice = process('twice', job, { nodes: [{ id: 'work2', type: 'bpmn.serviceTask', position: at, config: { implementation: job } }], edges: [] });
    const rewired = { ...twice, edges: [...(twice.edges ?? []).filter((edge) => edge.id !== 'f2'), { id: 'f2', source: 'work', target: 'work2' }, { id: 'f5', source: 'work2', target: 'record' }] };
    expect(lowerFlow(rewired).chains).toEqual([
      ['start', 'work'],
      ['work2', 'record', 'end'],
    ]);
  });

  it('stays alone when it runs another flow, or when a boundary event or error route needs its own step', () => {
    expect(lowerFlow(process('subflow', { kind: 'flow', flowId: 'other' })).chains).toEqual([['record', 'end']]);
    const caught = process('caught', job, {
      nodes: [
        { id: 'failed', type: 'bpmn.boundaryEvent', position: at, config: { attachedTo: 'work', eventDefinition: { type: 'error' } } },
        { id: 'end-failed', type: 'bpmn.endEvent', position: at },
      ],
      edges: [{ id: 'f4', source: 'failed', target: 'end-failed' }],
    });
    expect(lowerFlow(caught).chains).toEqual([['record', 'end']]);
  });

  it('runs as one step with the start event, each node reporting once', async () => {
    let calls = 0;
    const runtime = new FlowRuntime({
      checkpointer: saver,
      serviceTasks: {
        score: ({ variables }) => {
          calls += 1;
          return { score: Number(variables.amount) * 2 };
        },
      },
    });
    const events = await collect(runtime.compile(process('one-step', job)).run({ amount: 21 }, { threadId: 'one-step-1', durability: 'sync' }));
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { score: 42 } });
    expect(calls).toBe(1);
    expect(starts(events)).toEqual(['start#1', 'work#1', 'record#1', 'end#1']);
    // Running the step again repeats the pure nodes' events under the same keys (so a journal
    // stores them once), those after the task under keys of their own; the task's are never keyed.
    const keys = events.flatMap((event) => (event.type === 'node.started' ? [[event.nodeId, runEventKey(event)?.replace(/^task:[^:.]+/, 'task')]] : []));
    expect(keys).toEqual([
      ['start', 'task:1:0'],
      ['work', undefined],
      ['record', 'task.1:1:0'],
      ['end', 'task.1:1:2'],
    ]);
    // The input and the chain: two steps, so three checkpoints.
    const history: unknown[] = [];
    for await (const checkpoint of saver.list({ configurable: { thread_id: 'one-step-1' } })) history.push(checkpoint);
    expect(history).toHaveLength(3);
  });

  it('fails naming the pure node after it that failed, having run the task once', async () => {
    let calls = 0;
    const runtime = new FlowRuntime({
      checkpointer: saver,
      serviceTasks: {
        score: () => {
          calls += 1;
          return { score: 5 };
        },
      },
    });
    const broken = process('broken-after', job, {
      nodes: [{ id: 'check', type: 'bpmn.scriptTask', position: at, config: { scriptFormat: 'feel', script: 'score + 1' } }],
      edges: [],
    });
    const rewired = { ...broken, edges: [...(broken.edges ?? []).filter((edge) => edge.id !== 'f2'), { id: 'f2', source: 'work', target: 'check' }, { id: 'f5', source: 'check', target: 'record' }] };
    expect(lowerFlow(rewired).chains).toEqual([['start', 'work', 'check', 'record', 'end']]);
    // With a journal, as the server runs: the step's events are stored before its failure ends it.
    const journal: RunJournal = { storedKeys: new Set(), storedCount: 0, flush: () => Promise.resolve() };
    const events = await collect(runtime.compile(rewired).run({ amount: 1 }, { threadId: 'broken-after-1', journal }));
    expect(events.at(-1)).toMatchObject({ type: 'run.failed', nodeId: 'check', error: { code: 'bpmn.result' } });
    expect(calls).toBe(1);
    expect(events.some((event) => event.type === 'node.completed' && event.nodeId === 'work')).toBe(true);
    expect(events.some((event) => event.type === 'node.failed' && event.nodeId === 'check')).toBe(true);
  });
});
