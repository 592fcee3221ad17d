// The runtime's Retriever service over the server's knowledge store: what agent.retriever steps
// search. A missing base or model fails the step with the store's message, which names it.
import type { KnowledgeStore } from '@loomflow/knowledge';
import type { Retriever } from '@loomflow/runtime';

export function knowledgeRetriever(knowledge: KnowledgeStore): Retriever {
  return {
    async retrieve(request, options) {
      const hits = await knowledge.search(request.knowledgeBase, request, options);
      return hits.map(({ content, score, source, documentId, position }) => ({ content, score, metadata: { source, documentId, position } }));
    },
  };
}
