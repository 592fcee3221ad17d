// BPMN processes run on the same runtime as agent flows: the examples and small drawn processes,
// checkpointed in a real libsql file, their user tasks answered through resume like agent.human.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import { readHumanRequest, type FlowDocumentInput, type RunEvent } from '@loomflow/graph-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BpmnError } from './errors';
import { AnswerRejectedError, FlowRuntime } from './flow-runtime';

const examplesDir = join(import.meta.dirname, '../../../examples/bpmn');
const example = (name: string) => JSON.parse(readFileSync(join(examplesDir, `${name}.json`), 'utf8')) as FlowDocumentInput;

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}
const last = (events: RunEvent[]) => events.at(-1) as RunEvent;
const completedNodes = (events: RunEvent[]) => events.flatMap((event) => (event.type === 'node.completed' ? [event.nodeId] : []));

let dir: string;
let saver: LibsqlSaver;
let runtime: FlowRuntime;
const notified: string[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loomflow-bpmn-'));
  saver = await LibsqlSaver.open(`file:${join(dir, 'runs.db')}`);
  runtime = new FlowRuntime({
    checkpointer: saver,
    serviceTasks: {
      'notify-team': ({ variables }) => {
        notified.push(String(variables.team));
        return { notifiedAt: 'now' };
      },
      'refuse-claim': () => {
        throw new BpmnError('claim', 'REFUSED', 'the claim was refused');
      },
    },
  });
});
afterAll(async () => {
  await saver.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the expense approval to its end, answering each waiting user task in turn; returns the tasks asked and the final events. */
async function runExpense(thread: string, claim: { amount: number; reason: string }, answers: Record<string, { approved: boolean; comment?: string }>) {
  const flow = runtime.compile(example('expense-approval'));
  let events = await collect(flow.run({}, { threadId: thread }));
  const asked: { nodeId: string; candidateGroups: string[] }[] = [];
  for (let turn = 0; last(events).type === 'interrupt' && turn < 10; turn += 1) {
    const request = readHumanRequest((last(events) as Extract<RunEvent, { type: 'interrupt' }>).payload);
    if (!request) throw new Error('the process waits on something that is not a user task');
    asked.push({ nodeId: request.nodeId, candidateGroups: request.candidateGroups });
    const answer = request.nodeId === 'submit-expense' ? claim : answers[request.nodeId];
    if (!answer) throw new Error(`no answer for ${request.nodeId}`);
    events = await collect(await flow.resume(thread, answer));
  }
  return { asked, events };
}

describe('the expense approval example', () => {
  it('goes manager → director → finance above 5000, then pays out and notifies', async () => {
    const { asked, events } = await runExpense('expense-big', { amount: 7200, reason: 'conference' }, {
      'manager-approval': { approved: true },
      'director-approval': { approved: true, comment: 'fine' },
      'finance-approval': { approved: true },
    });
    expect(asked).toEqual([
      { nodeId: 'submit-expense', candidateGroups: ['employees'] },
      { nodeId: 'manager-approval', candidateGroups: ['managers'] },
      { nodeId: 'director-approval', candidateGroups: ['directors'] },
      // No groups of its own: the lane's name.
      { nodeId: 'finance-approval', candidateGroups: ['Finance'] },
    ]);
    expect(last(events)).toMatchObject({
      type: 'run.completed',
      state: {
        approved: true,
        payout: { status: 'paid', amount: 7200, reason: 'conference' },
        notification: { to: 'employee', text: 'Your expense of 7200 EUR was paid.' },
      },
    });
    expect(completedNodes(events)).toEqual(expect.arrayContaining(['pay-out', 'notify', 'end-paid']));
  });

  it('goes manager → finance at 5000 or less', async () => {
    const { asked, events } = await runExpense('expense-small', { amount: 5000, reason: 'taxi' }, { 'manager-approval': { approved: true }, 'finance-approval': { approved: true } });
    expect(asked.map((task) => task.nodeId)).toEqual(['submit-expense', 'manager-approval', 'finance-approval']);
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { payout: { amount: 5000 } } });
  });

  it.each([
    ['manager', { 'manager-approval': { approved: false, comment: 'no receipt' } }, ['submit-expense', 'manager-approval']],
    ['director', { 'manager-approval': { approved: true }, 'director-approval': { approved: false } }, ['submit-expense', 'manager-approval', 'director-approval']],
    ['finance', { 'manager-approval': { approved: true }, 'director-approval': { approved: true }, 'finance-approval': { approved: false } }, ['submit-expense', 'manager-approval', 'director-approval', 'finance-approval']],
  ])('ends early when the %s rejects it', async (who, answers, tasks) => {
    const { asked, events } = await runExpense(`expense-rejected-${who}`, { amount: 9000, reason: 'yacht' }, answers);
    expect(asked.map((task) => task.nodeId)).toEqual(tasks);
    expect(completedNodes(events)).toContain('end-rejected');
    expect(completedNodes(events)).not.toContain('pay-out');
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { approved: false } });
  });

  it('refuses a completion that misses a required field or has the wrong type, and keeps waiting', async () => {
    const flow = runtime.compile(example('expense-approval'));
    expect(last(await collect(flow.run({}, { threadId: 'expense-refused' })))).toMatchObject({ type: 'interrupt', nodeId: 'submit-expense' });
    await expect(flow.resume('expense-refused', { amount: 'a lot', reason: 'x' })).rejects.toThrow(AnswerRejectedError);
    await expect(flow.resume('expense-refused', { amount: 12 })).rejects.toThrow(/reason/);
    expect((await flow.getState('expense-refused')).interrupts[0]).toMatchObject({ nodeId: 'submit-expense', kind: 'human' });
  });

  it('survives a new runtime between the tasks: the thread lives in the database file', async () => {
    const flow = runtime.compile(example('expense-approval'));
    await collect(flow.run({}, { threadId: 'expense-restart' }));
    await collect(await flow.resume('expense-restart', { amount: 100, reason: 'lunch' }));
    const reopened = await LibsqlSaver.open(`file:${join(dir, 'runs.db')}`);
    try {
      const again = new FlowRuntime({ checkpointer: reopened }).compile(example('expense-approval'));
      expect((await again.getState('expense-restart')).interrupts[0]).toMatchObject({ nodeId: 'manager-approval' });
      expect((await again.getState('expense-restart')).values).toMatchObject({ amount: 100, reason: 'lunch' });
    } finally {
      await reopened.close();
    }
  });
});

