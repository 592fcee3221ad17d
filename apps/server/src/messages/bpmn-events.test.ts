// BPMN events on the server beyond single catch events: a user task's boundary timer (stored when
// the task starts waiting, closing the task when it fires, withdrawn when the person is first, also
// fired by a server started after the one that stored it), an event-based gateway (the first event
// wins and the others are withdrawn), and signals (POST /api/signals, thrown by another process,
// signal start events). Timers fire by an injected clock; no test waits for wall time.
import type { FlowDocumentInput } from '@loomflow/graph-schema';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { outcome, storeAndStart, useClockedServers, type TestRequest } from '../testing/clocked-servers';
import { jsonRequest as json } from '../testing/fixtures';

const at = { x: 0, y: 0 };
const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);
const HOUR = 3_600_000;
type Node = NonNullable<FlowDocumentInput['nodes']>[number];
const node = (id: string, type: string, config: Record<string, unknown> = {}): Node => ({ id, type, position: at, config });
const process = (id: string, nodes: Node[], edges: [string, string][]): FlowDocumentInput => ({
  schemaVersion: 1,
  id,
  name: id,
  kind: 'bpmn',
  state: { channels: [{ name: 'approved', type: 'boolean' }, { name: 'escalated', type: 'boolean' }, { name: 'note', type: 'string' }] },
  nodes,
  edges: edges.map(([source, target], index) => ({ id: `e${index}`, source, target })),
});

