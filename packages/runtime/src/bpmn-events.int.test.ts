// BPMN events beside people: boundary timers, messages and signals on a waiting user task
// (interrupting and not), event-based gateways (the first event wins) and signal catch events,
// over a real libsql checkpoint file. The host's part (storing timers, delivering) is the server's;
// here the test answers the interrupts as the server does, with a FiredEvent.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import { eventWaitsOf, readHumanRequest, type FlowDocumentInput, type RunEvent } from '@loomflow/graph-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowRuntime } from './flow-runtime';

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}
const last = (events: RunEvent[]) => events.at(-1) as RunEvent;
const interruptOf = (events: RunEvent[]) => {
  const event = last(events);
  if (event.type !== 'interrupt') throw new Error(`the run did not wait: ${event.type}`);
  return event;
};
const completed = (events: RunEvent[]) => events.flatMap((event) => (event.type === 'node.completed' ? [event.nodeId] : []));

const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);
let now = T0;
let dir: string;
let saver: LibsqlSaver;
let runtime: FlowRuntime;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loomflow-bpmn-events-'));
  saver = await LibsqlSaver.open(`file:${join(dir, 'runs.db')}`);
  runtime = new FlowRuntime({ checkpointer: saver, hostServices: { clock: { now: () => now } } });
});
afterAll(async () => {
  await saver.close();
  rmSync(dir, { recursive: true, force: true });
});

const at = { x: 0, y: 0 };
type Node = NonNullable<FlowDocumentInput['nodes']>[number];
type Edge = NonNullable<FlowDocumentInput['edges']>[number];
const process = (id: string, nodes: Node[], edges: [string, string][], extra: Partial<FlowDocumentInput> = {}): FlowDocumentInput => ({
  schemaVersion: 1,
  id,
  name: id,
  kind: 'bpmn',
  state: { channels: [{ name: 'approved', type: 'boolean' }, { name: 'reminders', type: 'number' }, { name: 'orderId', type: 'string' }, { name: 'note', type: 'string' }] },
  nodes,
  edges: edges.map(([source, target], index): Edge => ({ id: `e${index}`, source, target })),
  ...extra,
});
const node = (id: string, type: string, config: Record<string, unknown> = {}): Node => ({ id, type, position: at, config });
const timer = (timerType: string, value: string) => ({ type: 'timer', timerType, value });

/** A user task "approve" with `boundary` on it, leading to "escalate" → "escalated"; the task itself to "done". */
function approval(id: string, boundary: Record<string, unknown>): FlowDocumentInput {
  return process(
    id,
    [
      node('start', 'bpmn.startEvent'),
      node('approve', 'bpmn.userTask', { formFields: [{ key: 'approved', label: 'Approved', type: 'boolean', required: true }] }),
      node('done', 'bpmn.endEvent'),
      node('boundary', 'bpmn.boundaryEvent', { attachedTo: 'approve', ...boundary }),
      node('escalate', 'bpmn.scriptTask', { scriptFormat: 'feel', script: 'reminders + 1', resultVariable: 'reminders' }),
      node('escalated', 'bpmn.endEvent'),
    ],
    [
      ['start', 'approve'],
      ['approve', 'done'],
      ['boundary', 'escalate'],
      ['escalate', 'escalated'],
    ],
  );
}