const at = { x: 0, y: 0 };
type Drawn = { id: string; type: string; config?: Record<string, unknown>; parent?: string; name?: string };
type Flow = { id: string; source: string; target: string; condition?: string; isDefault?: boolean };

/** A BPMN process over number channels (`n` and the given ones), drawn as listed. */
function process(id: string, channels: string[], nodes: Drawn[], edges: Flow[]): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name: id,
    kind: 'bpmn',
    state: { channels: ['n', ...channels].map((name) => ({ name, type: 'number' as const })) },
    nodes: nodes.map((node) => ({ ...node, position: at })),
    edges,
  };
}
const flows = (...pairs: [string, string, string?][]) => pairs.map(([source, target, condition], index) => ({ id: `f${index}`, source, target, ...(condition ? { condition } : {}) }));
const feel = (id: string, script: string, resultVariable: string): Drawn => ({ id, type: 'bpmn.scriptTask', config: { scriptFormat: 'feel', script, resultVariable } });
const startEvent: Drawn = { id: 'start', type: 'bpmn.startEvent' };
const endEvent: Drawn = { id: 'end', type: 'bpmn.endEvent' };
const started = (events: RunEvent[], nodeId: string) => events.filter((event) => event.type === 'node.started' && event.nodeId === nodeId).length;