/** A user task with an interrupting PT48H timer on it that escalates. */
const approval = process(
  'approval-48h',
  [
    node('start', 'bpmn.startEvent'),
    node('approve', 'bpmn.userTask', { candidateGroups: ['managers'], formFields: [{ key: 'approved', label: 'Approved', type: 'boolean', required: true }] }),
    node('done', 'bpmn.endEvent'),
    node('overdue', 'bpmn.boundaryEvent', { attachedTo: 'approve', eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT48H' } }),
    node('escalate', 'bpmn.scriptTask', { scriptFormat: 'feel', script: 'true', resultVariable: 'escalated' }),
    node('escalated-end', 'bpmn.endEvent'),
  ],
  [
    ['start', 'approve'],
    ['approve', 'done'],
    ['overdue', 'escalate'],
    ['escalate', 'escalated-end'],
  ],
);
const waitForSignal = (id: string) =>
  process(id, [node('start', 'bpmn.startEvent'), node('go', 'bpmn.intermediateCatchEvent', { eventDefinition: { type: 'signal', signalName: 'go' } }), node('end', 'bpmn.endEvent')], [
    ['start', 'go'],
    ['go', 'end'],
  ]);

const { clock, server } = useClockedServers(T0);
async function openTasks(request: TestRequest): Promise<{ id: string; nodeId: string; threadId: string }[]> {
  return ((await (await request('/api/tasks?status=open')).json()) as { items: { id: string; nodeId: string; threadId: string }[] }).items;
}
async function threadState(request: TestRequest, threadId: string) {
  return (await (await request(`/api/threads/${threadId}/state`)).json()) as { next: string[]; values: Record<string, unknown> };
}

describe('a timer boundary event on a user task', () => {
  it('stores the timer when the task starts waiting; when it fires, the task closes and the process escalates', async () => {
    const { services, request } = await server();
    const started = await storeAndStart(request, approval);
    expect(started.waiting).toMatchObject({ type: 'interrupt', kind: 'human', nodeId: 'approve' });
    expect(await openTasks(request)).toMatchObject([{ nodeId: 'approve', threadId: started.threadId }]);

    clock.at = T0 + 48 * HOUR - 1;
    expect(await services.runManager.fireDueTimers()).toEqual([]);
    clock.at = T0 + 48 * HOUR;
    const [fired, ...more] = await services.runManager.fireDueTimers();
    expect(more).toEqual([]);
    expect(await outcome(request, fired as string)).toMatchObject({ type: 'run.completed', state: { escalated: true } });
    expect(await openTasks(request)).toEqual([]);
    // The person can no longer complete the cancelled task.
    const [task] = ((await (await request('/api/tasks?status=completed')).json()) as { items: { id: string }[] }).items;
    expect((await request(`/api/tasks/${task?.id}/complete`, json('POST', { variables: { approved: true } }))).status).toBe(409);
  });

  it('withdraws the timer when the person completes the task first', async () => {
    const { services, request } = await server();
    const started = await storeAndStart(request, approval);
    const [task] = await openTasks(request);
    const completed = await request(`/api/tasks/${task?.id}/complete`, json('POST', { variables: { approved: true } }));
    expect(completed.status).toBe(200);
    expect(await outcome(request, ((await completed.json()) as { runId: string }).runId)).toMatchObject({ type: 'run.completed', state: { approved: true } });
    clock.at = T0 + 100 * HOUR;
    expect(await services.runManager.fireDueTimers()).toEqual([]);
    expect((await threadState(request, started.threadId)).values).not.toHaveProperty('escalated', true);
  });

  it('fires the boundary timer from a server started after the one that stored it stopped', async () => {
    const first = await server();
    const started = await storeAndStart(first.request, approval);
    expect(started.waiting).toMatchObject({ kind: 'human' });
    await first.services.close();

    clock.at = T0 + 72 * HOUR;
    const second = await server();
    const [fired] = await second.services.runManager.fireDueTimers();
    expect(await outcome(second.request, fired as string)).toMatchObject({ type: 'run.completed', state: { escalated: true } });
    expect(await threadState(second.request, started.threadId)).toMatchObject({ next: [], values: { escalated: true } });
    expect(await openTasks(second.request)).toEqual([]);
  });
});

describe('an event-based gateway on the server (the payment-reminder example)', () => {
  const reminder = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../examples/bpmn/payment-reminder.json'), 'utf8')) as FlowDocumentInput;

  it('stores the message subscription and the timer; the message wins and the timer is withdrawn', async () => {
    const { services, request } = await server();
    const started = await storeAndStart(request, reminder, { invoiceId: 'INV-1', amount: 50 });
    expect(started.waiting).toMatchObject({ type: 'interrupt', kind: 'events', nodeId: 'gw-await' });
    const paid = await request('/api/messages', json('POST', { name: 'payment-received', correlationKey: 'INV-1', variables: { amount: 50 } }));
    expect(paid.status).toBe(202);
    expect(await outcome(request, ((await paid.json()) as { runId: string }).runId)).toMatchObject({ type: 'run.completed' });
    clock.at = T0 + 30 * 24 * HOUR;
    expect(await services.runManager.fireDueTimers()).toEqual([]);
    expect((await request('/api/messages', json('POST', { name: 'payment-received', correlationKey: 'INV-1' }))).status).toBe(404);
  });

  it('fires the timer when no payment comes, withdrawing the subscription, and waits again with new ones', async () => {
    const { services, request } = await server();
    const started = await storeAndStart(request, reminder, { invoiceId: 'INV-2', amount: 50 });
    clock.at = T0 + 14 * 24 * HOUR;
    const [fired] = await services.runManager.fireDueTimers();
    expect(await outcome(request, fired as string)).toMatchObject({ type: 'interrupt', kind: 'events', nodeId: 'gw-await' });
    expect((await threadState(request, started.threadId)).values).toMatchObject({ reminders: 1 });
    // The second wait's own subscription takes the payment.
    const paid = await request('/api/messages', json('POST', { name: 'payment-received', correlationKey: 'INV-2' }));
    expect(await outcome(request, ((await paid.json()) as { runId: string }).runId)).toMatchObject({ type: 'run.completed' });
  });
});

describe('signals', () => {
  it('POST /api/signals resumes every instance waiting for the signal and starts the processes a signal start event names', async () => {
    const { request } = await server();
    const one = await storeAndStart(request, waitForSignal('waits-one'));
    const two = await storeAndStart(request, waitForSignal('waits-two'));
    expect(one.waiting).toMatchObject({ type: 'interrupt', kind: 'signal', nodeId: 'go' });
    const startsOnGo = process('starts-on-go', [node('start', 'bpmn.startEvent', { eventDefinition: { type: 'signal', signalName: 'go' } }), node('end', 'bpmn.endEvent')], [['start', 'end']]);
    expect((await request('/api/flows', json('POST', startsOnGo))).status).toBe(201);

    const sent = await request('/api/signals', json('POST', { name: 'go', variables: { note: 'released' } }));
    expect(sent.status).toBe(202);
    const { runs } = (await sent.json()) as { runs: { runId: string; threadId: string }[] };
    expect(runs.map((run) => run.threadId)).toEqual(expect.arrayContaining([one.threadId, two.threadId]));
    expect(runs).toHaveLength(3);
    for (const run of runs) expect(await outcome(request, run.runId)).toMatchObject({ type: 'run.completed', state: { note: 'released' } });
    // Broadcast, not queued: a second signal finds no one waiting, and starts the process again.
    expect(((await (await request('/api/signals', json('POST', { name: 'go' }))).json()) as { runs: unknown[] }).runs).toHaveLength(1);
  });

  it('a signal thrown by one process reaches an instance of another waiting for it', async () => {
    const { request } = await server();
    const waiting = await storeAndStart(request, waitForSignal('waits-for-go'));
    const thrower = process('throws-go', [node('start', 'bpmn.startEvent'), node('throw', 'bpmn.endEvent', { eventDefinition: { type: 'signal', signalName: 'go' } })], [['start', 'throw']]);
    expect((await storeAndStart(request, thrower)).waiting).toMatchObject({ type: 'run.completed' });
    // The broadcast follows the stored event; the waiting instance's thread shows it arrived.
    await vi.waitFor(async () => expect(await threadState(request, waiting.threadId)).toMatchObject({ next: [] }), { timeout: 20_000, interval: 50 });
  });
});

describe('sent messages', () => {
  it('deliver their message to the instance waiting with the same correlation key, and to no other', async () => {
    const { request } = await server();
    const receiver = process(
      'awaits-payment',
      [node('start', 'bpmn.startEvent'), node('paid', 'bpmn.receiveTask', { messageName: 'payment', correlationKey: 'note' }), node('end', 'bpmn.endEvent')],
      [
        ['start', 'paid'],
        ['paid', 'end'],
      ],
    );
    const a17 = await storeAndStart(request, receiver, { note: 'A-17' });
    const b22 = (await (await request(`/api/flows/${receiver.id}/runs`, json('POST', { input: { note: 'B-22' } }))).json()) as { runId: string; threadId: string };
    expect(await outcome(request, b22.runId)).toMatchObject({ type: 'interrupt', kind: 'message' });
    expect(a17.waiting).toMatchObject({ type: 'interrupt', kind: 'message' });
    const sender = process('pays', [node('start', 'bpmn.startEvent'), node('send', 'bpmn.sendTask', { messageName: 'payment', correlationKey: '"A-" + string(17)', payload: '{approved: true}' }), node('end', 'bpmn.endEvent')], [
      ['start', 'send'],
      ['send', 'end'],
    ]);
    expect((await storeAndStart(request, sender)).waiting).toMatchObject({ type: 'run.completed' });
    // The delivery follows the stored event; the instance keyed A-17 ends with the payload's variables.
    await vi.waitFor(async () => expect(await threadState(request, a17.threadId)).toMatchObject({ next: [], values: { approved: true } }), { timeout: 20_000, interval: 50 });
    expect(await threadState(request, b22.threadId)).toMatchObject({ next: ['paid'] });
  });
  it('are also sent by message throw and end events, each to the instance waiting with its key', async () => {
    const { request } = await server();
    const awaits = (id: string, messageName: string) =>
      process(id, [node('start', 'bpmn.startEvent'), node('wait', 'bpmn.receiveTask', { messageName, correlationKey: 'note' }), node('end', 'bpmn.endEvent')], [
        ['start', 'wait'],
        ['wait', 'end'],
      ]);
    const shipped = await storeAndStart(request, awaits('awaits-shipment', 'shipped'), { note: '17' });
    const other = (await (await request('/api/flows/awaits-shipment/runs', json('POST', { input: { note: '18' } }))).json()) as { runId: string; threadId: string };
    expect(await outcome(request, other.runId)).toMatchObject({ type: 'interrupt', kind: 'message' });
    const closed = await storeAndStart(request, awaits('awaits-closing', 'closed'), { note: 'order 17' });
    expect([shipped.waiting, closed.waiting]).toMatchObject([
      { type: 'interrupt', kind: 'message' },
      { type: 'interrupt', kind: 'message' },
    ]);
    const message = (messageName: string, correlationKey: string) => ({ eventDefinition: { type: 'message', messageName, correlationKey } });
    // The throw event's key is the FEEL number 17, matched as the text "17" the receiver waits with.
    const sender = process(
      'ships',
      [node('start', 'bpmn.startEvent'), node('ship', 'bpmn.intermediateThrowEvent', message('shipped', '10 + 7')), node('close', 'bpmn.endEvent', message('closed', '"order " + string(17)'))],
      [
        ['start', 'ship'],
        ['ship', 'close'],
      ],
    );
    expect((await storeAndStart(request, sender)).waiting).toMatchObject({ type: 'run.completed' });
    await vi.waitFor(async () => expect(await threadState(request, shipped.threadId)).toMatchObject({ next: [] }), { timeout: 20_000, interval: 50 });
    await vi.waitFor(async () => expect(await threadState(request, closed.threadId)).toMatchObject({ next: [] }), { timeout: 20_000, interval: 50 });
    expect(await threadState(request, other.threadId)).toMatchObject({ next: ['wait'] });
  });
});

describe('timer start events', () => {
  const hourly = process('hourly-report', [node('start', 'bpmn.startEvent', { eventDefinition: { type: 'timer', timerType: 'cycle', value: 'R2/PT1H' } }), node('end', 'bpmn.endEvent')], [['start', 'end']]);

  it('start an instance each time the cycle is due, counting on across a restart, and stop after its repetitions', async () => {
    const first = await server();
    expect((await first.request('/api/flows', json('POST', hourly))).status).toBe(201);
    // The first round sees the process and counts from now.
    expect(await first.services.runManager.fireDueTimers()).toEqual([]);
    clock.at = T0 + HOUR;
    const [one, ...more] = await first.services.runManager.fireDueTimers();
    expect(more).toEqual([]);
    expect(await outcome(first.request, one as string)).toMatchObject({ type: 'run.completed' });
    expect(await first.services.runManager.fireDueTimers()).toEqual([]);
    await first.services.close();

    clock.at = T0 + 3 * HOUR;
    const second = await server();
    const [two, ...others] = await second.services.runManager.fireDueTimers();
    expect(others).toEqual([]);
    expect(await outcome(second.request, two as string)).toMatchObject({ type: 'run.completed' });
    const runs = (await (await second.request('/api/runs?flowId=hourly-report')).json()) as { items: { trigger: string }[] };
    expect(runs.items).toMatchObject([{ trigger: 'start' }, { trigger: 'start' }]);
    // R2: both repetitions done.
    clock.at = T0 + 10 * HOUR;
    expect(await second.services.runManager.fireDueTimers()).toEqual([]);
  });
});
