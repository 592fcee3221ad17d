// A node type the host registers itself, described by its traits only: the validator, the
// lowering, the builder and the runtime treat it by what it declares, with no change anywhere else.
import { MemorySaver } from '@langchain/langgraph';
import { createDefaultRegistry, defineNodeType, validateFlow, type FlowDocumentInput, type RunEvent } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Executor } from './executors';
import { FlowRuntime } from './flow-runtime';
import { lowerFlow } from './lower';

const at = { x: 0, y: 0 };
const step = { kind: 'agent', version: 1, category: 'data', role: 'step', branching: 'all', inputs: [{ id: 'in' }] } as const;
const text = (en: string) => ({ en, 'zh-CN': en });

function hostRegistry() {
  return createDefaultRegistry()
    .register(
      defineNodeType({
        ...step,
        type: 'acme.double',
        title: text('Double'),
        description: text('Doubles a number channel.'),
        configSchema: z.strictObject({ channel: z.string() }),
        defaults: { channel: 'n' },
        outputs: [{ id: 'out' }],
        traits: { pure: true, reads: (config) => [config.channel] },
      }),
    )
    .register(
      defineNodeType({
        ...step,
        type: 'acme.parity',
        title: text('Parity'),
        description: text('Leaves by "even" or "odd", the value it writes to its channel.'),
        configSchema: z.strictObject({ channel: z.string(), output: z.string() }),
        defaults: { channel: 'n', output: 'parity' },
        outputs: [{ id: 'even' }, { id: 'odd' }, { id: 'fallback' }],
        traits: { routesBy: (config) => config.output },
      }),
    )
    .register(
      defineNodeType({
        ...step,
        type: 'acme.gather',
        title: text('Gather'),
        description: text('Runs once every branch has arrived.'),
        configSchema: z.strictObject({}),
        defaults: {},
        outputs: [{ id: 'out' }],
        traits: { pure: true, joinsAll: true },
      }),
    );
}

const executors: Record<string, Executor> = {
  'acme.double': ({ node, state }) => {
    const channel = String(node.config.channel);
    return { update: { [channel]: Number(state[channel]) * 2 } };
  },
  'acme.parity': ({ node, state }) => ({ update: { [String(node.config.output)]: Number(state[String(node.config.channel)]) % 2 === 0 ? 'even' : 'odd' } }),
  'acme.gather': () => ({ update: { gathered: true } }),
};

