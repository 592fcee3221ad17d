// A host dies in the middle of a step after a branch's events were stored; the step runs again,
// the service task answers otherwise, and the route takes the other branch (chain tails).
import { MemorySaver } from '@langchain/langgraph';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { FlowRuntime } from './flow-runtime';
import { runEventKey, type RunJournal } from './run-journal';

const at = { x: 0, y: 0 };
function decision(id: string): FlowDocumentInput {
  return {
    schemaVersion: 1, id, name: id, kind: 'bpmn',
    state: { channels: [{ name: 'amount', type: 'number' }, { name: 'score', type: 'number' }] },
    nodes: [
      { id: 'start', type: 'bpmn.startEvent', position: at },
      { id: 'work', type: 'bpmn.serviceTask', position: at, config: { implementation: { kind: 'external', topic: 'score' } } },
      { id: 'gw', type: 'bpmn.exclusiveGateway', position: at },
      { id: 'big', type: 'bpmn.task', position: at },
      { id: 'small', type: 'bpmn.task', position: at },
      { id: 'end_big', type: 'bpmn.endEvent', position: at },
      { id: 'end_small', type: 'bpmn.endEvent', position: at },
    ],
    edges: [
      { id: 'f1', source: 'start', target: 'work' },
      { id: 'f2', source: 'work', target: 'gw' },
      { id: 'f_big', source: 'gw', target: 'big', condition: 'score > 10' },
      { id: 'f_small', source: 'gw', target: 'small', isDefault: true },
      { id: 'f3', source: 'big', target: 'end_big' },
      { id: 'f4', source: 'small', target: 'end_small' },
    ],
  };
}

class DyingJournal implements RunJournal {
  readonly storedKeys = new Set<string>();
  readonly storedCount = 0;
  readonly stored: RunEvent[] = [];
  #dead = false;
  constructor(private readonly dies: (event: RunEvent) => boolean = () => false) {}
  receive(event: RunEvent): boolean {
    if (this.#dead) return false;
    this.stored.push(event);
    const key = runEventKey(event);
    if (key !== undefined) this.storedKeys.add(key);
    this.#dead = this.dies(event);
    return !this.#dead;
  }
  flush(): Promise<void> {
    return this.#dead ? new Promise<void>(() => undefined) : Promise.resolve();
  }
}
async function consume(events: AsyncIterable<RunEvent>, journal: DyingJournal): Promise<void> {
  for await (const event of events) if (!journal.receive(event)) return;
}

describe('a chain tail run again after a crash', () => {
  it('stores the events of the branch the run took', async () => {
    let call = 0;
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), serviceTasks: { score: () => ({ score: call++ === 0 ? 42 : 0 }) } });
    const flow = runtime.compile(decision('crash'));
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
