// Activities that run more than once (multi-instance and standard loops) and business rule
// decisions, run on a real libsql checkpointer: parallel user tasks wait at once, one task each,
// and a completion condition closes the instances still open.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import { readHumanRequest, type FlowDocumentInput, type RunEvent } from '@loomflow/graph-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowInvalidError } from './errors';
import { FlowRuntime, type CompiledFlow } from './flow-runtime';

const example = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '../../../examples/bpmn', `${name}.json`), 'utf8')) as FlowDocumentInput;

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}
const last = (events: RunEvent[]) => events.at(-1) as RunEvent;

let dir: string;
let saver: LibsqlSaver;
let runtime: FlowRuntime;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loomflow-loops-'));
  saver = await LibsqlSaver.open(`file:${join(dir, 'runs.db')}`);
  runtime = new FlowRuntime({ checkpointer: saver });
});
afterAll(async () => {
  await saver.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The open user tasks of a thread, by assignee. */
async function openTasks(flow: CompiledFlow, threadId: string) {
  const { interrupts } = await flow.getState(threadId);
  return new Map(interrupts.map((pending) => [readHumanRequest(pending.payload)?.assignee ?? '', pending.interruptId]));
}

describe('the countersign example (会签)', () => {
  const approvers = ['alice', 'bob', 'carol'];

  it('gives every approver a task at once, and publishes once all of them approved', async () => {
    const flow = runtime.compile(example('countersign'));
    const first = await collect(flow.run({ title: 'New office', approvers }, { threadId: 'all-approve' }));
    const interrupts = first.filter((event) => event.type === 'interrupt');
    expect(interrupts.map((event) => readHumanRequest(event.payload)?.assignee).sort()).toEqual(approvers);
    let tasks = await openTasks(flow, 'all-approve');
    expect([...tasks.keys()].sort()).toEqual(approvers);
    // Answered out of order: the collection keeps the approvers' order.
    for (const who of ['carol', 'alice']) {
      const events = await collect(await flow.resume('all-approve', { approved: true }, { interruptId: tasks.get(who) as string }));
      expect(last(events).type).toBe('interrupt');
      tasks = await openTasks(flow, 'all-approve');
    }
    expect([...tasks.keys()]).toEqual(['bob']);
    const events = await collect(await flow.resume('all-approve', { approved: true, comment: 'ok' }, { interruptId: tasks.get('bob') as string }));
    expect(last(events)).toMatchObject({
      type: 'run.completed',
      state: {
        outcome: 'approved',
        publication: 'Published: New office',
        approvals: approvers.map((approver) => ({ approver, approved: true })),
      },
    });
  });

  it('closes the tasks still open at the first rejection, and rejects the proposal', async () => {
    const flow = runtime.compile(example('countersign'));
    await collect(flow.run({ title: 'Yacht', approvers }, { threadId: 'one-rejects' }));
    const tasks = await openTasks(flow, 'one-rejects');
    await collect(await flow.resume('one-rejects', { approved: true }, { interruptId: tasks.get('alice') as string }));
    const pending = await openTasks(flow, 'one-rejects');
    expect(await flow.instancesClosedBy('one-rejects', { interruptId: pending.get('bob') as string, nodeId: 'countersign', payload: (await flow.getState('one-rejects')).interrupts.find((i) => i.interruptId === pending.get('bob'))?.payload }, { approved: false })).toEqual([pending.get('carol')]);
    const events = await collect(await flow.resume('one-rejects', { approved: false }, { interruptId: pending.get('bob') as string }));
    expect(last(events)).toMatchObject({
      type: 'run.completed',
      state: { outcome: 'rejected', publication: '', approvals: [{ approver: 'alice', approved: true }, { approver: 'bob', approved: false }, null] },
    });
    expect((await flow.getState('one-rejects')).interrupts).toEqual([]);
    const done = events.find((event) => event.type === 'node.completed' && event.nodeId === 'countersign' && (event.output as { numberOfClosedInstances?: number }).numberOfClosedInstances !== undefined);
    expect(done).toMatchObject({ output: { numberOfInstances: 3, numberOfCompletedInstances: 2, numberOfClosedInstances: 1 } });
  });

  it('runs no instance for an empty list and rejects what nobody approved', async () => {
    const events = await collect(runtime.compile(example('countersign')).run({ title: 'Nothing', approvers: [] }, { threadId: 'nobody' }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { outcome: 'rejected', approvals: [] } });
  });
});

const at = { x: 0, y: 0 };
type Drawn = { id: string; type: string; config?: Record<string, unknown>; name?: string };

/** start → the given activity → end, over the given channels. */
function around(id: string, channels: { name: string; type: 'number' | 'array' | 'string' | 'object' | 'any' }[], activity: Drawn): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name: id,
    kind: 'bpmn',
    state: { channels },
    nodes: [{ id: 'start', type: 'bpmn.startEvent' }, activity, { id: 'end', type: 'bpmn.endEvent' }].map((node) => ({ ...node, position: at })),
    edges: [
      { id: 'f1', source: 'start', target: activity.id },
      { id: 'f2', source: activity.id, target: 'end' },
    ],
  };
}

