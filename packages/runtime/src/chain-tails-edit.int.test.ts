// Editing a normal thread "as" the routing node of a chain that takes its route itself: the edit
// goes on to the chain's route step, which takes the route on the edited state.
import { MemorySaver } from '@langchain/langgraph';
import type { RunEvent } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { FlowRuntime } from './flow-runtime';
import { agentExample } from './testing/flows';

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('an edit as the routing node of a chain with tails', () => {
  it('goes on where the route leads', async () => {
    const flow = new FlowRuntime({ checkpointer: new MemorySaver() }).compile(agentExample('loop-counter'));
    await collect(flow.run({}, { threadId: 'fork' }));
    const history = await flow.getHistory('fork');
    const afterTwo = history.find((state) => state.values.count === 2);
    expect(afterTwo).toBeDefined();
    await flow.updateState('fork', { count: 0 }, { asNode: 'check', checkpointId: afterTwo?.checkpointId as string });
    const state = await flow.getState('fork');
    // Next is the gateway's route, taken on the edited count.
    expect(state.next).toEqual(['check']);
    const forked = await collect(await flow.resume('fork', null));
    expect(forked.at(-1)).toMatchObject({ type: 'run.completed', state: { count: 5 } });
  });
});
