// BPMN processes waiting for timers and messages on the server: timers are rows fired by the
// scheduler by an injected clock (no test waits for wall time), also by a server started after
// the one that stored them; messages are delivered by POST /api/messages.
import type { FlowDocumentInput } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../errors';
import { outcome, storeAndStart, useClockedServers } from '../testing/clocked-servers';
import { jsonRequest as json } from '../testing/fixtures';

const at = { x: 0, y: 0 };
const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);

/** start → the waiting node → n + 1 → end, over `n` and `invoiceId`. */
function waitingProcess(id: string, waiting: { type: string; config: Record<string, unknown> }): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name: id,
    kind: 'bpmn',
    state: { channels: [{ name: 'n', type: 'number' }, { name: 'invoiceId', type: 'string' }] },
    nodes: [
      { id: 'start', type: 'bpmn.startEvent', position: at },
      { id: 'wait', position: at, ...waiting },
      { id: 'count', type: 'bpmn.scriptTask', position: at, config: { scriptFormat: 'feel', script: 'n + 1', resultVariable: 'n' } },
      { id: 'end', type: 'bpmn.endEvent', position: at },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'wait' },
      { id: 'e2', source: 'wait', target: 'count' },
      { id: 'e3', source: 'count', target: 'end' },
    ],
  };
}
const timerProcess = waitingProcess('reminder', { type: 'bpmn.intermediateCatchEvent', config: { eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT1H' } } });
const messageProcess = waitingProcess('invoice', { type: 'bpmn.receiveTask', config: { messageName: 'payment-received', correlationKey: 'invoiceId' } });

const { clock, server } = useClockedServers(T0);

describe('BPMN timers on the server', () => {
  it('stores the timer of a waiting process and fires it once it is due by the clock', async () => {
    const { services, request } = await server();
    const started = await storeAndStart(request, timerProcess, { n: 1 });
    expect(started.waiting).toMatchObject({ type: 'interrupt', kind: 'timer', payload: { dueAt: T0 + 3_600_000 } });

    clock.at = T0 + 3_599_999;
    expect(await services.runManager.fireDueTimers()).toEqual([]);
    clock.at = T0 + 3_600_000;
    const [fired, ...more] = await services.runManager.fireDueTimers();
    expect(more).toEqual([]);
    expect(await outcome(request, fired as string)).toMatchObject({ type: 'run.completed', state: { n: 2 } });
    // Fired once: a second round finds nothing.
    clock.at += 60_000;
    expect(await services.runManager.fireDueTimers()).toEqual([]);
  });

  it('fires a timer stored by a server that stopped, from a server started later on the same database', async () => {
    const first = await server();
    const started = await storeAndStart(first.request, timerProcess, { n: 10 });
    await first.services.close();

    clock.at = T0 + 2 * 3_600_000;
    const second = await server();
    const [fired] = await second.services.runManager.fireDueTimers();
    expect(await outcome(second.request, fired as string)).toMatchObject({ type: 'run.completed', state: { n: 11 } });
    const state = (await (await second.request(`/api/threads/${started.threadId}/state`)).json()) as { next: string[]; values: { n: number } };
    expect(state).toMatchObject({ next: [], values: { n: 11 } });
  });
});

describe('POST /api/messages', () => {
  it('delivers a message to the instance waiting for its name and correlation key, with its variables', async () => {
    const { request } = await server();
    const one = await storeAndStart(request, messageProcess, { n: 1, invoiceId: 'INV-1' });
    const two = (await (await request('/api/flows/invoice/runs', json('POST', { input: { n: 100, invoiceId: 'INV-2' } }))).json()) as { runId: string; threadId: string };
    expect(one.waiting).toMatchObject({ type: 'interrupt', kind: 'message', payload: { messageName: 'payment-received', correlationKey: 'INV-1' } });
    await outcome(request, two.runId);

    const delivered = await request('/api/messages', json('POST', { name: 'payment-received', correlationKey: 'INV-2', variables: { n: 500 } }));
    expect(delivered.status).toBe(202);
    const { runId, threadId } = (await delivered.json()) as { runId: string; threadId: string };
    expect(threadId).toBe(two.threadId);
    expect(await outcome(request, runId)).toMatchObject({ type: 'run.completed', state: { n: 501, invoiceId: 'INV-2' } });
    // The other instance still waits for its own key.
    expect(((await (await request(`/api/threads/${one.threadId}/state`)).json()) as { next: string[] }).next).toEqual(['wait']);
  });

  it('answers 404 naming the message and the key when no instance waits for it, also a second time', async () => {
    const { request } = await server();
    // The instance waits (storeAndStart read its run to the end) before the stranger arrives.
    expect((await storeAndStart(request, messageProcess, { n: 1, invoiceId: 'INV-9' })).waiting).toMatchObject({ type: 'interrupt', kind: 'message' });
    const stranger = await request('/api/messages', json('POST', { name: 'payment-received', correlationKey: 'INV-404' }));
    expect(stranger.status).toBe(404);
    expect(((await stranger.json()) as ApiErrorBody).error).toMatchObject({ code: 'message_not_correlated', message: 'No process instance waits for message "payment-received" with correlation key "INV-404", and no process starts on it.' });

    expect((await request('/api/messages', json('POST', { name: 'payment-received', correlationKey: 'INV-9' }))).status).toBe(202);
    const again = await request('/api/messages', json('POST', { name: 'payment-received', correlationKey: 'INV-9' }));
    expect(again.status).toBe(404);
  });

  it('starts the process whose message start event it names when no instance waits for it', async () => {
    const { request } = await server();
    const started: FlowDocumentInput = {
      ...waitingProcess('paid', { type: 'bpmn.manualTask', config: {} }),
      nodes: waitingProcess('paid', { type: 'bpmn.manualTask', config: {} }).nodes.map((node) =>
        node.id === 'start' ? { ...node, config: { eventDefinition: { type: 'message', messageName: 'invoice-paid' } } } : node,
      ),
    };
    expect((await request('/api/flows', json('POST', started))).status).toBe(201);
    const res = await request('/api/messages', json('POST', { name: 'invoice-paid', variables: { n: 7, invoiceId: 'INV-3' } }));
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    expect(await outcome(request, runId)).toMatchObject({ type: 'run.completed', state: { n: 8, invoiceId: 'INV-3' } });
  });
});
