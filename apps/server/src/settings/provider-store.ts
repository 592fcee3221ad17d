// Model providers (Dify's "Model providers"): one `settings` row per provider, key
// `provider:<id>`. The API key is either the name of an environment variable, read when the key
// is needed, or the key itself sealed with LOOMFLOW_SECRET_KEY. Reading a provider for a client
// (`get`, `list`) never opens a sealed key; only `resolveCredentials`, for requests the server
// itself sends to the provider, does.
import { eq, sql } from 'drizzle-orm';
import type { Environment } from '../config';
import type { Database } from '../db/database';
import { settings } from '../db/schema';
import { DomainError } from '../errors';
import { type PutProviderBody, type ProviderView, type StoredProvider, storedProviderSchema } from './schemas';
import { SecretBox, SecretBoxError } from './secret-box';

const KEY_PREFIX = 'provider:';

/** What a request to the provider needs, resolved at the moment of the request. */
export interface ProviderCredentials {
  readonly kind: StoredProvider['kind'];
  readonly baseUrl: string;
  /** Undefined for servers that take no key (a local Ollama, vLLM or LM Studio). */
  readonly apiKey: string | undefined;
  readonly defaultModel: string | undefined;
}

export type ProviderErrorCode =
  | 'provider_not_found'
  | 'secret_key_required'
  | 'api_key_env_unset'
  | 'api_key_env_invalid'
  | 'secret_key_missing'
  | 'secret_key_mismatch'
  | 'secret_unreadable';

/**
 * 422: the request is well-formed but this server cannot honour it. 500: what is saved cannot be
 * used as the server is configured now (a missing variable or secret key); the operator must act.
 */
const ERROR_STATUS = {
  provider_not_found: 404,
  secret_key_required: 422,
  api_key_env_unset: 500,
  api_key_env_invalid: 500,
  secret_key_missing: 500,
  secret_key_mismatch: 500,
  secret_unreadable: 500,
} as const satisfies Record<ProviderErrorCode, number>;

/** A provider that cannot be saved or used as asked; the message is for the operator and holds no secret. */
export class ProviderError extends DomainError {
  override readonly name = 'ProviderError';
  constructor(
    override readonly code: ProviderErrorCode,
    message: string,
    override readonly details: Readonly<Record<string, string>>,
  ) {
    super(ERROR_STATUS[code], code, message, details);
  }
}

export function providerNotFound(id: string): ProviderError {
  return new ProviderError('provider_not_found', `No model provider with id "${id}".`, { id });
}

export interface ProviderStoreOptions {
  /** LOOMFLOW_SECRET_KEY; without it literal API keys are refused and sealed ones cannot be read. */
  readonly secretKey: string | undefined;
  /** Where `apiKeyEnv` names are looked up, at each use (main passes `process.env`). */
  readonly environment: Environment;
}

export class ProviderStore {
  readonly #secrets: SecretBox | undefined;
  readonly #environment: Environment;

  constructor(
    private readonly db: Database,
    options: ProviderStoreOptions,
  ) {
    this.#secrets = options.secretKey === undefined ? undefined : new SecretBox(options.secretKey);
    this.#environment = options.environment;
  }

  async list(): Promise<ProviderView[]> {
    // GLOB, unlike LIKE, is case-sensitive, so only this feature's keys match.
    const rows = await this.db
      .select()
      .from(settings)
      .where(sql`${settings.key} glob ${`${KEY_PREFIX}*`}`)
      .orderBy(settings.key);
    return rows.map((row) => toView(row.key.slice(KEY_PREFIX.length), storedProviderSchema.parse(row.value), row.updatedAt));
  }

  async get(id: string): Promise<ProviderView | undefined> {
    const row = await this.#row(id);
    return row && toView(id, row.provider, row.updatedAt);
  }

  /**
   * Replaces the provider whole. A stored key is never carried over to a new body: keeping it
   * while the base URL changes would let anyone with API access send the key to their own server.
   */
  async put(id: string, body: PutProviderBody): Promise<ProviderView> {
    const provider: StoredProvider = {
      kind: body.kind,
      baseUrl: body.baseUrl,
      ...(body.defaultModel === undefined ? {} : { defaultModel: body.defaultModel }),
      apiKey: this.#apiKeyToStore(id, body),
    };
    const updatedAt = Date.now();
    await this.db
      .insert(settings)
      .values({ key: KEY_PREFIX + id, value: provider, updatedAt })
      .onConflictDoUpdate({ target: settings.key, set: { value: provider, updatedAt } });
    return toView(id, provider, updatedAt);
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.db
      .delete(settings)
      .where(eq(settings.key, KEY_PREFIX + id))
      .returning({ key: settings.key });
    return deleted.length === 1;
  }

