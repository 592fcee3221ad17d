// @vitest-environment node
// Against the real server app (testing/server-api.ts): a run of the human approval example pauses,
// its answer continues the thread, and a stream that breaks off is resumed with Last-Event-ID.
import { flowDocumentSchema, type FlowDocument, type RunEvent } from '@loomflow/graph-schema';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainFlow } from '@loomflow/server/testing/flows';
import { createTestServerApi, type TestServerApi } from '../../testing/server-api';
import { followRun } from './follow-run';
import type { RunApi } from './run-api';
import type { QueuedNotice } from './run-state';

const approval = JSON.parse(readFileSync(new URL('../../../../../examples/agent/human-approval.json', import.meta.url), 'utf8')) as FlowDocument;

let server: TestServerApi;
beforeEach(async () => {
  server = await createTestServerApi();
  await server.api.create(approval);
});
afterEach(() => server.dispose());

async function collect(api: RunApi, runId: string): Promise<{ outcome: string; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  const outcome = await followRun(api, runId, { signal: new AbortController().signal, onEvents: (batch) => events.push(...batch), sleep: async () => {} });
  return { outcome, events };
}

describe('followRun', () => {
  it('follows a run to its pause, and the answered thread to its end', async () => {
    const { runId, threadId } = await server.runs.start(approval.id, { orderId: 'A-1', amount: 20 });
    const paused = await collect(server.runs, runId);
    expect(paused.outcome).toBe('waiting');
    const interrupt = paused.events.find((event) => event.type === 'interrupt');
    expect(interrupt).toMatchObject({ nodeId: 'approve', kind: 'human' });

    const interruptId = interrupt?.type === 'interrupt' ? interrupt.interruptId : '';
    const wrong = server.runs.resume(threadId, { interruptId, value: { approved: 'yes' } });
    await expect(wrong).rejects.toMatchObject({ status: 422, code: 'answer_rejected' });

    const next = await server.runs.resume(threadId, { interruptId, value: { approved: true, comment: 'Fine.' } });
    const done = await collect(server.runs, next.runId);
    expect(done.outcome).toBe('run.completed');
    expect(done.events.at(-1)).toMatchObject({ type: 'run.completed', state: { approved: true, reply: expect.stringContaining('Fine.') } });
  });

  it('reconnects after a broken stream from the last event it got, losing and repeating nothing', async () => {
    const { runId } = await server.runs.start(approval.id, { orderId: 'A-2', amount: 5 });
    const asked: number[] = [];
    let breaks = 1;
    // The first stream breaks off after its first chunk, as a dropped connection would.
    const flaky: RunApi = {
      ...server.runs,
      async events(id, after, signal) {
        asked.push(after);
        const stream = await server.runs.events(id, after, signal);
        if (breaks-- <= 0) return stream;
        const reader = stream.getReader();
        return new ReadableStream({
          async pull(controller) {
            const { value } = await reader.read();
            if (value) controller.enqueue(value);
            controller.error(new Error('connection reset'));
          },
        });
      },
    };
    const { outcome, events } = await collect(flaky, runId);
    expect(outcome).toBe('waiting');
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
    expect(asked[0]).toBe(-1);
    expect(asked[1]).toBeGreaterThanOrEqual(0);
  });
});

describe('reading events', () => {
  it('skips events of a newer protocol or an unknown type, and keeps the rest in order', async () => {
    const { runId } = await server.runs.start(approval.id, { orderId: 'A-3', amount: 5 });
    const real = server.runs.events.bind(server.runs);
    // The server's own stream, with two frames of a protocol this page does not know put first.
    const api: RunApi = {
      ...server.runs,
      events: async (id, after, signal) => {
        const stream = await real(id, after, signal);
        const foreign = 'event: run.started\ndata: {"v":2,"type":"run.started","seq":0}\n\nevent: x\ndata: {"v":1,"type":"node.teleported","seq":0}\n\n';
        const reader = stream.getReader();
        let first = true;
        return new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (first) {
              first = false;
              controller.enqueue(new TextEncoder().encode(foreign));
              return;
            }
            const { done, value } = await reader.read();
            if (done) controller.close();
            else controller.enqueue(value);
          },
        });
      },
    };
    const { outcome, events } = await collect(api, runId);
    expect(outcome).toBe('waiting');
    expect(events[0]).toMatchObject({ type: 'run.started', v: 1 });
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
    expect(events.some((event) => (event.type as string) === 'node.teleported')).toBe(false);
  });
});

describe('a run waiting for a slot', () => {
  it('hands over the server\'s run.queued note before the run\'s first event', async () => {
    const busy = await createTestServerApi({ maxConcurrentRuns: 1 });
    try {
      // The blocker holds the only slot until it is cancelled, whatever the machine's speed.
      await busy.api.create(flowDocumentSchema.parse(chainFlow('blocker', 200, { delayMs: 50 })));
      await busy.api.create(flowDocumentSchema.parse(chainFlow('second', 1)));
      const blocker = await busy.runs.start('blocker', {});
      const second = await busy.runs.start('second', {});
      const seen: (QueuedNotice | RunEvent)[] = [];
      const following = followRun(busy.runs, second.runId, {
        signal: new AbortController().signal,
        onEvents: (batch) => seen.push(...batch),
        onQueued: (notice) => {
          seen.push(notice);
          void busy.runs.cancel(blocker.runId);
        },
        sleep: async () => {},
      });
      expect(await following).toBe('run.completed');
      expect(seen[0]).toEqual({ runId: second.runId, maxConcurrentRuns: 1 });
      expect(seen[1]).toMatchObject({ type: 'run.started', runId: second.runId });
      expect(seen.filter((item) => !('type' in item))).toHaveLength(1);
    } finally {
      await busy.dispose();
    }
  });
});
