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
  const found = await fromOutside('retrieval', request, () => service('retriever').retrieve(request, config.signal ? { signal: config.signal } : {}));
  const passages = found.map((document) => ({ ...document.metadata, content: document.content, ...(document.score === undefined ? {} : { score: document.score }) }));
  return { update: { [settings.output]: passages }, output: { query, passages } };
};