describe('boundary events on a user task', () => {
  it('waits for the person and the timer at once; the timer, when it comes first, ends the task and escalates', async () => {
    now = T0;
    const flow = runtime.compile(approval('escalate-48h', { eventDefinition: timer('duration', 'PT48H') }));
    const waiting = interruptOf(await collect(flow.run({ reminders: 0 }, { threadId: 'timer-first' })));
    expect(waiting.kind).toBe('human');
    expect(readHumanRequest(waiting.payload)?.nodeId).toBe('approve');
    expect(eventWaitsOf(waiting.payload)).toEqual([{ kind: 'timer', nodeId: 'boundary', dueAt: T0 + 48 * 3_600_000, timer: 'PT48H' }]);

    const events = await collect(await flow.resume('timer-first', { firedEvent: 'boundary', variables: {} }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { reminders: 1 } });
    expect(completed(events)).toEqual(['approve', 'boundary', 'escalate', 'escalated']);
    expect(events.find((event) => event.type === 'node.completed' && event.nodeId === 'approve')).toMatchObject({ output: { event: 'boundary', interrupting: true } });
    expect(completed(events)).not.toContain('done');
  });

  it('completes the task normally when the person answers first, and the boundary path never runs', async () => {
    const flow = runtime.compile(approval('escalate-48h', { eventDefinition: timer('duration', 'PT48H') }));
    await collect(flow.run({ reminders: 0 }, { threadId: 'person-first' }));
    const events = await collect(await flow.resume('person-first', { approved: true }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { approved: true, reminders: 0 } });
    expect(completed(events)).toEqual(['approve', 'done']);
  });

  it('takes a message boundary event with its variables', async () => {
    const flow = runtime.compile(approval('cancel-on-message', { eventDefinition: { type: 'message', messageName: 'order-cancelled', correlationKey: 'orderId' } }));
    const waiting = interruptOf(await collect(flow.run({ reminders: 0, orderId: 'A-1' }, { threadId: 'message-boundary' })));
    expect(eventWaitsOf(waiting.payload)).toEqual([{ kind: 'message', nodeId: 'boundary', messageName: 'order-cancelled', correlationKey: 'A-1' }]);
    const events = await collect(await flow.resume('message-boundary', { firedEvent: 'boundary', variables: { note: 'customer cancelled', unknown: 1 } }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { note: 'customer cancelled', reminders: 1 } });
  });

  it('lets a non-interrupting cycle timer fire as often as it repeats while the task waits on', async () => {
    now = T0;
    const flow = runtime.compile(approval('remind-hourly', { cancelActivity: false, eventDefinition: timer('cycle', 'R2/PT1H') }));
    let waiting = interruptOf(await collect(flow.run({ reminders: 0 }, { threadId: 'cycle' })));
    expect(eventWaitsOf(waiting.payload)).toMatchObject([{ kind: 'timer', nodeId: 'boundary', dueAt: T0 + 3_600_000 }]);

    now = T0 + 3_600_000;
    let events = await collect(await flow.resume('cycle', { firedEvent: 'boundary', variables: {} }, { interruptId: waiting.interruptId }));
    // The reminder path ran, and the task waits again, with the timer's next due time.
    expect(completed(events)).toEqual(expect.arrayContaining(['boundary', 'escalate', 'escalated']));
    waiting = interruptOf(events);
    expect(readHumanRequest(waiting.payload)?.nodeId).toBe('approve');
    expect(eventWaitsOf(waiting.payload)).toMatchObject([{ kind: 'timer', nodeId: 'boundary', dueAt: T0 + 2 * 3_600_000 }]);
    expect((await flow.getState('cycle')).values).toMatchObject({ reminders: 1 });

    now = T0 + 2 * 3_600_000;
    events = await collect(await flow.resume('cycle', { firedEvent: 'boundary', variables: {} }, { interruptId: waiting.interruptId }));
    waiting = interruptOf(events);
    // R2: both repetitions are done, so the task now waits for the person only.
    expect(eventWaitsOf(waiting.payload)).toEqual([]);
    events = await collect(await flow.resume('cycle', { approved: true }, { interruptId: waiting.interruptId }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { reminders: 2, approved: true } });
    expect(completed(events)).toContain('done');
  });

  it('works on a user task inside a sub-process: the timer ends the task and its path runs in the sub-process', async () => {
    now = T0;
    const inner = approval('unused', { eventDefinition: timer('duration', 'PT1H') });
    const flow = runtime.compile(
      process(
        'nested-escalation',
        [
          node('start', 'bpmn.startEvent'),
          node('sub', 'bpmn.subProcess', { isExpanded: true }),
          ...(inner.nodes ?? []).map((each) => ({ ...each, id: `in-${each.id}`, parent: 'sub', config: each.id === 'boundary' ? { ...each.config, attachedTo: 'in-approve' } : each.config })),
          node('after', 'bpmn.endEvent'),
        ],
        [
          ['start', 'sub'],
          ['sub', 'after'],
          ['in-start', 'in-approve'],
          ['in-approve', 'in-done'],
          ['in-boundary', 'in-escalate'],
          ['in-escalate', 'in-escalated'],
        ],
      ),
    );
    const waiting = interruptOf(await collect(flow.run({ reminders: 0 }, { threadId: 'nested' })));
    expect(eventWaitsOf(waiting.payload)).toEqual([{ kind: 'timer', nodeId: 'in-boundary', dueAt: T0 + 3_600_000, timer: 'PT1H' }]);
    const events = await collect(await flow.resume('nested', { firedEvent: 'in-boundary', variables: {} }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { reminders: 1 } });
    expect(completed(events)).toEqual(expect.arrayContaining(['in-escalate', 'sub', 'after']));
  });

  it('refuses a timer boundary event on a task that does not wait, naming both', () => {
    const flow = approval('on-a-script', { eventDefinition: timer('duration', 'PT1H') });
    flow.nodes = (flow.nodes ?? []).map((each) => (each.id === 'approve' ? node('approve', 'bpmn.scriptTask', { scriptFormat: 'feel', script: 'true', resultVariable: 'approved' }) : each));
    expect(() => runtime.compile(flow)).toThrow(/node "approve": the timer boundary event "boundary" cannot run on it/);
  });
});