describe('gateways', () => {
  it('forks at a parallel gateway and joins once every branch arrived, FEEL and JavaScript scripts alike', async () => {
    const flow = process(
      'parallel',
      ['a', 'b', 'sum'],
      [
        startEvent,
        { id: 'fork', type: 'bpmn.parallelGateway' },
        feel('a', 'n + 1', 'a'),
        { id: 'b1', type: 'bpmn.scriptTask', config: { script: 'return { b: state.n * 10 };' } },
        { id: 'b2', type: 'bpmn.manualTask' },
        { id: 'join', type: 'bpmn.parallelGateway' },
        feel('total', 'a + b', 'sum'),
        endEvent,
      ],
      flows(['start', 'fork'], ['fork', 'a'], ['fork', 'b1'], ['b1', 'b2'], ['a', 'join'], ['b2', 'join'], ['join', 'total'], ['total', 'end']),
    );
    const events = await collect(runtime.compile(flow).run({ n: 2 }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { a: 3, b: 20, sum: 23 } });
    expect(started(events, 'join')).toBe(1);
  });

  it.each([
    [3, ['small'], 1],
    [10, ['small', 'big'], 11],
    [0, ['neither'], 100],
  ])('an inclusive gateway with n = %i takes %j, and its join waits only for those', async (n, taken, result) => {
    const flow = process(
      'inclusive',
      ['out'],
      [
        startEvent,
        { id: 'split', type: 'bpmn.inclusiveGateway' },
        feel('small', '1', 'out'),
        { id: 'small-more', type: 'bpmn.task' },
        feel('big', '10', 'out'),
        feel('neither', '100', 'out'),
        { id: 'merge', type: 'bpmn.inclusiveGateway' },
        feel('sum', 'out', 'out'),
        endEvent,
      ],
      [
        { id: 'f1', source: 'start', target: 'split' },
        { id: 'f2', source: 'split', target: 'small', condition: 'n > 1' },
        { id: 'f3', source: 'split', target: 'big', condition: 'n > 5' },
        { id: 'f4', source: 'split', target: 'neither', isDefault: true },
        { id: 'f5', source: 'small', target: 'small-more' },
        { id: 'f6', source: 'small-more', target: 'merge' },
        { id: 'f7', source: 'big', target: 'merge' },
        { id: 'f8', source: 'neither', target: 'merge' },
        { id: 'f9', source: 'merge', target: 'sum' },
        { id: 'f10', source: 'sum', target: 'end' },
      ],
    );
    // `out` sums what the branches wrote; the step after the join adds it once more.
    const events = await collect(runtime.compile({ ...flow, state: { channels: [{ name: 'n', type: 'number' }, { name: 'out', type: 'number', reducer: 'sum' }] } }).run({ n }));
    expect(last(events).type).toBe('run.completed');
    for (const branch of ['small', 'big', 'neither']) expect(started(events, branch), branch).toBe(taken.includes(branch) ? 1 : 0);
    expect(started(events, 'merge')).toBe(1);
    expect(last(events)).toMatchObject({ state: { out: result * 2 } });
  });

  it.each([false, true])('ends the whole process at a terminate end event, other branches included (debug: %s)', async (debug) => {
    const flow = process(
      'terminate',
      ['a'],
      [
        startEvent,
        { id: 'fork', type: 'bpmn.parallelGateway' },
        { id: 'stop', type: 'bpmn.endEvent', config: { eventDefinition: { type: 'terminate' } } },
        feel('slow1', '1', 'a'),
        feel('slow2', '2', 'a'),
        { id: 'ask', type: 'bpmn.userTask' },
        endEvent,
      ],
      flows(['start', 'fork'], ['fork', 'stop'], ['fork', 'slow1'], ['slow1', 'slow2'], ['slow2', 'ask'], ['ask', 'end']),
    );
    const events = await collect(runtime.compile(flow).run({}, { debug }));
    // slow1 runs beside the terminate end, in its step; nothing after them runs, in either mode.
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { a: 1 } });
    expect(completedNodes(events)).toContain('stop');
    expect(completedNodes(events)).toContain('slow1');
    expect(completedNodes(events)).not.toContain('slow2');
    expect(completedNodes(events)).not.toContain('ask');
    expect(completedNodes(events)).not.toContain('end');
  });

  it('fails naming the exclusive gateway when no condition holds and it has no default flow', async () => {
    const flow = process(
      'no-way',
      [],
      [startEvent, { id: 'gw', type: 'bpmn.exclusiveGateway' }, { id: 'end', type: 'bpmn.endEvent' }, { id: 'end2', type: 'bpmn.endEvent' }],
      flows(['start', 'gw'], ['gw', 'end', 'n > 1'], ['gw', 'end2', 'n < 0']),
    );
    expect(last(await collect(runtime.compile(flow).run({ n: 0 })))).toMatchObject({ type: 'run.failed', nodeId: 'gw', error: { code: 'route' } });
  });
});

