// An OpenAI-compatible embedding model, for hosts whose knowledge bases embed their passages
// (the knowledge store's `Embedder` shape: texts in, one vector each out). Its requests pass the
// network guard as a chat model's do (guarded-fetch.ts).
import { plainHttpUrlSchema } from '@loomflow/graph-schema';
import { messageWithCauses } from '../errors';
import { refusalIn, resolveWithSystem, type ResolveHost } from '../executors/network-guard';
import { guardedFetches, type ClientFetch, type ModelResponseLimit } from './guarded-fetch';
import { NO_API_KEY, OPENAI_BASE_URL, PROVIDER_SETTING, providerWithBaseUrl } from './model-factory';

export interface TextEmbedder {
  embed(texts: readonly string[], options?: { readonly signal?: AbortSignal }): Promise<number[][]>;
}

/**
 * Why passages or a query could not be embedded, by the HTTP API's codes:
 * `embedding_misconfigured` (the settings cannot be used: an unknown or Anthropic provider, a
 * provider beside a baseUrl), `embedding_refused` (the network guard refused the address),
 * `embedding_failed` (the model's server could not be reached or answered an error). The message
 * names the model, never the key.
 */
export type EmbeddingErrorCode = 'embedding_misconfigured' | 'embedding_refused' | 'embedding_failed';

export class EmbeddingError extends Error {
  override readonly name = 'EmbeddingError';
  constructor(
    readonly code: EmbeddingErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What a knowledge base says about its embedding model (`embedding` of a base). */
export interface EmbeddingSettings {
  readonly model: string;
  /** A provider of the host: its key and its address. */
  readonly credential?: string | undefined;
  /** Only without a provider; reaches only public addresses. */
  readonly baseUrl?: string | undefined;
}

/** The settings a stored base holds, or undefined when it names no model (keyword search only). */
export function readEmbeddingSettings(value: unknown): EmbeddingSettings | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { model, credential, baseUrl } = value as Record<string, unknown>;
  if (typeof model !== 'string' || model === '') return undefined;
  return { model, ...(typeof credential === 'string' ? { credential } : {}), ...(typeof baseUrl === 'string' ? { baseUrl } : {}) };
}

/** The rule a flow's model baseUrl follows (graph-schema), for settings stored before it held here too. */
const plainHttpUrl = plainHttpUrlSchema();

/** A provider's address, key and protocol, as the host resolves a base's `credential`. */
export type ResolveEmbeddingProvider = (
  credential: string,
) => Promise<{ readonly baseUrl?: string | undefined; readonly apiKey?: string | undefined; readonly kind?: string | undefined } | undefined>;

export interface ProviderEmbeddersOptions extends ModelResponseLimit {
  /** Resolves the host names of embedding addresses for the network guard (the system resolver by default). */
  readonly lookupHost?: ResolveHost | undefined;
  /** Where a private model server is made a provider, as a refusal names it (model-factory.ts). */
  readonly providerSetting?: string | undefined;
}

async function embedWith(model: string, baseUrl: string | undefined, apiKey: string | undefined, fetch: ClientFetch, texts: readonly string[]): Promise<number[][]> {
  // Loaded on first use, as the chat models are (model-factory.ts).
  const { OpenAIEmbeddings } = await import('@langchain/openai');
  const client = new OpenAIEmbeddings({
    model,
    // As for chat models: never the environment's OPENAI_API_KEY.
    apiKey: apiKey ?? NO_API_KEY,
    configuration: { baseURL: baseUrl ?? OPENAI_BASE_URL, fetch },
    // LangChain would retry any failure without a status, a refusal or an endless answer included;
    // an upload that fails is sent again by whoever sent it, a run's step by its node's policy.
    maxRetries: 0,
  });
  return client.embedDocuments([...texts]);
}

/**
 * What went wrong, with the causes undici keeps there ("fetch failed": why), never the key: a
 * refused key's error quotes part of it, so that one says the status only, as chat models do.
 */
function failureOf(error: unknown, apiKey: string | undefined): string {
  const status = (error as { status?: unknown }).status;
  if (status === 401 || status === 403) return `the provider refused the API key (${status})`;
  const text = messageWithCauses(error);
  return apiKey ? text.split(apiKey).join('***') : text;
}

/**
 * The embedders of bases' settings, sharing the guard's connections. Each resolves its provider
 * at each use, so a rotated key or a changed address applies to the next document without a restart.
 */
export function providerEmbedders(resolveProvider: ResolveEmbeddingProvider, options: ProviderEmbeddersOptions = {}): (settings: EmbeddingSettings) => TextEmbedder {
  const fetchFor = guardedFetches(options.lookupHost ?? resolveWithSystem, options.providerSetting ?? PROVIDER_SETTING, options);
  return (settings) => ({
    async embed(texts) {
      const what = `the embedding model "${settings.model}"`;
      // Settings stored before the server refused it may hold a password in the address: it would go
      // to the server and into every error quoting the address.
      if (settings.baseUrl !== undefined && !plainHttpUrl.safeParse(settings.baseUrl).success) {
        const address = URL.parse(settings.baseUrl);
        const shown = address ? `${address.protocol}//${address.username === '' && address.password === '' ? '' : '***@'}${address.host}` : 'not a URL';
        throw new EmbeddingError('embedding_misconfigured', `${what} has a baseUrl (${shown}) that is not an http:// or https:// address without a user name or password`);
      }
      let provider: Awaited<ReturnType<ResolveEmbeddingProvider>>;
      if (settings.credential !== undefined) {
        if (settings.baseUrl !== undefined) throw new EmbeddingError('embedding_misconfigured', providerWithBaseUrl(settings.credential, what));
        provider = await resolveProvider(settings.credential);
        if (!provider) throw new EmbeddingError('embedding_misconfigured', `no model provider "${settings.credential}" is configured here for ${what}`);
        // Anthropic's API has no embeddings: calling it would only answer 404.
        if (provider.kind === 'anthropic') throw new EmbeddingError('embedding_misconfigured', `model provider "${settings.credential}" is an Anthropic provider, which has no embedding models; name an OpenAI-compatible one for "${settings.model}"`);
      }
      const where = provider ? `${what} at provider "${settings.credential}"` : `${what} at ${settings.baseUrl ?? 'the default OpenAI address'}`;
      try {
        return await embedWith(settings.model, settings.baseUrl ?? provider?.baseUrl, provider?.apiKey, fetchFor(provider?.baseUrl), texts);
      } catch (error) {
        const refusal = refusalIn(error);
        if (refusal) throw new EmbeddingError('embedding_refused', `${where} may not be called: ${refusal.message}${provider ? '' : "; a knowledge base's own baseUrl reaches only public addresses"}`);
        throw new EmbeddingError('embedding_failed', `${where} failed: ${failureOf(error, provider?.apiKey)}`);
      }
    },
  });
}
