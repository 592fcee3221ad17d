// The runtime's own ModelFactory, which hosts lend executors as their `models` service: a node's
// `model` config becomes a LangChain chat model. Hosts differ only in where a credential's address
// comes from (the server's provider store, the CLI's --provider), passed as `resolveProvider`;
// its key comes through the executor's credentials service.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type * as LangChainOpenAi from '@langchain/openai';
import type { ModelConfig } from '@loomflow/graph-schema';
import { DETERMINISTIC, NodeExecutionError } from '../errors';
import type { ModelFactory } from '../host-services';
import { ScriptedChatModel } from './scripted-chat-model';

/** What a credential stands for besides its key: the address, used when the node gives none. */
export interface ResolvedProvider {
  readonly baseUrl?: string | undefined;
}

export interface ModelFactoryOptions {
  /** Undefined when the host knows no provider of that name. */
  readonly resolveProvider?: (credential: string) => Promise<ResolvedProvider | undefined>;
}

/**
 * Sent as the key to servers that need none (Ollama, vLLM, LM Studio): the OpenAI client refuses
 * to start without one, and must never fall back to an OPENAI_API_KEY of the host's environment.
 */
export const NO_API_KEY = 'no-key';

// Loaded on first use: the OpenAI client is large, and most CLI runs call no model. Imported once:
// every import() of a loaded module still goes through the module loader (and its hooks).
let openAiModule: Promise<typeof LangChainOpenAi> | undefined;
const loadOpenAi = () => (openAiModule ??= import('@langchain/openai'));

export function createModelFactory(options: ModelFactoryOptions = {}): ModelFactory {
  return {
    async create(config: ModelConfig, { nodeId, streaming = false, apiKey }): Promise<BaseChatModel> {
      if (config.provider === 'scripted') return new ScriptedChatModel(config.replies);
      let provider: ResolvedProvider | undefined;
      if (config.credential !== undefined) {
        provider = await options.resolveProvider?.(config.credential);
        if (!provider) throw new NodeExecutionError(nodeId, 'llm.credential', `no model provider "${config.credential}" is configured here`, DETERMINISTIC);
      }
      const baseUrl = config.baseUrl ?? provider?.baseUrl;
      const { ChatOpenAI } = await loadOpenAi();
      return new ChatOpenAI({
        model: config.model,
        apiKey: apiKey ?? NO_API_KEY,
        ...(baseUrl ? { configuration: { baseURL: baseUrl } } : {}),
        temperature: config.temperature,
        ...(config.maxTokens === undefined ? {} : { maxTokens: config.maxTokens }),
        ...(config.stop === undefined ? {} : { stop: config.stop }),
        ...(config.timeoutMs === undefined ? {} : { timeout: config.timeoutMs }),
        // The node's retry policy decides about retries, honouring Retry-After (executors/llm.ts).
        maxRetries: 0,
        // Without it, stream() yields the whole reply as one chunk. With it, invoke() would count
        // tokens with a tokenizer it downloads at run time and hang offline (docs/stack-notes.md):
        // a caller that asks for streaming only calls stream().
        streaming,
        streamUsage: true,
      });
    },
  };
}
