// @vitest-environment node
import type { RunEvent, RunEventBody } from '@loomflow/graph-schema';
import { stampRunEvent } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { applyRunEvents, branchedAt, continueRun, idleRunState, queuedRun, type RunState } from './run-state';

function events(runId: string, ...bodies: RunEventBody[]): RunEvent[] {
  return bodies.map((body, seq) => stampRunEvent(body, { runId, threadId: 'thread-1', seq, ts: 1000 + seq }));
}

const node = (nodeId: string) => ({ nodeId, nodeType: 'agent.llm' });

describe('applyRunEvents', () => {
  it('follows nodes from running to finished with their duration, and keeps the final state', () => {
    const state = applyRunEvents(
      idleRunState,
      events(
        'run-1',
        { type: 'run.started', flowId: 'f', input: {} },
        { type: 'node.started', ...node('answer'), input: {}, attempt: 1 },
      ),
    );
    expect(state).toMatchObject({ status: 'running', runId: 'run-1', threadId: 'thread-1' });
    expect(state.nodes.get('answer')).toEqual({ status: 'running' });

    const done = applyRunEvents(
      state,
      events('run-1', { type: 'node.completed', ...node('answer'), input: {}, output: 'Hi', update: { answer: 'Hi' }, durationMs: 12 }, { type: 'run.completed', state: { answer: 'Hi' } }),
    );
    expect(done.nodes.get('answer')).toEqual({ status: 'completed', durationMs: 12 });
    expect(done).toMatchObject({ status: 'completed', finalState: { answer: 'Hi' } });
    // The earlier state is left as it was: the canvas compares the two.
    expect(state.nodes.get('answer')).toEqual({ status: 'running' });
  });

  it('grows a model reply token by token, and starts a new reply when the node runs again', () => {
    const bodies: RunEventBody[] = [
      { type: 'node.started', ...node('write'), input: {}, attempt: 1 },
      { type: 'llm.token', nodeId: 'write', token: 'Hello' },
      { type: 'llm.token', nodeId: 'write', token: ', world' },
    ];
    let state = applyRunEvents(idleRunState, events('r', ...bodies));
    expect(state.outputs).toEqual([{ nodeId: 'write', text: 'Hello, world', open: true }]);
    state = applyRunEvents(state, events('r', { type: 'node.completed', ...node('write'), input: {}, output: null, update: {}, durationMs: 3 }, ...bodies));
    expect(state.outputs.map((output) => output.text)).toEqual(['Hello, world', 'Hello, world']);
    expect(state.outputs.map((output) => output.open)).toEqual([false, true]);
  });

  it('pairs tool calls with their results', () => {
    const state = applyRunEvents(
      idleRunState,
      events(
        'r',
        { type: 'tool.call', nodeId: 'mcp', toolCallId: 'c1', name: 'echo', args: { text: 'x' } },
        { type: 'tool.result', nodeId: 'mcp', toolCallId: 'c1', name: 'echo', result: 'x', isError: false },
      ),
    );
    expect(state.tools).toEqual([{ toolCallId: 'c1', nodeId: 'mcp', name: 'echo', args: { text: 'x' }, result: 'x', isError: false }]);
  });

  it('shows a failure on the node it names, even when the node did not report it, and stops running marks', () => {
    const state = applyRunEvents(
      idleRunState,
      events(
        'r',
        { type: 'node.started', ...node('slow'), input: {}, attempt: 1 },
        { type: 'node.started', ...node('other'), input: {}, attempt: 1 },
        { type: 'run.failed', error: { code: 'timeout', message: 'took too long' }, nodeId: 'slow' },
      ),
    );
    expect(state.status).toBe('failed');
    expect(state.failure).toEqual({ code: 'timeout', message: 'took too long', nodeId: 'slow' });
    expect(state.nodes.get('slow')).toEqual({ status: 'failed', error: { code: 'timeout', message: 'took too long' } });
    expect(state.nodes.has('other')).toBe(false);
  });

  it('reads the human request of an interrupt, and a new run of the thread takes the pause away', () => {
    const payload = { kind: 'human', nodeId: 'approve', prompt: 'OK?', schema: { type: 'object' }, fields: [{ key: 'ok', label: 'OK', type: 'boolean', required: true }] };
    const waiting: RunState = applyRunEvents(
      idleRunState,
      events('r', { type: 'node.completed', ...node('prepare'), input: {}, output: null, update: {}, durationMs: 1 }, { type: 'interrupt', interruptId: 'i1', nodeId: 'approve', kind: 'human', payload }),
    );
    expect(waiting.status).toBe('waiting');
    expect(waiting.nodes.get('approve')).toEqual({ status: 'waiting' });
    expect(waiting.interrupts[0]?.request).toMatchObject({ prompt: 'OK?', fields: [{ key: 'ok', type: 'boolean' }] });

    const resumed = continueRun(waiting, 'run-2', 'thread-1');
    expect(resumed).toMatchObject({ status: 'running', runId: 'run-2', interrupts: [] });
    expect(resumed.nodes.has('approve')).toBe(false);
    expect(resumed.nodes.get('prepare')?.status).toBe('completed');
  });
});