describe('service tasks, error events and boundaries', () => {
  const claimProcess = (handler: string, boundaryCode?: string) =>
    process(
      'claim',
      ['notifiedAt'],
      [
        startEvent,
        { id: 'claim', type: 'bpmn.serviceTask', config: { implementation: { kind: 'external', topic: handler } } },
        { id: 'caught', type: 'bpmn.boundaryEvent', config: { attachedTo: 'claim', eventDefinition: { type: 'error', ...(boundaryCode ? { errorCode: boundaryCode } : {}) } } },
        feel('mark', '-1', 'n'),
        endEvent,
        { id: 'end-caught', type: 'bpmn.endEvent' },
      ],
      flows(['start', 'claim'], ['claim', 'end'], ['caught', 'mark'], ['mark', 'end-caught']),
    );

  it("calls the handler the host registered for the task's job type and writes the variables it returns", async () => {
    const before = notified.length;
    const flow = { ...claimProcess('notify-team'), state: { channels: [{ name: 'n', type: 'number' as const }, { name: 'team', type: 'string' as const }, { name: 'notifiedAt', type: 'string' as const }] } };
    const events = await collect(runtime.compile(flow).run({ team: 'ops' }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { notifiedAt: 'now' } });
    expect(notified.slice(before)).toEqual(['ops']);
  });

  it('fails naming the task and the job type when no handler is registered for it', async () => {
    const events = await collect(runtime.compile(claimProcess('nobody-handles-this', 'OTHER')).run({}));
    expect(last(events)).toMatchObject({ type: 'run.failed', nodeId: 'claim', error: { code: 'bpmn.no_handler', message: expect.stringContaining('"nobody-handles-this"') } });
  });

  it("continues at the error boundary whose code matches the handler's BPMN error, else fails with that error", async () => {
    const caught = await collect(runtime.compile(claimProcess('refuse-claim', 'REFUSED')).run({ n: 5 }));
    expect(last(caught)).toMatchObject({ type: 'run.completed', state: { n: -1 } });
    expect(completedNodes(caught)).toEqual(expect.arrayContaining(['caught', 'mark', 'end-caught']));

    const uncaught = await collect(runtime.compile(claimProcess('refuse-claim', 'SOMETHING_ELSE')).run({ n: 5 }));
    expect(last(uncaught)).toMatchObject({ type: 'run.failed', nodeId: 'claim', error: { code: 'bpmn.error' } });
  });

  it('catches any failure with an error boundary that names no code', async () => {
    const events = await collect(runtime.compile(claimProcess('nobody-handles-this')).run({ n: 5 }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { n: -1 } });
  });

  it('sends an HTTP service task through the network guard, naming the task when it refuses', async () => {
    const flow = process(
      'call-home',
      [],
      [startEvent, { id: 'call', type: 'bpmn.serviceTask', config: { implementation: { kind: 'http', method: 'GET', url: 'http://127.0.0.1:8080/health' }, retries: 0 } }, endEvent],
      flows(['start', 'call'], ['call', 'end']),
    );
    expect(last(await collect(runtime.compile(flow).run({})))).toMatchObject({ type: 'run.failed', nodeId: 'call', error: { code: 'http.blocked', message: expect.stringContaining('127.0.0.1') } });
  });
});

