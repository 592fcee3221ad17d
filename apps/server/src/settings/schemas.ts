// Request and response shapes of /api/settings/providers, and the shape a provider is stored in.
// No response schema has a field that could carry the API key or anything computed from it.
import { ANTHROPIC_BASE_URL } from '@loomflow/runtime';
import { z } from 'zod';

export const providerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be letters, digits, "_" or "-", not starting with "_" or "-"')
  .max(64);
export const providerIdParamSchema = z.object({ id: providerIdSchema });

/**
 * The protocol a provider speaks: OpenAI's chat completions (base URL ending in the version path,
 * such as `/v1`) or Anthropic's Messages API (base URL without `/v1`, which its client adds).
 */
export const providerKindSchema = z.enum(['openai-compatible', 'anthropic']);

/**
 * Only http(s), and nothing in the URL that the key could hide in or that breaks appending
 * `/models` and `/chat/completions`: no user:password, query or fragment. Stored without a
 * trailing slash.
 */
export const providerBaseUrlSchema = z
  .string()
  .max(2048)
  .superRefine((value, ctx) => {
    const url = URL.parse(value);
    if (url === null) {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http or https URL' });
    } else if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `must use http or https, not "${url.protocol.slice(0, -1)}"` });
    } else if (url.username !== '' || url.password !== '') {
      ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password; give the key as apiKey or apiKeyEnv' });
    } else if (url.search !== '' || url.hash !== '') {
      ctx.addIssue({ code: 'custom', message: 'must not have a query string or fragment' });
    }
  })
  .transform((value) => new URL(value).href.replace(/\/+$/, ''));

/**
 * Variables named LOOMFLOW_* hold the server's own secrets (the API token, the secret key);
 * referencing one would let an API client send it to a base URL of its choosing.
 */
export const apiKeyEnvSchema = z
  .string()
  .max(128)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name: letters, digits and "_", not starting with a digit')
  .refine((name) => !/^LOOMFLOW_/i.test(name), 'must not name one of the server\'s own LOOMFLOW_* variables');

/** Printable ASCII without spaces: anything else cannot travel in an Authorization header. */
const apiKeySchema = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const providerFields = {
  defaultModel: z.string().trim().min(1).max(200).optional(),
  apiKey: apiKeySchema.optional(),
  apiKeyEnv: apiKeyEnvSchema.optional(),
};

/** An OpenAI-compatible provider names its address; Anthropic's has one. */
export const putProviderBodySchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('openai-compatible'), baseUrl: providerBaseUrlSchema, ...providerFields }),
    z.strictObject({ kind: z.literal('anthropic'), baseUrl: providerBaseUrlSchema.default(ANTHROPIC_BASE_URL), ...providerFields }),
  ])
  .refine((body) => body.apiKey === undefined || body.apiKeyEnv === undefined, {
    path: ['apiKeyEnv'],
    message: 'give either apiKey or apiKeyEnv, not both',
  });
export type PutProviderBody = z.output<typeof putProviderBodySchema>;

const apiKeySourceSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('env'), name: z.string() }),
  z.object({ source: z.literal('stored') }),
  z.object({ source: z.literal('none') }),
]);

export const providerViewSchema = z.object({
  id: z.string(),
  kind: providerKindSchema,
  baseUrl: z.string(),
  defaultModel: z.string().nullable(),
  apiKey: apiKeySourceSchema,
  updatedAt: z.number(),
});
export type ProviderView = z.output<typeof providerViewSchema>;
export const listProvidersResponseSchema = z.object({ items: z.array(providerViewSchema) });

export const connectionTestResultSchema = z.object({
  ok: z.boolean(),
  /** The provider's HTTP status; null when no answer came (refused, timed out). */
  status: z.number().nullable(),
  /** How many models the provider's model list named; null unless it answered with one. */
  models: z.number().nullable(),
  /** The ids of the models listed (the first MAX_LISTED_MODEL_IDS), for a model picker; empty unless it answered with a list. */
  modelIds: z.array(z.string()),
  latencyMs: z.number(),
  message: z.string(),
});
export type ConnectionTestResult = z.output<typeof connectionTestResultSchema>;

/** The `settings` row value of `provider:<id>`; a stored key is sealed (secret-box.ts). */
export const storedProviderSchema = z.object({
  kind: providerKindSchema,
  baseUrl: z.string(),
  defaultModel: z.string().optional(),
  apiKey: z.discriminatedUnion('source', [
    z.object({ source: z.literal('env'), name: z.string() }),
    z.object({ source: z.literal('stored'), sealed: z.string() }),
    z.object({ source: z.literal('none') }),
  ]),
});
export type StoredProvider = z.output<typeof storedProviderSchema>;
