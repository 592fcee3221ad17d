import { DEFAULT_DATABASE_URL } from '@loomflow/checkpoint-libsql';
import { RUN_EVENT_VERSION, type RunEvent, type RunEventBody } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { memoryIo } from './memory-io';
import { commandLine, describeFailure, reportRun } from './run-report';

const threadId = 'thread-1';

function stamp(bodies: RunEventBody[]): RunEvent[] {
  return bodies.map((body, seq) => ({ ...body, v: RUN_EVENT_VERSION, runId: 'run-1', threadId, seq, ts: 0 }) as RunEvent);
}

async function* stream(events: RunEvent[]): AsyncIterable<RunEvent> {
  yield* events;
}

async function report(bodies: RunEventBody[], options: { events?: boolean; dbUrl?: string } = {}) {
  const { io, output } = memoryIo();
  const exitCode = await reportRun(stream(stamp(bodies)), io, { events: options.events ?? false, dbUrl: options.dbUrl ?? DEFAULT_DATABASE_URL });
  return { exitCode, ...output };
}

const started: RunEventBody = { type: 'run.started', flowId: 'f', input: {} };
const approvalRequest = { kind: 'human', nodeId: 'approve', prompt: 'Approve it?\nReally?', schema: { type: 'object' } };
const approval: RunEventBody = {
  type: 'interrupt',
  interruptId: 'i-1',
  nodeId: 'approve',
  kind: 'human',
  payload: approvalRequest,
  schema: { type: 'object' },
};

describe('reportRun', () => {
  it('says which events a waiting process races: a gateway\'s, a user task\'s boundary events', async () => {
    const dueAt = Date.UTC(2026, 5, 3, 8);
    const gateway: RunEventBody = {
      type: 'interrupt',
      interruptId: 'i-2',
      nodeId: 'gw',
      kind: 'events',
      payload: { kind: 'events', nodeId: 'gw', events: [{ kind: 'message', nodeId: 'paid', messageName: 'payment', correlationKey: 'INV-1' }, { kind: 'signal', nodeId: 'stop', signalName: 'shutdown' }] },
    };
    expect((await report([started, gateway])).stderr).toContain('is waiting at node "gw" for message "payment" with correlation key "INV-1" or signal "shutdown"');
    const withBoundary: RunEventBody = { ...approval, payload: { ...approvalRequest, boundaryEvents: [{ kind: 'timer', nodeId: 'overdue', dueAt, timer: 'PT48H' }] } };
    expect((await report([started, withBoundary])).stderr).toContain('  or, first: its timer (PT48H), due 2026-06-03T08:00:00.000Z (boundary event "overdue")');
  });

  it('prints the final state as one JSON object and exits with 0', async () => {
    const { exitCode, stdout, stderr } = await report([started, { type: 'run.completed', state: { count: 5 } }]);
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ count: 5 });
    expect(stderr).toBe('');
  });

  it('prints every event as one JSON line with --events', async () => {
    const { stdout } = await report([started, { type: 'run.completed', state: { count: 5 } }], { events: true });
    const lines = stdout.trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as RunEvent)).toEqual(stamp([started, { type: 'run.completed', state: { count: 5 } }]));
  });

  it('names the failed node once and exits with 4', async () => {
    const { exitCode, stdout, stderr } = await report([started, { type: 'run.failed', nodeId: 'n1', error: { code: 'feel', message: 'node "n1": bad expression' } }]);
    expect(exitCode).toBe(4);
    expect(stdout).toBe('');
    expect(stderr).toBe('loomflow: run failed at node "n1": bad expression (feel)\n');
  });

  it('says what a waiting step asks and how to answer it, and exits with 3', async () => {
    const { exitCode, stdout, stderr } = await report([started, approval], { dbUrl: 'file:/tmp/my runs.db' });
    expect(exitCode).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'loomflow: thread thread-1 is waiting for an answer at node "approve"',
        '  prompt: Approve it? Really?',
        '  answer schema: {"type":"object"}',
        "  to answer: loomflow resume --thread thread-1 --db 'file:/tmp/my runs.db' --value '<json>'",
        '',
      ].join('\n'),
    );
  });

  it('lists the form of a waiting step: key, label, type and whether it is required', async () => {
    const fields = [
      { key: 'approved', label: 'Approve the refund', type: 'boolean', required: true },
      { key: 'level', label: 'level', type: 'enum', required: false, options: [{ value: 'low', label: 'Low' }, { value: 'high', label: 'High' }] },
    ];
    const { stderr } = await report([started, { ...approval, payload: { ...approvalRequest, fields } }]);
    expect(stderr).toContain(['  prompt: Approve it? Really?', '  form:', '    approved "Approve the refund": boolean, required', '    level: one of low, high', ''].join('\n'));
  });

  it('names the interrupt to answer when several wait', async () => {
    const { stderr } = await report([started, approval, { ...approval, interruptId: 'i-2', nodeId: 'review' }]);
    expect(stderr).toContain('loomflow resume --thread thread-1 --interrupt i-1 --value');
    expect(stderr).toContain('loomflow resume --thread thread-1 --interrupt i-2 --value');
  });

  it('tells how to continue from a breakpoint', async () => {
    const { exitCode, stderr } = await report([started, { type: 'interrupt', interruptId: 'b', nodeId: 'step2', kind: 'breakpoint', payload: {} }]);
    expect(exitCode).toBe(3);
    expect(stderr).toBe('loomflow: thread thread-1 paused at a breakpoint before node "step2"\n  to continue: loomflow resume --thread thread-1\n');
  });

  it('exits with 130 when the run was cancelled', async () => {
    const { exitCode, stderr } = await report([started, { type: 'run.cancelled', reason: 'interrupted by Ctrl-C' }]);
    expect(exitCode).toBe(130);
    expect(stderr).toBe(
      [
        'loomflow: run cancelled (interrupted by Ctrl-C); thread thread-1 keeps the state of its last checkpoint',
        '  to see it: loomflow state --thread thread-1',
        '  to continue: loomflow resume --thread thread-1',
        '',
      ].join('\n'),
    );
  });
});

describe('describeFailure', () => {
  it('says what failed when no node is named', () => {
    expect(describeFailure({ code: 'recursion_limit', message: 'too many steps' }, undefined)).toBe('run failed: too many steps (recursion_limit)');
  });
});

describe('commandLine', () => {
  it('quotes only the arguments a shell would split or expand', () => {
    expect(commandLine(['loomflow', 'state', '--db', 'file:./data/x.db', '--thread', "it's $HOME"])).toBe(
      `loomflow state --db file:./data/x.db --thread 'it'\\''s $HOME'`,
    );
  });
});