describe('sub-processes and call activities', () => {
  const withSubProcess = (innerEnd: Drawn, boundary: boolean) =>
    process(
      'outer',
      ['checked', 'after'],
      [
        startEvent,
        { id: 'sub', type: 'bpmn.subProcess' },
        { id: 'sub-start', type: 'bpmn.startEvent', parent: 'sub' },
        { id: 'check', type: 'bpmn.userTask', parent: 'sub', config: { formFields: [{ key: 'checked', label: 'Checked', type: 'number', required: true }] } },
        { id: 'sub-gw', type: 'bpmn.exclusiveGateway', parent: 'sub' },
        { id: 'sub-end', type: 'bpmn.endEvent', parent: 'sub' },
        { ...innerEnd, parent: 'sub' },
        ...(boundary ? [{ id: 'failed', type: 'bpmn.boundaryEvent', config: { attachedTo: 'sub', eventDefinition: { type: 'error', errorCode: 'CHECK_FAILED' } } }, feel('recover', '0', 'after'), { id: 'end-failed', type: 'bpmn.endEvent' }] : []),
        feel('next', 'checked + 1', 'after'),
        endEvent,
      ],
      [
        ...flows(['start', 'sub'], ['sub-start', 'check'], ['check', 'sub-gw'], ['sub', 'next'], ['next', 'end']),
        { id: 'ok', source: 'sub-gw', target: 'sub-end', condition: 'checked > 0' },
        { id: 'bad', source: 'sub-gw', target: innerEnd.id, isDefault: true },
        ...(boundary ? [{ id: 'b1', source: 'failed', target: 'recover' }, { id: 'b2', source: 'recover', target: 'end-failed' }] : []),
      ],
    );
  const errorEnd: Drawn = { id: 'sub-error', type: 'bpmn.endEvent', config: { eventDefinition: { type: 'error', errorCode: 'CHECK_FAILED' } } };

  it('runs its content as a subgraph of the thread: a user task inside pauses and resumes the process', async () => {
    const flow = runtime.compile(withSubProcess(errorEnd, true));
    const waiting = last(await collect(flow.run({}, { threadId: 'sub-ok' })));
    expect(waiting).toMatchObject({ type: 'interrupt', kind: 'human', payload: { nodeId: 'check' } });
    const events = await collect(await flow.resume('sub-ok', { checked: 4 }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { checked: 4, after: 5 } });
  });

  it("sends an error end's BPMN error to the sub-process's error boundary", async () => {
    const flow = runtime.compile(withSubProcess(errorEnd, true));
    await collect(flow.run({}, { threadId: 'sub-caught' }));
    const events = await collect(await flow.resume('sub-caught', { checked: 0 }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { after: 0 } });
    expect(completedNodes(events)).toEqual(expect.arrayContaining(['failed', 'recover', 'end-failed']));
    expect(completedNodes(events)).not.toContain('next');
  });

  it('fails the run with the error, naming the error end event, when no boundary catches it', async () => {
    const flow = runtime.compile(withSubProcess(errorEnd, false));
    await collect(flow.run({}, { threadId: 'sub-uncaught' }));
    const events = await collect(await flow.resume('sub-uncaught', { checked: 0 }));
    expect(last(events)).toMatchObject({ type: 'run.failed', nodeId: 'sub-error', error: { code: 'bpmn.error', message: expect.stringContaining('"CHECK_FAILED"') } });
  });

  it('runs another stored process from a call activity, mapping variables in and out', async () => {
    const called = process('double', ['doubled'], [startEvent, feel('twice', 'n * 2', 'doubled'), endEvent], flows(['start', 'twice'], ['twice', 'end']));
    const caller = process(
      'caller',
      ['result'],
      [startEvent, { id: 'call', type: 'bpmn.callActivity', config: { calledElement: 'double', inputs: { n: 'n + 1' }, outputs: { result: 'doubled' } } }, endEvent],
      flows(['start', 'call'], ['call', 'end']),
    );
    const withStore = new FlowRuntime({ checkpointer: saver, services: { loadFlow: (flowId) => (flowId === 'double' ? Promise.resolve(called) : Promise.reject(new Error(`no flow ${flowId}`))) } });
    expect(last(await collect(withStore.compile(caller).run({ n: 20 })))).toMatchObject({ type: 'run.completed', state: { n: 20, result: 42 } });
  });
});

