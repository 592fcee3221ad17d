import { describe, expect, it } from 'vitest';
import { isTerminalRunEvent, RUN_EVENT_VERSION, runEventSchema, stampRunEvent, terminalRunEventTypes, type RunEvent, type RunEventBody } from './index';

const envelope = { v: RUN_EVENT_VERSION, runId: 'r1', threadId: 't1', seq: 0, ts: 0 } as const;
const event = (body: RunEventBody): RunEvent => runEventSchema.parse({ ...body, ...envelope });

describe('terminal run events', () => {
  it('are the outcomes of a run: completed, failed, cancelled', () => {
    expect(terminalRunEventTypes).toEqual(['run.completed', 'run.failed', 'run.cancelled']);
    expect(isTerminalRunEvent(event({ type: 'run.completed', state: {} }))).toBe(true);
    expect(isTerminalRunEvent(event({ type: 'run.failed', error: { code: 'x', message: 'y' } }))).toBe(true);
    expect(isTerminalRunEvent(event({ type: 'run.cancelled' }))).toBe(true);
  });

  it('leave out interrupts, which a waiting run emits one per waiting step', () => {
    expect(isTerminalRunEvent(event({ type: 'interrupt', interruptId: 'i', nodeId: 'n', kind: 'human', payload: {} }))).toBe(false);
    expect(isTerminalRunEvent(event({ type: 'run.started', flowId: 'f', input: {} }))).toBe(false);
    expect(isTerminalRunEvent(event({ type: 'checkpoint', checkpointId: 'c', step: 0 }))).toBe(false);
  });
});

describe('stampRunEvent', () => {
  it('puts a body and its envelope together as a valid event of the current protocol version', () => {
    const stamped = stampRunEvent({ type: 'run.completed', state: { a: 1 } }, { runId: 'r1', threadId: 't1', seq: 3, ts: 5 });
    expect(stamped).toEqual({ type: 'run.completed', state: { a: 1 }, v: RUN_EVENT_VERSION, runId: 'r1', threadId: 't1', seq: 3, ts: 5 });
    expect(runEventSchema.parse(stamped)).toEqual(stamped);
  });
});
