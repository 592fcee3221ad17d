// A host that stores events (the journal) and dies in the middle of a step: the run continued on
// the same checkpoints emits what the dead host did not store, and nothing it did.
import { MemorySaver } from '@langchain/langgraph';
import type { RunEvent } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { agentExample, chainFlow } from './testing/flows';
import { FlowRuntime } from './flow-runtime';
import { runEventKey, type RunJournal } from './run-journal';
import { consume, DyingJournal } from './testing/dying-journal';

const completedNodes = (events: readonly RunEvent[]) => events.flatMap((event) => (event.type === 'node.completed' ? [event.nodeId] : []));

describe('a run continued after its host died mid-step', () => {
  it('stores every node of a fused chain once, and the final state is right', async () => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver() });
    const flow = runtime.compile(chainFlow(5));
    const first = new DyingJournal((event) => event.type === 'node.completed' && event.nodeId === 'step1');
    await consume(flow.run({ count: 0 }, { threadId: 't1', runId: 'r1', journal: first }), first);
    expect(completedNodes(first.stored)).toEqual(['start', 'step0', 'step1']);
    // The fused step was never committed: the thread still has to run it.
    expect((await flow.getState('t1')).next).toEqual(['start']);

    const continued = new DyingJournal();
    for (const key of first.storedKeys) continued.storedKeys.add(key);
    await consume(await flow.resume('t1', null, { runId: 'r1', journal: continued }), continued);

    const log = [...first.stored, ...continued.stored];
    expect(completedNodes(log)).toEqual(['start', 'step0', 'step1', 'step2', 'step3', 'step4', 'end']);
    expect(log.filter((event) => event.type === 'node.started').map((event) => (event as { nodeId: string }).nodeId)).toEqual(['start', 'step0', 'step1', 'step2', 'step3', 'step4', 'end']);
    expect(log.filter((event) => event.type === 'run.started')).toHaveLength(1);
    const checkpoints = log.flatMap((event) => (event.type === 'checkpoint' ? [event.checkpointId] : []));
    expect(new Set(checkpoints).size).toBe(checkpoints.length);
    expect(log.at(-1)).toMatchObject({ type: 'run.completed', state: { count: 5 } });
  });

  it('re-executes only the map workers whose step was not committed, without repeating stored events', async () => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver() });
    const flow = runtime.compile(agentExample('map-over-list'));
    const items = [
      { sku: 'a', quantity: 2, unitPrice: 1.5 },
      { sku: 'b', quantity: 1, unitPrice: 10 },
      { sku: 'c', quantity: 3, unitPrice: 0.1 },
    ];
    const first = new DyingJournal((event) => event.type === 'node.completed' && event.nodeId === 'price-line');
    await consume(flow.run({ items }, { threadId: 't2', journal: first }), first);
    expect(completedNodes(first.stored).filter((id) => id === 'price-line')).toHaveLength(1);

    const continued = new DyingJournal();
    for (const key of first.storedKeys) continued.storedKeys.add(key);
    await consume(await flow.resume('t2', null, { journal: continued }), continued);
    const log = [...first.stored, ...continued.stored];
    expect(completedNodes(log).filter((id) => id === 'price-line')).toHaveLength(3);
    expect(log.filter((event) => event.type === 'node.started' && event.nodeId === 'price-line')).toHaveLength(3);
    expect(log.at(-1)).toMatchObject({ type: 'run.completed', state: { results: [{ lineTotal: 3 }, { lineTotal: 10 }, { lineTotal: 0.3 }], total: 13.3 } });
  });
});

describe('the order of events and commits', () => {
  it('commits a step only after the host stored its events', async () => {
    const checkpointer = new MemorySaver();
    const flow = new FlowRuntime({ checkpointer }).compile(chainFlow(3));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stored: RunEvent[] = [];
    const journal: RunJournal = { storedKeys: new Set(), storedCount: 0, flush: () => gate };
    const events = flow.run({ count: 0 }, { threadId: 't3', journal })[Symbol.asyncIterator]();
    for (let next = await events.next(); !next.done; next = await events.next()) {
      stored.push(next.value);
      if (next.value.type === 'node.completed' && next.value.nodeId === 'end') break;
    }
    // Every event of the fused step has been handed over, but the host has not stored them yet.
    const pending = events.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await flow.getState('t3')).next).toEqual(['start']);
    release();
    for (let next = await pending; !next.done; next = await events.next()) stored.push(next.value);
    expect(stored.at(-1)).toMatchObject({ type: 'run.completed', state: { count: 3 } });
    expect((await flow.getState('t3')).next).toEqual([]);
  });

  it('lets the steps of a sub-flow wait for their events like those of the parent', async () => {
    const flow = new FlowRuntime({ checkpointer: new MemorySaver(), services: { loadFlow: async (flowId) => agentExample(flowId) } }).compile(agentExample('checkout-with-subflow'));
    const journal = new DyingJournal();
    await consume(flow.run({ customer: 'Ada', order: { lines: [{ name: 'Tea', quantity: 2, unitPrice: 5 }] } }, { threadId: 't5', journal }), journal);
    expect(journal.stored.at(-1)).toMatchObject({ type: 'run.completed', state: { total: 12 } });
  });

  it('gives identities to the events a re-execution repeats, and none to those of nodes with effects', async () => {
    const flow = new FlowRuntime({ checkpointer: new MemorySaver() }).compile(agentExample('human-approval'));
    const events: RunEvent[] = [];
    for await (const event of flow.run({}, { threadId: 't4', journal: { storedKeys: new Set(), storedCount: 0, flush: () => Promise.resolve() } })) events.push(event);
    const keyOf = (type: RunEvent['type'], nodeId?: string) => events.filter((event) => event.type === type && (nodeId === undefined || ('nodeId' in event && event.nodeId === nodeId))).map(runEventKey);
    expect(keyOf('run.started')).toEqual(['run.started']);
    expect(keyOf('checkpoint').every((key) => key?.startsWith('checkpoint:'))).toBe(true);
    expect(keyOf('node.completed', 'start')[0]).toMatch(/^task:[0-9a-f-]+:1:1$/);
    const human = events.find((event) => event.type === 'interrupt') as { nodeId: string } | undefined;
    expect(human).toBeDefined();
    expect(keyOf('node.started', human?.nodeId)).toEqual([undefined]);
  });
});
