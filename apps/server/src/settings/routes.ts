// /api/settings/providers: the model providers LLM nodes call (a node's `model.credential` names
// one). Responses say where a key comes from (`apiKey.source`), never the key or anything computed
// from it.
import { Hono } from 'hono';
import { validate } from '../validation';
import { testProviderConnection } from './connection-test';
import { providerNotFound, type ProviderStore } from './provider-store';
import { providerIdParamSchema, putProviderBodySchema } from './schemas';

export interface SettingsRouteDependencies {
  readonly providers: ProviderStore;
}

// ProviderErrors (their status is the store's) are answered by app.onError.
export function settingsRoutes({ providers }: SettingsRouteDependencies) {
  return new Hono()
    .get('/settings/providers', async (c) => c.json({ items: await providers.list() }, 200))
    .get('/settings/providers/:id', validate('param', providerIdParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      const provider = await providers.get(id);
      if (!provider) throw providerNotFound(id);
      return c.json(provider, 200);
    })
    .put('/settings/providers/:id', validate('param', providerIdParamSchema), validate('json', putProviderBodySchema), async (c) =>
      c.json(await providers.put(c.req.valid('param').id, c.req.valid('json')), 200),
    )
    .delete('/settings/providers/:id', validate('param', providerIdParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      if (!(await providers.delete(id))) throw providerNotFound(id);
      return c.body(null, 204);
    })
    .post('/settings/providers/:id/test', validate('param', providerIdParamSchema), async (c) =>
      c.json(await testProviderConnection(await providers.resolveCredentials(c.req.valid('param').id)), 200),
    );
}
