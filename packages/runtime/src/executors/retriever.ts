import { NodeExecutionError } from '../errors';
import { EmbeddingError } from '../models/embedder';
import type { Executor } from './executor';
import { renderTemplate } from './template';

interface RetrieverConfig {
  readonly knowledgeBase: string;
  readonly query: string;
  readonly mode: 'vector' | 'keyword' | 'hybrid';
  readonly topK: number;
  readonly scoreThreshold?: number;
  readonly output: string;
}

/**
 * Asks the host's retriever for the passages of a knowledge base that best match the query (a
 * template over the state) and writes them to the output channel, best first, each with its
 * content, score and where it came from, for an LLM step's prompt to cite.
 */
export const runRetriever: Executor = async ({ node, state, service, config, fromOutside }) => {
  const settings = node.config as unknown as RetrieverConfig;
  const query = renderTemplate(settings.query, state, node.id);
  const request = {
    knowledgeBase: settings.knowledgeBase,
    query,
    mode: settings.mode,
    topK: settings.topK,
    ...(settings.scoreThreshold === undefined ? {} : { scoreThreshold: settings.scoreThreshold }),
  };
  // A knowledge base changes as documents come and go: a replay gets the passages the run got.
  let found;
  try {
    found = await fromOutside('retrieval', request, () => service('retriever').retrieve(request, config.signal ? { signal: config.signal } : {}));
  } catch (error) {
    // The embedding model's failure keeps its kind: a refused address or a base set up wrongly
    // fails the same way again, a model that did not answer may answer next time.
    if (error instanceof EmbeddingError) throw new NodeExecutionError(node.id, error.code.replace('_', '.'), error.message, { retryable: error.code === 'embedding_failed' });
    throw error;
  }
  const passages = found.map((document) => ({ ...document.metadata, content: document.content, ...(document.score === undefined ? {} : { score: document.score }) }));
  return { update: { [settings.output]: passages }, output: { query, passages } };
};