  /** The base URL, key and default model to call provider `id` with; throws `ProviderError`. */
  async resolveCredentials(id: string): Promise<ProviderCredentials> {
    const row = await this.#row(id);
    if (!row) throw providerNotFound(id);
    const { provider } = row;
    return { kind: provider.kind, baseUrl: provider.baseUrl, apiKey: this.#apiKey(id, provider), defaultModel: provider.defaultModel };
  }

  async #row(id: string): Promise<{ provider: StoredProvider; updatedAt: number } | undefined> {
    const [row] = await this.db
      .select()
      .from(settings)
      .where(eq(settings.key, KEY_PREFIX + id))
      .limit(1);
    return row && { provider: storedProviderSchema.parse(row.value), updatedAt: row.updatedAt };
  }

  #apiKeyToStore(id: string, body: PutProviderBody): StoredProvider['apiKey'] {
    if (body.apiKeyEnv !== undefined) return { source: 'env', name: body.apiKeyEnv };
    if (body.apiKey === undefined) return { source: 'none' };
    if (!this.#secrets) {
      throw new ProviderError(
        'secret_key_required',
        'apiKey cannot be stored: the server has no LOOMFLOW_SECRET_KEY to encrypt it with. Start the server with LOOMFLOW_SECRET_KEY set ' +
          '(at least 32 random characters), or send apiKeyEnv, the name of an environment variable of the server that holds the key.',
        { id, field: 'apiKey' },
      );
    }
    return { source: 'stored', sealed: this.#secrets.seal(body.apiKey, sealContext(id, body.baseUrl)) };
  }

  #apiKey(id: string, provider: StoredProvider): string | undefined {
    const source = provider.apiKey;
    switch (source.source) {
      case 'none':
        return undefined;
      case 'env': {
        const value = this.#environment[source.name]?.trim();
        if (value === undefined || value === '') {
          throw new ProviderError(
            'api_key_env_unset',
            `Provider "${id}" reads its API key from the environment variable ${source.name}, which is not set in the server's environment.`,
            { id, field: 'apiKeyEnv', name: source.name },
          );
        }
        // Checked here because fetch would quote an invalid header value, key included, in its error.
        if (!/^[\x21-\x7e]+$/.test(value)) {
          throw new ProviderError(
            'api_key_env_invalid',
            `Provider "${id}" reads its API key from ${source.name}, whose value is not printable ASCII without spaces, so it cannot be sent as a bearer token.`,
            { id, field: 'apiKeyEnv', name: source.name },
          );
        }
        return value;
      }
      case 'stored':
        return this.#openStoredKey(id, provider.baseUrl, source.sealed);
    }
  }

  #openStoredKey(id: string, baseUrl: string, sealed: string): string {
    if (!this.#secrets) {
      throw new ProviderError(
        'secret_key_missing',
        `Provider "${id}" has an encrypted API key, but LOOMFLOW_SECRET_KEY is not set. Start the server with the LOOMFLOW_SECRET_KEY the key was saved with, or save the provider again.`,
        { id, field: 'apiKey' },
      );
    }
    try {
      return this.#secrets.open(sealed, sealContext(id, baseUrl));
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      if (error.reason === 'wrong_key') {
        throw new ProviderError(
          'secret_key_mismatch',
          `The API key of provider "${id}" was encrypted with a different LOOMFLOW_SECRET_KEY. Start the server with the key it was saved with, or save the provider's API key again.`,
          { id, field: 'apiKey' },
        );
      }
      throw new ProviderError('secret_unreadable', `The API key of provider "${id}" cannot be decrypted: ${error.message} Save the provider's API key again.`, {
        id,
        field: 'apiKey',
      });
    }
  }
}

/** What a sealed key is bound to (see SecretBox.seal). */
function sealContext(id: string, baseUrl: string): string {
  return `${KEY_PREFIX}${id}\n${baseUrl}`;
}

function toView(id: string, provider: StoredProvider, updatedAt: number): ProviderView {
  const { apiKey } = provider;
  return {
    id,
    kind: provider.kind,
    baseUrl: provider.baseUrl,
    defaultModel: provider.defaultModel ?? null,
    // Spelled out field by field so that the sealed value cannot slip into a response.
    apiKey: apiKey.source === 'env' ? { source: 'env', name: apiKey.name } : { source: apiKey.source },
    updatedAt,
  };
}