describe('event-based gateway', () => {
  const race = process(
    'payment-or-timeout',
    [
      node('start', 'bpmn.startEvent'),
      node('gateway', 'bpmn.eventBasedGateway'),
      node('paid', 'bpmn.intermediateCatchEvent', { eventDefinition: { type: 'message', messageName: 'payment', correlationKey: 'orderId' } }),
      node('timeout', 'bpmn.intermediateCatchEvent', { eventDefinition: timer('duration', 'P7D') }),
      node('stop', 'bpmn.intermediateCatchEvent', { eventDefinition: { type: 'signal', signalName: 'shutdown' } }),
      node('ship', 'bpmn.endEvent'),
      node('remind', 'bpmn.scriptTask', { scriptFormat: 'feel', script: 'reminders + 1', resultVariable: 'reminders' }),
      node('cancelled', 'bpmn.endEvent'),
      node('stopped', 'bpmn.endEvent'),
    ],
    [
      ['start', 'gateway'],
      ['gateway', 'paid'],
      ['gateway', 'timeout'],
      ['gateway', 'stop'],
      ['paid', 'ship'],
      ['timeout', 'remind'],
      ['remind', 'cancelled'],
      ['stop', 'stopped'],
    ],
  );

  it('waits for all its events at once and goes on along the one that came first only', async () => {
    now = T0;
    const flow = runtime.compile(race);
    const waiting = interruptOf(await collect(flow.run({ reminders: 0, orderId: 'O-7' }, { threadId: 'race-timer' })));
    expect(waiting).toMatchObject({ kind: 'events', nodeId: 'gateway' });
    expect(eventWaitsOf(waiting.payload)).toEqual([
      { kind: 'message', nodeId: 'paid', messageName: 'payment', correlationKey: 'O-7' },
      { kind: 'timer', nodeId: 'timeout', dueAt: T0 + 7 * 86_400_000, timer: 'P7D' },
      { kind: 'signal', nodeId: 'stop', signalName: 'shutdown' },
    ]);
    const events = await collect(await flow.resume('race-timer', { firedEvent: 'timeout', variables: {} }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { reminders: 1 } });
    expect(completed(events)).toEqual(['gateway', 'timeout', 'remind', 'cancelled']);
  });

  it('delivers the winning message its variables', async () => {
    const flow = runtime.compile(race);
    await collect(flow.run({ reminders: 0, orderId: 'O-8' }, { threadId: 'race-message' }));
    const events = await collect(await flow.resume('race-message', { firedEvent: 'paid', variables: { note: 'paid by card' } }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { note: 'paid by card', reminders: 0 } });
    expect(completed(events)).toEqual(['gateway', 'paid', 'ship']);
  });

  it('keeps waiting when resumed without naming the event that came', async () => {
    const flow = runtime.compile(race);
    await collect(flow.run({ reminders: 0, orderId: 'O-9' }, { threadId: 'race-unnamed' }));
    const waiting = interruptOf(await collect(await flow.resume('race-unnamed', { note: 'which one?' })));
    expect(waiting).toMatchObject({ kind: 'events', nodeId: 'gateway', payload: { rejected: expect.stringContaining('"paid"') } });
    const events = await collect(await flow.resume('race-unnamed', { firedEvent: 'stop', variables: {} }));
    expect(completed(events)).toEqual(['gateway', 'stop', 'stopped']);
  });
});

describe('signal catch events', () => {
  it('waits for a signal by name and goes on when it comes', async () => {
    const flow = runtime.compile(
      process('wait-for-go', [node('start', 'bpmn.startEvent'), node('go', 'bpmn.intermediateCatchEvent', { eventDefinition: { type: 'signal', signalName: 'go' } }), node('end', 'bpmn.endEvent')], [
        ['start', 'go'],
        ['go', 'end'],
      ]),
    );
    const waiting = interruptOf(await collect(flow.run({}, { threadId: 'signal' })));
    expect(waiting).toMatchObject({ kind: 'signal', payload: { kind: 'signal', nodeId: 'go', signalName: 'go' } });
    const events = await collect(await flow.resume('signal', { firedEvent: 'go', variables: { note: 'released' } }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { note: 'released' } });
  });
});

