// An OpenAI-compatible embedding model, for hosts whose knowledge bases embed their passages
// (the knowledge store's `Embedder` shape: texts in, one vector each out).
import { OpenAIEmbeddings } from '@langchain/openai';

export interface OpenAiEmbedderOptions {
  readonly model: string;
  readonly baseUrl?: string | undefined;
  readonly apiKey?: string | undefined;
}

export interface TextEmbedder {
  embed(texts: readonly string[], options?: { readonly signal?: AbortSignal }): Promise<number[][]>;
}

export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): TextEmbedder {
  const client = new OpenAIEmbeddings({
    model: options.model,
    // As for chat models: never the environment's OPENAI_API_KEY, and a placeholder for servers
    // that need no key.
    apiKey: options.apiKey ?? 'no-key',
    ...(options.baseUrl ? { configuration: { baseURL: options.baseUrl } } : {}),
    maxRetries: 1,
  });
  return { embed: (texts) => client.embedDocuments([...texts]) };
}
