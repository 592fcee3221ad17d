// /api/settings/providers: the model providers LLM nodes call (a node's `model.credential` names
// one). Responses say where a key comes from (`apiKey.source`), never the key or anything computed
// from it. /api/settings/mcp-servers: the stdio MCP servers flows name; responses list env names,
// never their values.
import { Hono } from 'hono';
import { validate } from '../validation';
import { testProviderConnection } from './connection-test';
import { mcpServerNameParamSchema, putMcpServerBodySchema } from './mcp-server-schemas';
import { mcpServerNotFound, type McpServerStore } from './mcp-server-store';
import { providerNotFound, type ProviderStore } from './provider-store';
import { providerIdParamSchema, putProviderBodySchema } from './schemas';

export interface SettingsRouteDependencies {
  readonly providers: ProviderStore;
  readonly mcpServers: McpServerStore;
}

// ProviderErrors (their status is the store's) are answered by app.onError.
export function settingsRoutes({ providers, mcpServers }: SettingsRouteDependencies) {
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
    )
    // Stdio MCP servers flows may name: the only command lines the server starts for a flow.
    .get('/settings/mcp-servers', async (c) => c.json({ items: await mcpServers.list() }, 200))
    .get('/settings/mcp-servers/:name', validate('param', mcpServerNameParamSchema), async (c) => {
      const { name } = c.req.valid('param');
      const server = await mcpServers.get(name);
      if (!server) throw mcpServerNotFound(name);
      return c.json(server, 200);
    })
    .put('/settings/mcp-servers/:name', validate('param', mcpServerNameParamSchema), validate('json', putMcpServerBodySchema), async (c) =>
      c.json(await mcpServers.put(c.req.valid('param').name, c.req.valid('json')), 200),
    )
    .delete('/settings/mcp-servers/:name', validate('param', mcpServerNameParamSchema), async (c) => {
      const { name } = c.req.valid('param');
      if (!(await mcpServers.delete(name))) throw mcpServerNotFound(name);
      return c.body(null, 204);
    });
}
