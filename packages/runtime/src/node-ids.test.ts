// LangGraph names nodes after the drawn ones, prefixed or suffixed where needed; the API speaks
// drawn ids, read from each LangGraph node's metadata rather than parsed back from its name.
import { MemorySaver } from '@langchain/langgraph';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { drawnNodeId } from './build-graph';
import { FlowRuntime } from './flow-runtime';

const at = { x: 0, y: 0 };

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}
const last = (events: RunEvent[]) => events[events.length - 1] as RunEvent;

describe('drawn node ids from LangGraph node metadata', () => {
  // Drawn ids cannot contain "#", but the builder's names do: a node named like a channel becomes
  // `node#<id>`, a map's helpers `<name>#each` and `<name>#collect`. Ids below are chosen so that
  // name mangling and parsing back would go wrong in either direction.
  const channels = [{ name: 'approved', type: 'boolean' as const }, { name: 'node', type: 'string' as const }];

  function humanFlow(humanId: string): FlowDocumentInput {
    return {
      schemaVersion: 1,
      id: 'ask',
      name: 'Ask',
      kind: 'agent',
      state: { channels },
      nodes: [
        { id: 'start', type: 'agent.start', position: at },
        { id: humanId, type: 'agent.human', position: at, config: { prompt: 'Approve?', schema: { type: 'object', properties: { approved: { type: 'boolean' } }, required: ['approved'] } } },
        { id: 'end', type: 'agent.end', position: at },
      ],
      edges: [
        { id: 'e0', source: 'start', target: humanId },
        { id: 'e1', source: humanId, target: 'end' },
      ],
    };
  }

  it.each(['approved', 'node', '__each', 'review.v2-each'])('reports the human step %s by its drawn id', async (humanId) => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver() });
    const flow = runtime.compile(humanFlow(humanId));
    const events = await collect(flow.run({}, { threadId: `t-${humanId}` }));
    expect(last(events)).toMatchObject({ type: 'interrupt', kind: 'human', nodeId: humanId });
    expect((await flow.getState(`t-${humanId}`)).interrupts.map((pending) => pending.nodeId)).toEqual([humanId]);
    const resumed = await collect(await flow.resume(`t-${humanId}`, { approved: true }));
    expect(last(resumed)).toMatchObject({ type: 'run.completed', state: { approved: true } });
  });

  it('reports a breakpoint before a node named like a channel by its drawn id', async () => {
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver() });
    const flow = runtime.compile(humanFlow('approved'));
    const events = await collect(flow.run({}, { threadId: 'bp', breakpoints: { before: ['approved'] } }));
    expect(last(events)).toMatchObject({ type: 'interrupt', kind: 'breakpoint', nodeId: 'approved', payload: { next: ['approved'] } });
    expect((await flow.getState('bp')).next).toEqual(['approved']);
  });

  it('keeps the name of a LangGraph node the builder did not add', () => {
    const nodes = { 'node#approved': { metadata: { loomflowNodeId: 'approved' } }, 'each#each': { metadata: { loomflowNodeId: 'each' } }, __start__: {} };
    expect(drawnNodeId(nodes, 'node#approved')).toBe('approved');
    expect(drawnNodeId(nodes, 'each#each')).toBe('each');
    expect(drawnNodeId(nodes, '__start__')).toBe('__start__');
  });
});
