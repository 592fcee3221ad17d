// An OpenAI-compatible embedding model, for hosts whose knowledge bases embed their passages
// (the knowledge store's `Embedder` shape: texts in, one vector each out).
import { NO_API_KEY } from './model-factory';

export interface OpenAiEmbedderOptions {
  readonly model: string;
  readonly baseUrl?: string | undefined;
  readonly apiKey?: string | undefined;
}

export interface TextEmbedder {
  embed(texts: readonly string[], options?: { readonly signal?: AbortSignal }): Promise<number[][]>;
}

export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): TextEmbedder {
  return {
    async embed(texts) {
      // Loaded on first use, as the chat models are (model-factory.ts).
      const { OpenAIEmbeddings } = await import('@langchain/openai');
      const client = new OpenAIEmbeddings({
        model: options.model,
        // As for chat models: never the environment's OPENAI_API_KEY.
        apiKey: options.apiKey ?? NO_API_KEY,
        ...(options.baseUrl ? { configuration: { baseURL: options.baseUrl } } : {}),
        maxRetries: 1,
      });
      return client.embedDocuments([...texts]);
    },
  };
}

/** What a knowledge base says about its embedding model (`embedding` of a base). */
export interface EmbeddingSettings {
  readonly model: string;
  /** A provider of the host: its key, and its address unless `baseUrl` is given. */
  readonly credential?: string | undefined;
  readonly baseUrl?: string | undefined;
}

/** The settings a stored base holds, or undefined when it names no model (keyword search only). */
export function readEmbeddingSettings(value: unknown): EmbeddingSettings | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { model, credential, baseUrl } = value as Record<string, unknown>;
  if (typeof model !== 'string' || model === '') return undefined;
  return { model, ...(typeof credential === 'string' ? { credential } : {}), ...(typeof baseUrl === 'string' ? { baseUrl } : {}) };
}

/**
 * The embedder of a base's settings, resolving its provider at each use, so a rotated key or a
 * changed address applies to the next document without a restart.
 */
export function providerEmbedder(
  settings: EmbeddingSettings,
  resolveProvider: (credential: string) => Promise<{ readonly baseUrl?: string | undefined; readonly apiKey?: string | undefined; readonly kind?: string | undefined } | undefined>,
): TextEmbedder {
  return {
    async embed(texts, options) {
      const provider = settings.credential === undefined ? undefined : await resolveProvider(settings.credential);
      if (settings.credential !== undefined && !provider) throw new Error(`no model provider "${settings.credential}" is configured here for the embedding model "${settings.model}"`);
      // Anthropic's API has no embeddings: calling it would only answer 404.
      if (provider?.kind === 'anthropic') throw new Error(`model provider "${settings.credential}" is an Anthropic provider, which has no embedding models; name an OpenAI-compatible one for "${settings.model}"`);
      return createOpenAiEmbedder({ model: settings.model, baseUrl: settings.baseUrl ?? provider?.baseUrl, apiKey: provider?.apiKey }).embed(texts, options);
    },
  };
}
