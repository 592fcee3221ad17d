import { MemorySaver } from '@langchain/langgraph';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { FlowRuntime } from './flow-runtime';
import { formatBytes, isTruncatedValue, jsonBytes, previewLargeValues } from './limits';
import { agentExample, chainFlow } from './testing/flows';

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}
const last = (events: RunEvent[]) => events[events.length - 1] as RunEvent;
const at = { x: 0, y: 0 };

/** start → copy (writes `copy` from `text`) → append (adds `text` to `log`) → end. */
function copyFlow(): FlowDocumentInput {
  return {
    ...chainFlow(0),
    state: { channels: [{ name: 'text', type: 'string' }, { name: 'copy', type: 'string' }, { name: 'log', type: 'array', reducer: 'append', default: [] }] },
    nodes: [
      { id: 'start', type: 'agent.start', position: at },
      { id: 'copy', type: 'agent.assign', position: at, config: { assignments: [{ key: 'copy', value: 'text' }] } },
      { id: 'append', type: 'agent.assign', position: at, config: { assignments: [{ key: 'log', value: 'text' }] } },
      { id: 'end', type: 'agent.end', position: at },
    ],
    edges: [
      { id: 'e0', source: 'start', target: 'copy' },
      { id: 'e1', source: 'copy', target: 'append' },
      { id: 'e2', source: 'append', target: 'end' },
    ],
  };
}

/** loop-counter whose exit condition never holds. */
function endlessLoop(overrides: Partial<FlowDocumentInput> = {}): FlowDocumentInput {
  const flow = agentExample('loop-counter');
  return { ...flow, ...overrides, edges: (flow.edges ?? []).map((edge) => (edge.condition ? { ...edge, condition: 'count > -1' } : edge)) };
}

describe('values in run events', () => {
  it('keeps small values and previews large ones with their size', () => {
    const big = 'x'.repeat(5000);
    const shown = previewLargeValues({ small: 'hi', big, gone: undefined }, 1000);
    expect(shown.small).toBe('hi');
    expect(shown.gone).toBeUndefined();
    expect(isTruncatedValue(shown.big)).toBe(true);
    expect(shown.big).toMatchObject({ bytes: jsonBytes(big), preview: JSON.stringify(big).slice(0, 1000) });
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(jsonBytes('汉字')).toBe(8);
    expect(formatBytes(16 * 1024 * 1024)).toBe('16 MiB');
    expect(formatBytes(1500)).toBe('1500 bytes');
  });
});

