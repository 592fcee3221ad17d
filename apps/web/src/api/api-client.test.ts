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

describe('the API client with an early request', () => {
  const flow = { schemaVersion: 1 as const, id: 'early', name: 'Early', kind: 'agent' as const, state: { channels: [] }, nodes: [], edges: [] };
  const url = 'http://127.0.0.1:8787/api/flows/early';
  /** What early-load.ts keeps: a response per URL, given out once. */
  const earlyOnce = (responses: Map<string, Promise<Response>>) => (wanted: string) => {
    const response = responses.get(wanted);
    responses.delete(wanted);
    return response;
  };

  it('answers the first GET of its URL with the early response, and asks the server after that', async () => {
    const api = createServerFlowApi(createApiClient({ baseUrl: 'http://127.0.0.1:8787', token: () => TOKEN, fetch: viaApp }));
    await api.create(flow);
    const early = viaApp(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
    await api.save({ ...flow, name: 'Saved after the early request' }, 1);
    const client = createServerFlowApi(createApiClient({ baseUrl: 'http://127.0.0.1:8787', token: () => TOKEN, fetch: viaApp, early: earlyOnce(new Map([[url, early]])) }));
    expect(await client.load('early')).toMatchObject({ revision: 1, flow: { name: 'Early' } });
    expect(await client.load('early')).toMatchObject({ revision: 2, flow: { name: 'Saved after the early request' } });
  });

  it('asks for a token when the early request was refused, and retries it', async () => {
    await createServerFlowApi(createApiClient({ baseUrl: 'http://127.0.0.1:8787', token: () => TOKEN, fetch: viaApp })).create(flow);
    let token: string | null = null;
    const client = createApiClient({
      baseUrl: 'http://127.0.0.1:8787',
      token: () => token,
      fetch: viaApp,
      early: earlyOnce(new Map([[url, viaApp(url)]])),
      onUnauthorized: async () => {
        token = TOKEN;
        return true;
      },
    });
    expect(await createServerFlowApi(client).load('early')).toMatchObject({ revision: 1 });
  });
});