describe('multi-instance activities', () => {
  it('closes the other open tasks at the first approval (或签) and keeps the approver who decided', async () => {
    const flow = runtime.compile(
      around('or-sign', [{ name: 'approvers', type: 'array' }, { name: 'approvals', type: 'array' }], {
        id: 'sign',
        type: 'bpmn.userTask',
        config: {
          assignee: '=approver',
          formFields: [{ key: 'approved', label: 'Approve', type: 'boolean', required: true }],
          loop: { type: 'multiInstance', collection: 'approvers', elementVariable: 'approver', outputCollection: 'approvals', outputElement: 'approver', completionCondition: 'approved' },
        },
      }),
    );
    await collect(flow.run({ approvers: ['ann', 'ben', 'cid', 'dan'] }, { threadId: 'or-sign' }));
    let tasks = await openTasks(flow, 'or-sign');
    expect(tasks.size).toBe(4);
    // A refusal does not complete the activity: the others stay open.
    await collect(await flow.resume('or-sign', { approved: false }, { interruptId: tasks.get('ann') as string }));
    tasks = await openTasks(flow, 'or-sign');
    expect([...tasks.keys()].sort()).toEqual(['ben', 'cid', 'dan']);
    const events = await collect(await flow.resume('or-sign', { approved: true }, { interruptId: tasks.get('cid') as string }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { approvals: ['ann', null, 'cid', null] } });
  });

  it('runs a sequential multi-instance one instance at a time over a cardinality, until its completion condition holds', async () => {
    const flow = runtime.compile(
      around('sequential', [{ name: 'results', type: 'array' }], {
        id: 'each',
        type: 'bpmn.scriptTask',
        config: {
          scriptFormat: 'feel',
          script: 'loopCounter * 10',
          resultVariable: 'results',
          loop: { type: 'multiInstance', sequential: true, cardinality: '5', outputCollection: 'results', outputElement: 'results', completionCondition: 'numberOfCompletedInstances = 3' },
        },
      }),
    );
    const events = await collect(flow.run({}, { threadId: 'sequential' }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { results: [10, 20, 30, null, null] } });
    // One instance per step: each started after the previous one completed.
    const instanceSteps = events.filter((event) => event.type === 'node.started' && event.nodeId === 'each').length;
    expect(instanceSteps).toBe(1 + 3 + 1);
  });

  it('asks each person of a sequential user task in turn, the next only after the previous answered', async () => {
    const flow = runtime.compile(
      around('sequential-people', [{ name: 'reviewers', type: 'array' }, { name: 'reviews', type: 'array' }], {
        id: 'review',
        type: 'bpmn.userTask',
        config: {
          assignee: '=reviewer',
          formFields: [{ key: 'score', label: 'Score', type: 'number', required: true }],
          loop: { type: 'multiInstance', sequential: true, collection: 'reviewers', elementVariable: 'reviewer', outputCollection: 'reviews', outputElement: 'score' },
        },
      }),
    );
    await collect(flow.run({ reviewers: ['ann', 'ben'] }, { threadId: 'sequential-people' }));
    expect([...(await openTasks(flow, 'sequential-people')).keys()]).toEqual(['ann']);
    await collect(await flow.resume('sequential-people', { score: 4 }));
    expect([...(await openTasks(flow, 'sequential-people')).keys()]).toEqual(['ben']);
    const events = await collect(await flow.resume('sequential-people', { score: 5 }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { reviews: [4, 5] } });
  });

  it('runs parallel service task instances over a collection without racing on a variable', async () => {
    const flow = runtime.compile(
      around('parallel-service', [{ name: 'prices', type: 'array' }, { name: 'gross', type: 'number' }, { name: 'grossPrices', type: 'array' }], {
        id: 'tax',
        type: 'bpmn.serviceTask',
        config: {
          implementation: { kind: 'expression', expression: 'price * 1.2' },
          resultVariable: 'gross',
          loop: { type: 'multiInstance', collection: 'prices', elementVariable: 'price', outputCollection: 'grossPrices', outputElement: 'gross' },
        },
      }),
    );
    const events = await collect(flow.run({ prices: [10, 20, 30] }, { threadId: 'parallel-service' }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { grossPrices: [12, 24, 36], gross: 0 } });
  });

  it('refuses, naming the node, a marker without a collection or a cardinality and a list that is not one', async () => {
    const marker = (loop: Record<string, unknown>) => around('refused', [{ name: 'items', type: 'any' }], { id: 'work', type: 'bpmn.task', config: { loop } });
    expect(() => runtime.compile(marker({ type: 'multiInstance' }))).toThrow(/node "work".*exactly one of an input collection and a loop cardinality/);
    expect(() => runtime.compile(marker({ type: 'standard' }))).toThrow(/node "work".*loop condition or a loop maximum/);
    const events = await collect(runtime.compile(marker({ type: 'multiInstance', collection: 'items' })).run({ items: 'abc' }, { threadId: 'not-a-list' }));
    expect(last(events)).toMatchObject({ type: 'run.failed', nodeId: 'work', error: { code: 'bpmn.multi_instance', message: expect.stringMatching(/input collection "items" must give a list, not string/) } });
  });
});