describe('the examples that wait for events run through their paths', () => {
  const examplesDir = join(import.meta.dirname, '../../../examples/bpmn');
  const example = (name: string) => JSON.parse(readFileSync(join(examplesDir, `${name}.json`), 'utf8')) as FlowDocumentInput & { nodes: Node[] };

  it('payment-reminder: reminds every 14 days until paid, or hands over to collections after the third reminder', async () => {
    now = T0;
    const flow = runtime.compile(example('payment-reminder'));
    let waiting = interruptOf(await collect(flow.run({ invoiceId: 'INV-1', amount: 120 }, { threadId: 'reminders' })));
    const sent: unknown[] = [];
    for (let reminder = 1; reminder <= 4; reminder += 1) {
      expect(waiting).toMatchObject({ kind: 'events', nodeId: 'gw-await' });
      expect(eventWaitsOf(waiting.payload)).toEqual([
        { kind: 'message', nodeId: 'payment-received', messageName: 'payment-received', correlationKey: 'INV-1' },
        { kind: 'timer', nodeId: 'reminder-due', dueAt: now + 14 * 86_400_000, timer: 'P14D' },
      ]);
      now += 14 * 86_400_000;
      const events = await collect(await flow.resume('reminders', { firedEvent: 'reminder-due', variables: {} }));
      sent.push(...events.flatMap((event) => (event.type === 'node.completed' && event.nodeId === 'send-reminder' ? [event.output] : [])));
      waiting = interruptOf(events);
    }
    expect(sent).toEqual([1, 2, 3].map((reminder) => ({ message: { name: 'payment-reminder', payload: { invoiceId: 'INV-1', reminder } } })));
    expect(waiting).toMatchObject({ kind: 'human', nodeId: 'collections' });
    expect(last(await collect(await flow.resume('reminders', {})))).toMatchObject({ type: 'run.completed', state: { reminders: 4 } });

    await collect(flow.run({ invoiceId: 'INV-2', amount: 80 }, { threadId: 'paid' }));
    await collect(await flow.resume('paid', { firedEvent: 'reminder-due', variables: {} }));
    const paid = await collect(await flow.resume('paid', { firedEvent: 'payment-received', variables: { amount: 80 } }));
    expect(last(paid)).toMatchObject({ type: 'run.completed', state: { reminders: 1 } });
    expect(completed(paid)).toEqual(['gw-await', 'payment-received', 'end-paid']);
  });

  it('incident-escalation: the overdue triage escalates without ending it, and the incident goes on to its post-mortem', async () => {
    now = T0;
    const document = example('incident-escalation');
    // The example's health check calls a real status page; here a host handler answers for it.
    document.nodes = document.nodes.map((each) => (each.id === 'health-check' ? { ...each, config: { implementation: { kind: 'external', topic: 'health' }, resultVariable: 'health' } } : each));
    const jobs: string[] = [];
    const handler = (topic: string) => () => {
      jobs.push(topic);
      return topic === 'health' ? { status: 'ok' } : {};
    };
    const withJobs = new FlowRuntime({ checkpointer: saver, hostServices: { clock: { now: () => now } }, serviceTasks: { 'status-page': handler('status-page'), ticketing: handler('ticketing'), health: handler('health') } });
    const flow = withJobs.compile(document);
    let waiting = interruptOf(await collect(flow.run({ incidentId: 'INC-1' }, { threadId: 'incident' })));
    expect(waiting).toMatchObject({ kind: 'human', nodeId: 'triage' });
    expect(eventWaitsOf(waiting.payload)).toEqual([{ kind: 'timer', nodeId: 'triage-overdue', dueAt: T0 + 30 * 60_000, timer: 'PT30M' }]);

    now = T0 + 30 * 60_000;
    let events = await collect(await flow.resume('incident', { firedEvent: 'triage-overdue', variables: {} }));
    expect(events.find((event) => event.type === 'node.completed' && event.nodeId === 'escalate')).toMatchObject({ output: { message: { name: 'duty-manager-escalation', payload: { incidentId: 'INC-1' } } } });
    // Triage still waits, now for the person only: a duration timer fires once.
    waiting = interruptOf(events);
    expect(waiting).toMatchObject({ kind: 'human', nodeId: 'triage' });
    expect(eventWaitsOf(waiting.payload)).toEqual([]);

    events = await collect(await flow.resume('incident', { severity: 'critical', summary: 'checkout down' }));
    expect(interruptOf(events)).toMatchObject({ kind: 'human', nodeId: 'resolve' });
    // Critical: paged and on the status page; a ticket is the inclusive gateway's default only.
    expect(jobs).toEqual(['status-page']);
    events = await collect(await flow.resume('incident', { rootCause: 'a full disk' }));
    expect(interruptOf(events)).toMatchObject({ kind: 'human', nodeId: 'post-mortem' });
    events = await collect(await flow.resume('incident', { postMortemUrl: 'https://wiki.example.com/pm/1' }));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { severity: 'critical', rootCause: 'a full disk' } });
    expect(jobs).toEqual(['status-page', 'health']);
  });
});
