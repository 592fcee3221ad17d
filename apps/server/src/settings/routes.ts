// /api/settings/providers: the model providers LLM nodes call (a node's `model.credential` names
// one). Responses say where a key comes from (`apiKey.source`), never the key or anything computed
// from it.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { apiError } from '../errors';
import { validate } from '../validation';
import { testProviderConnection } from './connection-test';
import { ProviderError, providerNotFound, type ProviderErrorCode, type ProviderStore } from './provider-store';
import { providerIdParamSchema, putProviderBodySchema } from './schemas';

export interface SettingsRouteDependencies {
  readonly providers: ProviderStore;
}

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

export function settingsRoutes({ providers }: SettingsRouteDependencies) {
  return new Hono()
    .get('/settings/providers', async (c) => c.json({ items: await providers.list() }, 200))
    .get('/settings/providers/:id', validate('param', providerIdParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      const provider = await providers.get(id);
      if (!provider) return providerError(c, providerNotFound(id));
      return c.json(provider, 200);
    })
    .put('/settings/providers/:id', validate('param', providerIdParamSchema), validate('json', putProviderBodySchema), async (c) => {
      try {
        return c.json(await providers.put(c.req.valid('param').id, c.req.valid('json')), 200);
      } catch (error) {
        if (error instanceof ProviderError) return providerError(c, error);
        throw error;
      }
    })
    .delete('/settings/providers/:id', validate('param', providerIdParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      if (!(await providers.delete(id))) return providerError(c, providerNotFound(id));
      return c.body(null, 204);
    })
    .post('/settings/providers/:id/test', validate('param', providerIdParamSchema), async (c) => {
      try {
        return c.json(await testProviderConnection(await providers.resolveCredentials(c.req.valid('param').id)), 200);
      } catch (error) {
        if (error instanceof ProviderError) return providerError(c, error);
        throw error;
      }
    });
}

function providerError(c: Context, error: ProviderError) {
  return apiError(c, ERROR_STATUS[error.code], error.code, error.message, error.details);
}