describe('timers and messages: interrupts the host resumes', () => {
  const T0 = Date.UTC(2026, 0, 31, 9, 0, 0);
  const waitFor = (definition: Record<string, unknown>, channels: string[] = []) =>
    process('wait', channels, [startEvent, { id: 'wait', type: 'bpmn.intermediateCatchEvent', config: { eventDefinition: definition } }, feel('after', 'n + 1', 'n'), endEvent], flows(['start', 'wait'], ['wait', 'after'], ['after', 'end']));

  it.each([
    [{ type: 'timer', timerType: 'duration', value: 'PT30M' }, T0 + 30 * 60_000],
    [{ type: 'timer', timerType: 'duration', value: 'P1M' }, Date.UTC(2026, 1, 28, 9, 0, 0)],
    [{ type: 'timer', timerType: 'date', value: '=when' }, Date.UTC(2030, 0, 1)],
  ])('waits for the timer %j, due at the time the host fires it', async (definition, dueAt) => {
    const flow = new FlowRuntime({ checkpointer: saver, hostServices: { clock: { now: () => T0 } } }).compile({
      ...waitFor(definition),
      state: { channels: [{ name: 'n', type: 'number' }, { name: 'when', type: 'string', default: '2030-01-01T00:00:00Z' }] },
    });
    const thread = `timer-${dueAt}`;
    const waiting = last(await collect(flow.run({ n: 1 }, { threadId: thread })));
    expect(waiting).toMatchObject({ type: 'interrupt', kind: 'timer', nodeId: 'wait', payload: { kind: 'timer', nodeId: 'wait', dueAt } });
    expect((await flow.getState(thread)).interrupts[0]).toMatchObject({ kind: 'timer' });
    expect(last(await collect(await flow.resume(thread, null)))).toMatchObject({ type: 'run.completed', state: { n: 2 } });
  });

  it('waits for a message by name and correlation key, and writes the variables it brings', async () => {
    const flow = runtime.compile({
      ...waitFor({ type: 'message', messageName: 'payment-received', correlationKey: 'invoiceId' }),
      state: { channels: [{ name: 'n', type: 'number' }, { name: 'invoiceId', type: 'string' }] },
    });
    const waiting = last(await collect(flow.run({ n: 1, invoiceId: 'INV-7' }, { threadId: 'message-1' })));
    expect(waiting).toMatchObject({ type: 'interrupt', kind: 'message', payload: { messageName: 'payment-received', correlationKey: 'INV-7' } });
    expect(last(await collect(await flow.resume('message-1', { n: 40, other: true })))).toMatchObject({ type: 'run.completed', state: { n: 41 } });
  });

  it('runs the order fulfilment example: parallel work, a user task, then the courier timer', async () => {
    const document = example('order-fulfilment') as FlowDocumentInput & { nodes: { id: string; config?: Record<string, unknown> }[] };
    // The payment provider of the example is not reachable here: its job goes to a host handler.
    const charge = document.nodes.find((node) => node.id === 'charge-payment');
    if (charge) charge.config = { implementation: { kind: 'external', topic: 'charge' }, resultVariable: 'charge' };
    const flow = new FlowRuntime({ checkpointer: saver, hostServices: { clock: { now: () => T0 } }, serviceTasks: { charge: ({ variables }) => ({ paid: variables.total }) } }).compile(document);
    const lines = [{ sku: 'a', quantity: 2, unitPrice: 5 }, { sku: 'b', quantity: 1, unitPrice: 2.5 }];
    const picking = last(await collect(flow.run({ orderId: 'O-1', customerEmail: 'x@example.com', lines }, { threadId: 'order-1' })));
    expect(picking).toMatchObject({ type: 'interrupt', kind: 'human', nodeId: 'pick-items' });
    const courier = last(await collect(await flow.resume('order-1', { parcels: 2 })));
    expect(courier).toMatchObject({ type: 'interrupt', kind: 'timer', nodeId: 'wait-pickup', payload: { dueAt: T0 + 30 * 60_000 } });
    expect(last(await collect(await flow.resume('order-1', null)))).toMatchObject({ type: 'run.completed', state: { total: 12.5, charge: { paid: 12.5 }, parcels: 2 } });
  });
});
