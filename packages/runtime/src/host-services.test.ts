// The host's extension points: executors it registers, services they ask for by name, and events
// they stream into the run.
import { MemorySaver } from '@langchain/langgraph';
import { createDefaultRegistry, defineNodeType, type FlowDocumentInput, type RunEvent } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Executor } from './executors';
import { FlowRuntime } from './flow-runtime';

const at = { x: 0, y: 0 };
const text = (en: string) => ({ en, 'zh-CN': en });

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}
const last = (events: RunEvent[]) => events[events.length - 1] as RunEvent;

/** A host node type with side effects (so it is never fused or given an identity). */
const registry = createDefaultRegistry().register(
  defineNodeType({
    kind: 'agent',
    version: 1,
    category: 'ai',
    role: 'step',
    branching: 'all',
    inputs: [{ id: 'in' }],
    outputs: [{ id: 'out' }],
    type: 'acme.assistant',
    title: text('Assistant'),
    description: text('Answers with tokens and a tool call.'),
    configSchema: z.strictObject({}),
    defaults: {},
  }),
);

/** start → `nodeId` (acme.assistant) → end, with a `reply` and a `stampedAt` channel. */
function assistantFlow(nodeId = 'assistant'): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id: 'assistant-flow',
    name: 'Assistant',
    kind: 'agent',
    state: { channels: [{ name: 'reply', type: 'string' }, { name: 'stampedAt', type: 'number' }] },
    nodes: [
      { id: 'start', type: 'agent.start', position: at },
      { id: nodeId, type: 'acme.assistant', position: at },
      { id: 'end', type: 'agent.end', position: at },
    ],
    edges: [
      { id: 'e0', source: 'start', target: nodeId },
      { id: 'e1', source: nodeId, target: 'end' },
    ],
  };
}

const streamingAssistant: Executor = ({ service, emit }) => {
  const stampedAt = service('clock').now();
  for (const token of ['Hel', 'lo']) emit({ type: 'llm.token', token });
  emit({ type: 'tool.call', toolCallId: 'call-1', name: 'lookup', args: { q: 'x' } });
  emit({ type: 'tool.result', toolCallId: 'call-1', name: 'lookup', result: 'found', isError: false });
  return { update: { reply: 'Hello', stampedAt } };
};

describe('host services and streamed events', () => {
  it("gives a host executor the host's clock and streams its events between the node's start and end", async () => {
    const runtime = new FlowRuntime({
      checkpointer: new MemorySaver(),
      registry,
      executors: { 'acme.assistant': streamingAssistant },
      hostServices: { clock: { now: () => 1_234 } },
    });
    const events = await collect(runtime.compile(assistantFlow()).run({}));
    const ofAssistant = events.filter((event) => 'nodeId' in event && event.nodeId === 'assistant').map((event) => event.type);
    expect(ofAssistant).toEqual(['node.started', 'llm.token', 'llm.token', 'tool.call', 'tool.result', 'node.completed']);
    expect(events.find((event) => event.type === 'tool.call')).toMatchObject({ nodeId: 'assistant', name: 'lookup', args: { q: 'x' } });
    expect(events.filter((event) => event.type === 'llm.token').map((event) => event.token)).toEqual(['Hel', 'lo']);
    // Streamed events are run events like the others: stamped and numbered in order.
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { reply: 'Hello', stampedAt: 1_234 } });
  });

  it('reads Date.now through the default clock when the host lends none', async () => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), registry, executors: { 'acme.assistant': streamingAssistant } });
    const before = Date.now();
    const done = last(await collect(runtime.compile(assistantFlow()).run({})));
    expect(done.type === 'run.completed' && Number(done.state.stampedAt)).toBeGreaterThanOrEqual(before);
  });

  it('fails the node with service.unavailable, naming the node and the service, when the host lends no such service', async () => {
    const asksForModels: Executor = async ({ service }) => {
      await service('models').create({ provider: 'openai-compatible', model: 'm', temperature: 0 }, { nodeId: 'x' });
      return { update: {} };
    };
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), registry, executors: { 'acme.assistant': asksForModels } });
    const events = await collect(runtime.compile(assistantFlow('writer')).run({}));
    const failure = { code: 'service.unavailable', message: expect.stringMatching(/node "writer".*"models"/) as unknown };
    expect(events.find((event) => event.type === 'node.failed')).toMatchObject({ nodeId: 'writer', error: failure, attempt: 1 });
    expect(last(events)).toMatchObject({ type: 'run.failed', nodeId: 'writer', error: failure });
  });

  it('drops events an executor emits after it returned', async () => {
    let emitLater: (() => void) | undefined;
    const leaky: Executor = ({ emit }) => {
      emitLater = () => emit({ type: 'llm.token', token: 'late' });
      return { update: { reply: 'done' } };
    };
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), registry, executors: { 'acme.assistant': leaky } });
    const events: RunEvent[] = [];
    for await (const event of runtime.compile(assistantFlow()).run({})) {
      events.push(event);
      if (event.type === 'node.completed' && event.nodeId === 'assistant') emitLater?.();
    }
    expect(events.some((event) => event.type === 'llm.token')).toBe(false);
    expect(last(events).type).toBe('run.completed');
  });
});

describe('secrets a node resolved', () => {
  const SECRET = 'sk-test-0123456789abcdef';
  const hostServices = { credentials: { resolve: async (ref: string) => (ref === 'acme' ? SECRET : undefined) } };
  const runWith = async (executor: Executor) => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), registry, executors: { 'acme.assistant': executor }, hostServices });
    const flow = runtime.compile(assistantFlow());
    const events = await collect(flow.run({}, { threadId: 'secret' }));
    const state = await flow.getState('secret');
    // Nothing the run reports holds the secret, whatever the executor did with it.
    expect(JSON.stringify([events, state])).not.toContain(SECRET);
    return events;
  };

  it('are given to the executor', async () => {
    let seen: string | undefined;
    const events = await runWith(async ({ service }) => {
      seen = await service('credentials').resolve('acme');
      return { update: { reply: 'ok' } };
    });
    expect(seen).toBe(SECRET);
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { reply: 'ok' } });
  });

  it('fail the node with secret.leak when written to state or streamed', async () => {
    const writes: Executor = async ({ service }) => ({ update: { reply: `key=${await service('credentials').resolve('acme')}` } });
    const streams: Executor = async ({ service, emit }) => {
      emit({ type: 'llm.token', token: String(await service('credentials').resolve('acme')) });
      return { update: {} };
    };
    for (const executor of [writes, streams]) {
      const events = await runWith(executor);
      expect(last(events)).toMatchObject({ type: 'run.failed', nodeId: 'assistant', error: { code: 'secret.leak' } });
    }
  });

  it('are taken out of failure messages that quote them', async () => {
    const events = await runWith(async ({ service }) => {
      throw new Error(`401 Unauthorized: incorrect API key ${await service('credentials').resolve('acme')}`);
    });
    expect(last(events)).toMatchObject({ type: 'run.failed', nodeId: 'assistant', error: { message: 'node "assistant": 401 Unauthorized: incorrect API key [redacted]' } });
  });
});