describe('loops with boundary events', () => {
  it('refuses, naming the node, a timer on a multi-instance user task, and still runs the same task without its marker', async () => {
    const flow = (loop?: Record<string, unknown>): FlowDocumentInput => ({
      ...around('reminded', [{ name: 'approvers', type: 'array' }], {
        id: 'approve',
        type: 'bpmn.userTask',
        config: { formFields: [{ key: 'approved', label: 'Approved', type: 'boolean', required: true }], ...(loop ? { loop } : {}) },
      }),
    });
    const withTimer = (document: FlowDocumentInput): FlowDocumentInput => ({
      ...document,
      nodes: [
        ...document.nodes,
        { id: 'remind', type: 'bpmn.boundaryEvent', position: at, config: { attachedTo: 'approve', cancelActivity: true, eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT1H' } } },
        { id: 'late', type: 'bpmn.endEvent', position: at },
      ],
      edges: [...(document.edges ?? []), { id: 'f3', source: 'remind', target: 'late' }],
    });
    expect(() => runtime.compile(withTimer(flow({ type: 'multiInstance', collection: 'approvers' })))).toThrow(/node "approve".*boundary events on a loop or multi-instance activity do not run yet/);
    const events = await collect(runtime.compile(withTimer(flow())).run({ approvers: [] }, { threadId: 'boundary-no-loop' }));
    expect(last(events)).toMatchObject({ type: 'interrupt', nodeId: 'approve' });
  });
});

describe('standard loops', () => {
  const counting = (loop: Record<string, unknown>) =>
    around('loop', [{ name: 'count', type: 'number' }], { id: 'add', type: 'bpmn.scriptTask', config: { scriptFormat: 'feel', script: 'count + 1', resultVariable: 'count', loop } });

  it('runs the activity again while its condition holds, the condition seeing what the iteration wrote', async () => {
    const events = await collect(runtime.compile(counting({ type: 'standard', condition: 'count < 5' })).run({ count: 0 }, { threadId: 'loop-condition' }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { count: 5 } });
  });

  it('stops at its loop maximum', async () => {
    const events = await collect(runtime.compile(counting({ type: 'standard', condition: 'true', maxIterations: 3 })).run({ count: 0 }, { threadId: 'loop-maximum' }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { count: 3 } });
  });
});

describe('business rule tasks', () => {
  const discount = (decision: Record<string, unknown>) =>
    around('discount', [{ name: 'amount', type: 'number' }, { name: 'discount', type: 'any' }], { id: 'rules', type: 'bpmn.businessRuleTask', config: { decision, resultVariable: 'discount' } });
  const rules = [
    { condition: 'amount >= 1000', output: '{rate: 0.1, label: "gold"}' },
    { condition: 'amount >= 100', output: '{rate: 0.05, label: "silver"}' },
  ];

  it('writes the output of the first rule that matches, else its default', async () => {
    const flow = runtime.compile(discount({ hitPolicy: 'first', rules, default: '{rate: 0, label: "none"}' }));
    expect(last(await collect(flow.run({ amount: 5000 }, { threadId: 'gold' })))).toMatchObject({ state: { discount: { rate: 0.1, label: 'gold' } } });
    expect(last(await collect(flow.run({ amount: 10 }, { threadId: 'none' })))).toMatchObject({ state: { discount: { rate: 0, label: 'none' } } });
  });

  it('collects the outputs of every rule that matches, and fails naming the task when none does and it has no default', async () => {
    const flow = runtime.compile(discount({ hitPolicy: 'collect', rules }));
    expect(last(await collect(flow.run({ amount: 5000 }, { threadId: 'collect' })))).toMatchObject({ state: { discount: [{ label: 'gold' }, { label: 'silver' }] } });
    expect(last(await collect(flow.run({ amount: 1 }, { threadId: 'no-match' })))).toMatchObject({ type: 'run.failed', nodeId: 'rules', error: { code: 'bpmn.decision' } });
  });

  it('refuses a task that only names a DMN decision, saying why', () => {
    const flow = around('dmn', [{ name: 'decision', type: 'any' }], { id: 'dmn', type: 'bpmn.businessRuleTask', config: { decisionRef: 'risk-level' } });
    expect(() => runtime.compile(flow)).toThrow(/node "dmn".*DMN decision "risk-level".*no DMN engine/);
    expect(() => runtime.compile({ ...flow, nodes: [] })).toThrow(FlowInvalidError);
  });
});