describe('node executions', () => {
  it('keeps every execution of a node with its input, output, update, attempts and errors', () => {
    const state = applyRunEvents(
      idleRunState,
      events(
        'run-1',
        { type: 'node.started', ...node('fetch'), input: { n: 1 }, attempt: 1 },
        { type: 'node.failed', ...node('fetch'), error: { code: 'http.status', message: '503' }, attempt: 1, durationMs: 40 },
        { type: 'node.started', ...node('fetch'), input: { n: 1 }, attempt: 2 },
        { type: 'node.completed', ...node('fetch'), input: { n: 1 }, output: { status: 200 }, update: { body: 'ok' }, durationMs: 25 },
        { type: 'node.started', ...node('fetch'), input: { n: 2 }, attempt: 1 },
      ),
    );
    expect(state.executions.get('fetch')).toEqual([
      { runId: 'run-1', attempt: 1, startedAt: 1000, status: 'failed', input: { n: 1 }, error: { code: 'http.status', message: '503' }, durationMs: 40 },
      { runId: 'run-1', attempt: 2, startedAt: 1002, status: 'completed', input: { n: 1 }, output: { status: 200 }, update: { body: 'ok' }, durationMs: 25 },
      { runId: 'run-1', attempt: 1, startedAt: 1004, status: 'running', input: { n: 2 } },
    ]);
    expect(idleRunState.executions.size).toBe(0);
  });
});

describe('pauses', () => {
  it('tells a breakpoint pause from a wait for a person', () => {
    const state = applyRunEvents(
      idleRunState,
      events(
        'run-1',
        { type: 'interrupt', interruptId: 'breakpoint:c1', nodeId: 'check', kind: 'breakpoint', payload: { next: ['check'] } },
        { type: 'interrupt', interruptId: 'i1', nodeId: 'ask', kind: 'human', payload: {} },
      ),
    );
    expect(state.nodes.get('check')).toEqual({ status: 'waiting', paused: true });
    expect(state.nodes.get('ask')).toEqual({ status: 'waiting' });
  });
});

describe('branchedAt', () => {
  // A loop: count (step 1), check (step 2), count (step 3), check (step 4), end (step 5).
  const ran = applyRunEvents(
    idleRunState,
    events(
      'run-1',
      ...[
        ['count', 1],
        ['check', 2],
        ['count', 3],
        ['check', 4],
        ['end', 5],
      ].flatMap(([nodeId, step]): RunEventBody[] => [
        { type: 'node.started', ...node(String(nodeId)), input: { step }, attempt: 1, step: Number(step) },
        { type: 'node.completed', ...node(String(nodeId)), input: {}, output: step, update: {}, durationMs: Number(step) },
      ]),
    ),
  );

  it('keeps the executions of the steps up to the checkpoint, and the marks their last ones leave', () => {
    const branch = branchedAt(ran, { checkpointId: 'c2', step: 2 });
    expect([...branch.executions].map(([nodeId, list]) => [nodeId, list.map((execution) => execution.step)])).toEqual([
      ['count', [1]],
      ['check', [2]],
    ]);
    // 'end' ran on the branch left behind: no mark; the others show their last execution on this branch.
    expect(branch.nodes).toEqual(
      new Map([
        ['count', { status: 'completed', durationMs: 1 }],
        ['check', { status: 'completed', durationMs: 2 }],
      ]),
    );
  });

  it('keeps every execution but no mark when the server gave no step', () => {
    const branch = branchedAt(ran, { checkpointId: 'c2' });
    expect(branch.executions).toBe(ran.executions);
    expect(branch.nodes.size).toBe(0);
  });
});

describe('queuedRun', () => {
  const started = { ...idleRunState, status: 'running' as const, runId: 'run-2', threadId: 'thread-1', originRunId: 'run-2' };

  it('shows a run waiting for a free slot, with no node lit, until its first events move it on to running', () => {
    const queued = queuedRun(started, { runId: 'run-2', maxConcurrentRuns: 1 });
    expect(queued).toMatchObject({ status: 'queued', maxConcurrentRuns: 1 });
    expect(queued.nodes.size).toBe(0);
    const running = applyRunEvents(queued, events('run-2', { type: 'run.started', flowId: 'f', input: {} }, { type: 'node.started', ...node('answer'), input: {}, attempt: 1 }));
    expect(running.status).toBe('running');
    expect(running.nodes.get('answer')).toEqual({ status: 'running' });
    // A node starting moves it on even when run.started was not in the batch (a reconnection after it).
    expect(applyRunEvents(queued, events('run-2', { type: 'node.started', ...node('answer'), input: {}, attempt: 1 })).status).toBe('running');
  });

  it('ignores the notice of another run, and one arriving after the run began or ended', () => {
    expect(queuedRun(started, { runId: 'run-9', maxConcurrentRuns: 1 })).toBe(started);
    const begun = applyRunEvents(started, events('run-2', { type: 'node.started', ...node('answer'), input: {}, attempt: 1 }));
    expect(queuedRun(begun, { runId: 'run-2', maxConcurrentRuns: 1 })).toBe(begun);
    const done = applyRunEvents(started, events('run-2', { type: 'run.completed', state: {} }));
    expect(queuedRun(done, { runId: 'run-2', maxConcurrentRuns: 1 })).toBe(done);
  });
});