describe('run limits', () => {
  it('fails a node whose output is too large before the state holds it, naming the setting', async () => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), limits: { maxNodeOutputBytes: 1000 }, limitNames: { maxNodeOutputBytes: 'LIMIT_OUT' } });
    const compiled = runtime.compile(copyFlow());
    const events = await collect(compiled.run({ text: 'y'.repeat(2000) }, { threadId: 'too-large', debug: true }));
    expect(last(events)).toMatchObject({ type: 'run.failed', nodeId: 'copy', error: { code: 'limit.output' } });
    const failure = last(events);
    expect(failure.type === 'run.failed' && failure.error.message).toMatch(/over the limit of 1000 bytes per node \(LIMIT_OUT\)/);
    // Nothing of the refused update reached a checkpoint.
    for (const state of await compiled.getHistory('too-large')) expect(state.values.copy).not.toContain('y');
  });

  it('fails the node that would grow the state past its limit', async () => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), limits: { maxStateBytes: 5000 } });
    const events = await collect(runtime.compile(copyFlow()).run({ text: 'z'.repeat(2000) }));
    // text + copy fit; text + copy + log do not.
    expect(last(events)).toMatchObject({ type: 'run.failed', nodeId: 'append', error: { code: 'limit.state' } });
  });

  it('shows a large input as a preview in node events while the state keeps it whole', async () => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), limits: { eventValuePreviewBytes: 100 } });
    const text = 'w'.repeat(500);
    const events = await collect(runtime.compile(copyFlow()).run({ text }));
    const completed = events.find((event) => event.type === 'node.completed' && event.nodeId === 'copy');
    expect(completed?.type === 'node.completed' && isTruncatedValue(completed.update.copy)).toBe(true);
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { copy: text } });
  });

  it('stops a run that goes on longer than its time limit', async () => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver() });
    const events = await collect(runtime.compile(endlessLoop({ recursionLimit: 1_000_000_000 })).run({}, { timeLimit: { ms: 200, setting: 'TEST_TIMEOUT' } }));
    expect(last(events)).toMatchObject({ type: 'run.failed', error: { code: 'run_timeout' } });
    const failure = last(events);
    expect(failure.type === 'run.failed' && failure.error.message).toContain('200 ms (TEST_TIMEOUT)');
  });

  it("takes the flow's own time limit when the host gives none", async () => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver() });
    const events = await collect(runtime.compile(endlessLoop({ runTimeoutMs: 200, recursionLimit: 1_000_000_000 })).run({}));
    const failure = last(events);
    expect(failure).toMatchObject({ type: 'run.failed', error: { code: 'run_timeout' } });
    expect(failure.type === 'run.failed' && failure.error.message).toContain("the flow's runTimeoutMs");
  });

  it("gives runs the host's default time limit, and caps a flow's own at the host's maximum", async () => {
    const runtime = new FlowRuntime({
      checkpointer: new MemorySaver(),
      limits: { defaultRunTimeoutMs: 150, maxRunTimeoutMs: 250 },
      limitNames: { defaultRunTimeoutMs: 'DEFAULT_TIMEOUT', maxRunTimeoutMs: 'MAX_TIMEOUT' },
    });
    const byDefault = last(await collect(runtime.compile(endlessLoop({ recursionLimit: 1_000_000_000 })).run({})));
    expect(byDefault.type === 'run.failed' && byDefault.error.message).toContain('150 ms (DEFAULT_TIMEOUT)');
    const capped = last(await collect(runtime.compile(endlessLoop({ runTimeoutMs: 3_600_000, recursionLimit: 1_000_000_000 })).run({})));
    expect(capped.type === 'run.failed' && capped.error.message).toContain('250 ms (MAX_TIMEOUT)');
  });

  it('stops a run that yields more events than its limit, naming the node and the setting', async () => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), limits: { maxRunEvents: 50 }, limitNames: { maxRunEvents: 'MAX_EVENTS' } });
    const loop = runtime.compile(endlessLoop({ recursionLimit: 1_000_000_000 }));
    const events = await collect(loop.run({}, { threadId: 'chatty' }));
    const failure = last(events);
    expect(failure).toMatchObject({ type: 'run.failed', error: { code: 'limit.events' } });
    expect(failure.type === 'run.failed' && failure.error.message).toMatch(/more than 50 events \(MAX_EVENTS\) and was stopped (while node "\w+" was running|after node "\w+" ran)/);
    expect(failure.type === 'run.failed' && loop.ir.nodes.some((node) => node.id === failure.nodeId)).toBe(true);
    // Fifty, then the failure: nothing after it, and the thread was left where the run stopped.
    expect(events).toHaveLength(51);
    expect(events.map((event) => event.seq)).toEqual([...Array(51).keys()]);
    expect((await loop.getState('chatty')).next.length).toBeGreaterThan(0);
  });

  it("counts the events a host stored before a crash against the run's event limit", async () => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), limits: { maxRunEvents: 50 } });
    const journal = { storedKeys: new Set<string>(), storedCount: 45, flush: () => Promise.resolve() };
    const events = await collect(runtime.compile(endlessLoop({ recursionLimit: 1_000_000_000 })).run({}, { journal }));
    expect(last(events)).toMatchObject({ type: 'run.failed', error: { code: 'limit.events', message: expect.stringContaining('more than 50 events (maxRunEvents)') } });
    expect(events).toHaveLength(6);
  });

  it('caps the recursion limit a flow asks for', async () => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), limits: { maxRecursionLimit: 30 }, limitNames: { maxRecursionLimit: 'MAX_STEPS' } });
    const events = await collect(runtime.compile(endlessLoop({ recursionLimit: 1_000_000_000 })).run({}));
    const failure = last(events);
    expect(failure).toMatchObject({ type: 'run.failed', error: { code: 'recursion_limit' } });
    expect(failure.type === 'run.failed' && failure.error.message).toMatch(/more than 30 steps \(the most MAX_STEPS allows\)/);
  });
});
