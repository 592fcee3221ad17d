// @vitest-environment node
// The typed client against the real server app started with an API token.
import { createTestApp } from '@loomflow/server/testing/fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient } from './api-client';
import { createServerFlowApi } from './flow-api';

const TOKEN = 'a-token-of-the-operator';
let server: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  server = await createTestApp({}, { apiToken: TOKEN });
});
afterEach(() => server.dispose());

const viaApp = async (input: RequestInfo | URL, init?: RequestInit) => server.app.request(input, init);

describe('the API client on a server that needs a token', () => {
  it('sends the stored token as a bearer token', async () => {
    const api = createServerFlowApi(createApiClient({ baseUrl: 'http://127.0.0.1:8787', token: () => TOKEN, fetch: viaApp }));
    expect(await api.list()).toEqual({ items: [], total: 0 });
  });

  it('asks for a token on 401 and retries once with it', async () => {
    let token: string | null = null;
    let asked = 0;
    const client = createApiClient({
      baseUrl: 'http://127.0.0.1:8787',
      token: () => token,
      fetch: viaApp,
      onUnauthorized: async () => {
        asked += 1;
        token = TOKEN;
        return true;
      },
    });
    expect(await createServerFlowApi(client).list()).toEqual({ items: [], total: 0 });
    expect(asked).toBe(1);
  });

  it('reports the 401 with the server message when no token is given', async () => {
    const api = createServerFlowApi(createApiClient({ baseUrl: 'http://127.0.0.1:8787', fetch: viaApp, onUnauthorized: async () => false }));
    await expect(api.list()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });
});
