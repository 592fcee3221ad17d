import { MemorySaver } from '@langchain/langgraph';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { FlowRuntime } from '../flow-runtime';
import { providerEmbedders } from '../models/embedder';
import type { Retriever } from '../host-services';
import { stepFlow } from '../testing/flows';

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** start → find (agent.retriever over the `handbook` base) → end. */
const searchFlow = (config: Record<string, unknown>): FlowDocumentInput =>
  stepFlow({ id: 'find', type: 'agent.retriever', config: { knowledgeBase: 'handbook', ...config } }, [{ name: 'question', type: 'string' }, { name: 'documents', type: 'array' }]);

describe('agent.retriever', () => {
  it("asks the host's retriever with the filled query and writes the passages, best first, with where they came from", async () => {
    const requests: unknown[] = [];
    const retriever: Retriever = {
      retrieve: (request) => {
        requests.push(request);
        return Promise.resolve([
          { content: 'Refunds take five days.', score: 2.5, metadata: { source: 'refunds.md', position: 3 } },
          { content: 'Ask the support lead.', score: 1.1, metadata: { source: 'escalation.md', position: 0 } },
        ]);
      },
    };
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), hostServices: { retriever } });
    const events = await collect(runtime.compile(searchFlow({ query: 'How long do {{question}} take?', mode: 'keyword', topK: 2, scoreThreshold: 1 })).run({ question: 'refunds' }));
    expect(requests).toEqual([{ knowledgeBase: 'handbook', query: 'How long do refunds take?', mode: 'keyword', topK: 2, scoreThreshold: 1 }]);
    expect(events.at(-1)).toMatchObject({
      type: 'run.completed',
      state: {
        documents: [
          { content: 'Refunds take five days.', score: 2.5, source: 'refunds.md', position: 3 },
          { content: 'Ask the support lead.', score: 1.1, source: 'escalation.md', position: 0 },
        ],
      },
    });
  });

  it('fails the node by name when the host has no knowledge bases, or its retriever refuses', async () => {
    const without = new FlowRuntime({ checkpointer: new MemorySaver() });
    const unavailable = await collect(without.compile(searchFlow({})).run({ question: 'refunds' }));
    expect(unavailable.at(-1)).toMatchObject({ type: 'run.failed', nodeId: 'find', error: { code: 'service.unavailable' } });

    const refusing: Retriever = { retrieve: () => Promise.reject(new Error('No knowledge base with id "handbook".')) };
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), hostServices: { retriever: refusing } });
    const refused = await collect(runtime.compile(searchFlow({})).run({ question: 'refunds' }));
    expect(refused.at(-1)).toMatchObject({ type: 'run.failed', nodeId: 'find', error: { message: expect.stringContaining('No knowledge base with id "handbook".') } });
  });

  it("keeps the embedding model's failure: a refused address fails the node once, by its kind, not retried", async () => {
    const embedderOf = providerEmbedders(async () => undefined);
    let calls = 0;
    // A host's retriever embeds the query with a base's model, here one at an address the guard refuses.
    const retriever: Retriever = {
      retrieve: async (request) => {
        calls += 1;
        await embedderOf({ model: 'embed-small', baseUrl: 'http://127.0.0.1:18999/v1' }).embed([request.query]);
        return [];
      },
    };
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), hostServices: { retriever } });
    const events = await collect(runtime.compile(searchFlow({ retry: { maxAttempts: 3, initialIntervalMs: 0, backoffFactor: 1 } })).run({ question: 'refunds' }));
    expect(events.at(-1)).toMatchObject({ type: 'run.failed', nodeId: 'find', error: { code: 'embedding.refused', message: expect.stringContaining('refused 127.0.0.1:18999') } });
    expect(calls).toBe(1);
  });
});
