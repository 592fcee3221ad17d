// Model providers on the command line: `--provider NAME=URL` says where an LLM step whose
// `model.credential` is NAME sends its calls, and LOOMFLOW_PROVIDER_<NAME>_API_KEY holds the key
// (keys stay out of the command line, which other users of the machine can read in `ps`). The
// protocol is the step's `model.provider` (openai-compatible or anthropic): a URL carries none.
import type { KnowledgeStoreOptions } from '@loomflow/knowledge';
import { createModelFactory, providerEmbedders, readEmbeddingSettings, type HostServices } from '@loomflow/runtime';
import { UsageError } from './command';

export const providerOptions = { provider: { type: 'string', multiple: true } } as const;

export const providerHelp = `  --provider NAME=URL         Where LLM steps with model.credential NAME call, in the protocol of
                              their model.provider: an OpenAI-compatible base URL (e.g.
                              ollama=http://127.0.0.1:11434/v1) or an Anthropic one, without /v1
                              (e.g. claude=https://api.anthropic.com); repeatable. The key, if it
                              needs one, is read from LOOMFLOW_PROVIDER_<NAME>_API_KEY (NAME
                              upper-cased, other characters as _)`;

/** Where a model server on a private address is made reachable, as the network guard's refusals name it. */
const PROVIDER_SETTING = 'the command line as a --provider';

/** The environment variable that holds provider `name`'s key. */
export function providerKeyVariable(name: string): string {
  return `LOOMFLOW_PROVIDER_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_API_KEY`;
}

export function parseProviders(specs: readonly string[] | undefined): ReadonlyMap<string, string> {
  const providers = new Map<string, string>();
  for (const spec of specs ?? []) {
    const split = spec.indexOf('=');
    const name = spec.slice(0, Math.max(split, 0));
    const url = URL.parse(spec.slice(split + 1));
    if (split <= 0 || url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new UsageError(`--provider must be NAME=URL with an http(s) URL, not "${spec}"`);
    }
    providers.set(name, url.href.replace(/\/+$/, ''));
  }
  return providers;
}

/** A --provider's address and key, or undefined for a name no --provider gave. */
function lookupProvider(providers: ReadonlyMap<string, string>, env: Readonly<Record<string, string | undefined>>) {
  return async (name: string) => (providers.has(name) ? { baseUrl: providers.get(name), apiKey: env[providerKeyVariable(name)] } : undefined);
}

/** The models and credentials services of a run: scripted models always, the named providers' too. */
export function providerServices(providers: ReadonlyMap<string, string>, env: Readonly<Record<string, string | undefined>>): Pick<HostServices, 'models' | 'credentials'> {
  const lookup = lookupProvider(providers, env);
  return {
    // The factory gets the address only: the key goes through `credentials`, which the run's secret guard watches.
    models: createModelFactory({ resolveProvider: async (name) => (providers.has(name) ? { baseUrl: providers.get(name) } : undefined), providerSetting: PROVIDER_SETTING }),
    credentials: { resolve: async (name) => (await lookup(name))?.apiKey },
  };
}

/** How knowledge bases that name an embedding model embed, with the same providers. */
export function knowledgeEmbedders(providers: ReadonlyMap<string, string>, env: Readonly<Record<string, string | undefined>>): KnowledgeStoreOptions {
  const embedderOf = providerEmbedders(lookupProvider(providers, env), { providerSetting: PROVIDER_SETTING });
  return {
    embedderOf: (base) => {
      const settings = readEmbeddingSettings(base.embedding);
      return settings && embedderOf(settings);
    },
  };
}