/** start → double → double, then parity and note at once; parity's ports and note all lead to gather → end. */
const flow: FlowDocumentInput = {
  schemaVersion: 1,
  id: 'acme',
  name: 'Acme',
  kind: 'agent',
  state: {
    channels: [
      { name: 'n', type: 'number' },
      { name: 'parity', type: 'string' },
      { name: 'noted', type: 'boolean' },
      { name: 'gathered', type: 'boolean' },
    ],
  },
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { id: 'twice', type: 'acme.double', position: at, config: { channel: 'n' } },
    { id: 'again', type: 'acme.double', position: at, config: { channel: 'n' } },
    { id: 'parity', type: 'acme.parity', position: at, config: { channel: 'n', output: 'parity' } },
    { id: 'note', type: 'agent.assign', position: at, config: { assignments: [{ key: 'noted', value: 'true' }] } },
    { id: 'gather', type: 'acme.gather', position: at },
    { id: 'end', type: 'agent.end', position: at },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'twice' },
    { id: 'e2', source: 'twice', target: 'again' },
    { id: 'e3', source: 'again', target: 'parity' },
    { id: 'e4', source: 'again', target: 'note' },
    { id: 'e5', source: 'parity', target: 'gather', sourcePort: 'even' },
    { id: 'e6', source: 'parity', target: 'gather', sourcePort: 'odd' },
    { id: 'e7', source: 'note', target: 'gather' },
    { id: 'e8', source: 'gather', target: 'end' },
  ],
};

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('a node type known only by its traits', () => {
  it('validates against its own schema and ports', () => {
    const registry = hostRegistry();
    expect(validateFlow(flow, { registry }).filter((issue) => issue.severity === 'error')).toEqual([]);
    const wrongPort = { ...flow, edges: flow.edges?.map((edge) => (edge.id === 'e5' ? { ...edge, sourcePort: 'prime' } : edge)) };
    expect(validateFlow(wrongPort, { registry }).map((issue) => issue.code)).toContain('unknown-port');
  });

  it('lowers by its traits: pure nodes fuse, routesBy names the channel, joinsAll waits', () => {
    const ir = lowerFlow(flow, { registry: hostRegistry() });
    expect(ir.nodes.find((node) => node.id === 'twice')).toMatchObject({ pure: true, join: 'any' });
    expect(ir.nodes.find((node) => node.id === 'gather')).toMatchObject({ pure: true, join: 'all' });
    expect(ir.chains).toContainEqual(['start', 'twice', 'again']);
    expect(ir.routes).toContainEqual({ kind: 'port', source: 'parity', channel: 'parity', ports: { even: ['gather'], odd: ['gather'] }, fallbackPort: 'fallback' });
  });

  it('builds and runs with the executors the host lends', async () => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), registry: hostRegistry(), executors });
    const events = await collect(runtime.compile(flow).run({ n: 3 }));
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { n: 12, parity: 'even', noted: true, gathered: true } });
    const started = events.flatMap((event) => (event.type === 'node.started' ? [event.nodeId] : []));
    // parity and note run in one step, in either order; gather waits for both, once.
    expect(started.slice(0, 3)).toEqual(['start', 'twice', 'again']);
    expect(started.slice(3, 5).sort()).toEqual(['note', 'parity']);
    expect(started.slice(5)).toEqual(['gather', 'end']);
  });

  it('fails to compile, naming the node, when the host lends no executor for it', () => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), registry: hostRegistry() });
    expect(() => runtime.compile(flow)).toThrow(/node "twice": nodes of type acme.double cannot run/);
  });
});

describe('a stored node older than its type', () => {
  // Version 1 of acme.double named its channel `target`; version 2 calls it `channel`.
  const registry = () =>
    createDefaultRegistry().register(
      defineNodeType({
        ...step,
        version: 2,
        migrations: { 1: ({ target, ...rest }) => ({ ...rest, channel: target }) },
        type: 'acme.double',
        title: text('Double'),
        description: text('Doubles a number channel.'),
        configSchema: z.strictObject({ channel: z.string() }),
        defaults: { channel: 'n' },
        outputs: [{ id: 'out' }],
        traits: { pure: true, reads: (config) => [config.channel] },
      }),
    );
  const stored: FlowDocumentInput = {
    schemaVersion: 1,
    id: 'stored',
    name: 'Stored',
    kind: 'agent',
    state: { channels: [{ name: 'n', type: 'number' }] },
    nodes: [
      { id: 'start', type: 'agent.start', position: at },
      { id: 'twice', type: 'acme.double', position: at, config: { target: 'n' } },
      { id: 'end', type: 'agent.end', position: at },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'twice' },
      { id: 'e2', source: 'twice', target: 'end' },
    ],
  };

  it('is migrated before lowering, so the IR and the executor see the current config', async () => {
    expect(lowerFlow(stored, { registry: registry() }).nodes.find((node) => node.id === 'twice')?.config).toEqual({ channel: 'n' });
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), registry: registry(), executors });
    const events = await collect(runtime.compile(stored).run({ n: 3 }));
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { n: 6 } });
  });

  it('written by a newer Loomflow, fails to compile with type-version-too-new', () => {
    const newer = { ...stored, nodes: stored.nodes.map((node) => (node.id === 'twice' ? { ...node, typeVersion: 3, config: { channel: 'n' } } : node)) };
    expect(() => lowerFlow(newer, { registry: registry() })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ code: 'type-version-too-new', nodeId: 'twice' })] }));
  });
});
