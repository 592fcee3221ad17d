// The runtime's own ModelFactory, which hosts lend executors as their `models` service: a node's
// `model` config becomes a LangChain chat model. Hosts differ only in where a credential's address
// comes from (the server's provider store, the CLI's --provider), passed as `resolveProvider`;
// its key comes through the executor's credentials service. Every request passes the network guard
// (guarded-fetch.ts).
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type * as LangChainAnthropic from '@langchain/anthropic';
import type * as LangChainOpenAi from '@langchain/openai';
import type { ModelConfig } from '@loomflow/graph-schema';
import { DETERMINISTIC, NodeExecutionError } from '../errors';
import { resolveWithSystem, type ResolveHost } from '../executors/network-guard';
import type { ModelFactory } from '../host-services';
import { guardedFetches, type ModelResponseLimit } from './guarded-fetch';
import { ScriptedChatModel } from './scripted-chat-model';

/** What a credential stands for besides its key: the address its requests go to. */
export interface ResolvedProvider {
  readonly baseUrl?: string | undefined;
  /** The protocol the provider speaks, when the host records it (the server's settings do). */
  readonly kind?: 'openai-compatible' | 'anthropic' | undefined;
}

export interface ModelFactoryOptions extends ModelResponseLimit {
  /** Undefined when the host knows no provider of that name. */
  readonly resolveProvider?: (credential: string) => Promise<ResolvedProvider | undefined>;
  /** Resolves the host names of model addresses for the network guard (the system resolver by default). */
  readonly lookupHost?: ResolveHost | undefined;
  /** Where a private model server is made a provider, as a refusal names it: `add "host:port" to …`. */
  readonly providerSetting?: string | undefined;
}

/** The server's wording of where providers are set; the CLI names its --provider instead. */
export const PROVIDER_SETTING = 'the settings as a model provider';

/**
 * Why a model (or an embedding model) that names a provider and a baseUrl is refused: the
 * provider's key would go to whatever address the flow's author chose. validateFlow refuses such a
 * model already; this holds for hosts that skip it.
 */
export function providerWithBaseUrl(credential: string, what: string): string {
  return `${what} names model provider "${credential}" and a baseUrl; a provider's key goes only to the provider's own address, so remove the baseUrl`;
}

/**
 * Sent as the key to servers that need none (Ollama, vLLM, LM Studio): the OpenAI and Anthropic
 * clients refuse to start without one, and must never fall back to an OPENAI_API_KEY or
 * ANTHROPIC_API_KEY of the host's environment.
 */
export const NO_API_KEY = 'no-key';

// Loaded on first use: the OpenAI client is large, and most CLI runs call no model. Imported once:
// every import() of a loaded module still goes through the module loader (and its hooks).
let openAiModule: Promise<typeof LangChainOpenAi> | undefined;
const loadOpenAi = () => (openAiModule ??= import('@langchain/openai'));
let anthropicModule: Promise<typeof LangChainAnthropic> | undefined;
const loadAnthropic = () => (anthropicModule ??= import('@langchain/anthropic'));

/**
 * Given explicitly: without a base URL the Anthropic client would take ANTHROPIC_BASE_URL, or
 * with LANGSMITH_GATEWAY set a LangSmith gateway, from the host's environment.
 */
export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

/**
 * Given explicitly for the same reason: without one the OpenAI client would take OPENAI_BASE_URL
 * (or LangChain OPENAI_API_BASE) from the host's environment, an address no setting shows.
 */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * The Anthropic client's own default. Given explicitly, it keeps non-streaming calls working:
 * without a timeout the client refuses, before sending, any call whose max_tokens might take over
 * 10 minutes, which is any above 21,333, far below the 64k current models write.
 */
const ANTHROPIC_TIMEOUT_MS = 600_000;

export function createModelFactory(options: ModelFactoryOptions = {}): ModelFactory {
  const fetchFor = guardedFetches(options.lookupHost ?? resolveWithSystem, options.providerSetting ?? PROVIDER_SETTING, options);
  return {
    async create(config: ModelConfig, { nodeId, streaming = false, apiKey }): Promise<BaseChatModel> {
      if (config.provider === 'scripted') return new ScriptedChatModel(config.replies);
      if (config.credential !== undefined && config.baseUrl !== undefined) throw new NodeExecutionError(nodeId, 'llm.credential', providerWithBaseUrl(config.credential, 'the model'), DETERMINISTIC);
      let provider: ResolvedProvider | undefined;
      if (config.credential !== undefined) {
        provider = await options.resolveProvider?.(config.credential);
        if (!provider) throw new NodeExecutionError(nodeId, 'llm.credential', `no model provider "${config.credential}" is configured here`, DETERMINISTIC);
      }
      if (provider?.kind !== undefined && provider.kind !== config.provider) {
        throw new NodeExecutionError(nodeId, 'llm.credential', `model provider "${config.credential}" is ${provider.kind}, but the node's model is ${config.provider}; set the model's provider to ${provider.kind}`, DETERMINISTIC);
      }
      const baseUrl = config.baseUrl ?? provider?.baseUrl;
      // Only the provider's address may be private: the operator chose it, the flow's author did not.
      const fetch = fetchFor(provider?.baseUrl);
      const sampling = {
        model: config.model,
        temperature: config.temperature,
        ...(config.maxTokens === undefined ? {} : { maxTokens: config.maxTokens }),
        // The node's retry policy decides about retries, honouring Retry-After (executors/model-call.ts).
        maxRetries: 0,
        // Without it, stream() yields the whole reply as one chunk. With it, ChatOpenAI's invoke()
        // would count tokens with a tokenizer it downloads at run time and hang offline
        // (docs/stack-notes.md): a caller that asks for streaming only calls stream().
        // ChatAnthropic counts nothing itself; its invoke() just reads the stream.
        streaming,
        streamUsage: true,
      };
      if (config.provider === 'anthropic') {
        const { ChatAnthropic } = await loadAnthropic();
        return new ChatAnthropic({
          ...sampling,
          apiKey: apiKey ?? NO_API_KEY,
          anthropicApiUrl: baseUrl ?? ANTHROPIC_BASE_URL,
          ...(config.stop === undefined ? {} : { stopSequences: config.stop }),
          // `authToken: null` keeps the client from sending an ANTHROPIC_AUTH_TOKEN of the host's
          // environment as a bearer token to whatever address the flow names.
          clientOptions: { timeout: config.timeoutMs ?? ANTHROPIC_TIMEOUT_MS, authToken: null, fetch },
        });
      }
      const { ChatOpenAI } = await loadOpenAi();
      return new ChatOpenAI({
        ...sampling,
        apiKey: apiKey ?? NO_API_KEY,
        configuration: { baseURL: baseUrl ?? OPENAI_BASE_URL, fetch },
        ...(config.stop === undefined ? {} : { stop: config.stop }),
        ...(config.timeoutMs === undefined ? {} : { timeout: config.timeoutMs }),
      });
    },
  };
}
