import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startOpenAiTestServer } from '@loomflow/openai-test-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import type { ApiErrorBody } from '../errors';
import { createServices, type ServiceOptions } from '../services';
import { createTestApp, EMPTY_JSON_POST, jsonRequest as json } from '../testing/fixtures';
import { testProviderConnection } from './connection-test';
import type { ConnectionTestResult, ProviderView } from './schemas';

const SECRET_KEY = randomBytes(32).toString('base64');
const GOOD_KEY = `sk-good-${randomUUID()}`;

/**
 * A real OpenAI-protocol server on loopback: `/v1/models` needs `Bearer GOOD_KEY`, `/open/models`
 * needs nothing; `/moved`, `/html` and `/slow` answer the way misconfigured or stuck servers do.
 * Every request's headers are recorded.
 */
let provider: Server;
let providerUrl: string;
const received: { path: string; headers: IncomingHttpHeaders }[] = [];
const models = { object: 'list', data: [{ id: 'model-a', object: 'model' }, { id: 'model-b', object: 'model' }] };

beforeAll(async () => {
  provider = createServer((req, res) => {
    received.push({ path: req.url ?? '', headers: req.headers });
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    switch (req.url) {
      case '/v1/models':
        // Real providers quote part of a refused key in their error; the test route must not pass it on.
        if (req.headers.authorization !== `Bearer ${GOOD_KEY}`) return reply(401, { error: { message: `Incorrect API key provided: ${req.headers.authorization ?? ''}` } });
        return reply(200, models);
      case '/open/models':
        return reply(200, models);
      case '/moved/models':
        return reply(302, {}, { Location: `${providerUrl}/v1/models` });
      case '/html/models':
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return res.end('<!doctype html><title>Not an API</title>');
      case '/slow/models':
        return undefined;
      default:
        return reply(404, { error: 'not found' });
    }
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
});
afterAll(async () => {
  provider.closeAllConnections();
  await new Promise((resolve) => provider.close(resolve));
});

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  received.length = 0;
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

async function setup(options: ServiceOptions = { secretKey: SECRET_KEY }) {
  const test = await createTestApp(options);
  disposers.push(test.dispose);
  const request = async (path: string, init?: RequestInit) => test.app.request(path, init);
  /** Another server process over the same database file, started with different settings. */
  const restartWith = async (restarted: ServiceOptions) => {
    const services = await createServices(test.database.db, restarted);
    disposers.push(() => services.close());
    const app = createApp({ db: test.database.db, services, webDistDir: join(tmpdir(), 'loomflow-no-web-app') });
    return async (path: string, init?: RequestInit) => app.request(path, init);
  };
  const storedValue = async (id: string) => {
    const result = await test.database.db.execute({ sql: 'select value from settings where key = ?', args: [`provider:${id}`] });
    return result.rows[0]?.value as string | undefined;
  };
  const setStoredValue = (id: string, value: string) => test.database.db.execute({ sql: 'update settings set value = ? where key = ?', args: [value, `provider:${id}`] });
  return { request, restartWith, storedValue, setStoredValue };
}

async function errorOf(res: Response): Promise<ApiErrorBody['error']> {
  return ((await res.json()) as ApiErrorBody).error;
}

describe('model provider settings', () => {
  it('stores a literal key encrypted and never returns it', async () => {
    const { request, storedValue } = await setup();
    const key = `sk-live-${randomUUID()}`;
    const put = await request('/api/settings/providers/openai', json('PUT', { kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1/', defaultModel: 'gpt-4o-mini', apiKey: key }));
    expect(put.status).toBe(200);
    const bodies = [await put.text(), await (await request('/api/settings/providers/openai')).text(), await (await request('/api/settings/providers')).text()];
    for (const body of bodies) {
      expect(body).not.toContain(key);
      expect(body).not.toContain(key.slice(-8));
      expect(body).not.toContain('sealed');
    }
    const view = JSON.parse(bodies[1] as string) as ProviderView;
    expect(view).toEqual({ id: 'openai', kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', defaultModel: 'gpt-4o-mini', apiKey: { source: 'stored' }, updatedAt: expect.any(Number) });
    expect(JSON.parse(bodies[2] as string)).toEqual({ items: [view] });

    const row = await storedValue('openai');
    expect(row).toBeDefined();
    expect(row).not.toContain(key);
    expect(row).not.toContain(key.slice(-8));
    expect(row).toMatch(/"sealed":"v1\./);
  });

  it('refuses a literal key when the server has no LOOMFLOW_SECRET_KEY, and stores nothing', async () => {
    const { request, storedValue } = await setup({});
    const key = `sk-live-${randomUUID()}`;
    const res = await request('/api/settings/providers/openai', json('PUT', { kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', apiKey: key }));
    expect(res.status).toBe(422);
    const text = await res.text();
    expect(text).not.toContain(key);
    const error = (JSON.parse(text) as ApiErrorBody).error;
    expect(error.code).toBe('secret_key_required');
    expect(error.message).toMatch(/LOOMFLOW_SECRET_KEY/);
    expect(error.message).toMatch(/apiKeyEnv/);
    expect(error.details).toMatchObject({ field: 'apiKey' });
    expect(await storedValue('openai')).toBeUndefined();
    // An env reference needs no secret key.
    expect((await request('/api/settings/providers/openai', json('PUT', { kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' }))).status).toBe(200);
  });

  it('lists, replaces and deletes providers', async () => {
    const { request, storedValue } = await setup();
    await request('/api/settings/providers/zeta', json('PUT', { kind: 'openai-compatible', baseUrl: 'http://localhost:11434/v1' }));
    await request('/api/settings/providers/alpha', json('PUT', { kind: 'openai-compatible', baseUrl: 'https://api.example.com/v1', apiKey: 'sk-alpha-secret' }));
    const list = (await (await request('/api/settings/providers')).json()) as { items: ProviderView[] };
    expect(list.items.map((item) => [item.id, item.apiKey.source, item.defaultModel])).toEqual([
      ['alpha', 'stored', null],
      ['zeta', 'none', null],
    ]);

    // Replacing the provider with an env reference drops the encrypted key from the database.
    const replaced = await request('/api/settings/providers/alpha', json('PUT', { kind: 'openai-compatible', baseUrl: 'https://api.example.com/v1', apiKeyEnv: 'ALPHA_KEY' }));
    expect(((await replaced.json()) as ProviderView).apiKey).toEqual({ source: 'env', name: 'ALPHA_KEY' });
    expect(await storedValue('alpha')).not.toMatch(/sealed/);

    expect((await request('/api/settings/providers/alpha', { method: 'DELETE' })).status).toBe(204);
    const missing = await request('/api/settings/providers/alpha');
    expect(missing.status).toBe(404);
    expect(await errorOf(missing)).toMatchObject({ code: 'provider_not_found', details: { id: 'alpha' } });
    expect((await request('/api/settings/providers/alpha', { method: 'DELETE' })).status).toBe(404);
    expect((await request('/api/settings/providers/alpha/test', EMPTY_JSON_POST)).status).toBe(404);
  });

  it.each([
    ['a file URL', { baseUrl: 'file:///etc/passwd' }, 'baseUrl', /http or https/],
    ['a javascript URL', { baseUrl: 'javascript:alert(1)' }, 'baseUrl', /http or https/],
    ['an ftp URL', { baseUrl: 'ftp://models.example/v1' }, 'baseUrl', /http or https/],
    ['a relative URL', { baseUrl: '/v1' }, 'baseUrl', /absolute/],
    ['credentials in the URL', { baseUrl: 'https://user:sk-in-url@api.example.com/v1' }, 'baseUrl', /password/],
    ['a query string', { baseUrl: 'https://api.example.com/v1?key=1' }, 'baseUrl', /query/],
    ['a huge URL', { baseUrl: `https://api.example.com/${'a'.repeat(3000)}` }, 'baseUrl', /2048/],
    ['an unknown kind', { kind: 'gemini' }, 'kind', /Expected 'openai-compatible' \| 'anthropic'/],
    ['an OpenAI-compatible provider without an address', { baseUrl: undefined }, 'baseUrl', /expected string/],
    ['both key sources', { apiKey: 'sk-both-secret', apiKeyEnv: 'OPENAI_API_KEY' }, 'apiKeyEnv', /not both/],
    ['a server variable', { apiKeyEnv: 'LOOMFLOW_SECRET_KEY' }, 'apiKeyEnv', /LOOMFLOW_/],
    ['an invalid variable name', { apiKeyEnv: 'OPENAI KEY' }, 'apiKeyEnv', /environment variable name/],
    ['a key with a line break', { apiKey: 'sk-line\r\nX-Injected: 1' }, 'apiKey', /printable ASCII/],
    ['a misspelled field', { api_key: 'sk-misspelled-secret' }, '(root)', /api_key/],
  ])('refuses %s with 400 naming the field', async (_name, change, path, message) => {
    const { request } = await setup();
    const res = await request('/api/settings/providers/p1', json('PUT', { kind: 'openai-compatible', baseUrl: 'https://api.example.com/v1', ...change }));
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toMatch(/sk-(both|line|misspelled)/);
    const error = (JSON.parse(text) as ApiErrorBody).error;
    expect(error.code).toBe('invalid_request');
    const issues = (error.details as { issues: { path: string; message: string }[] }).issues;
    expect(issues).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]));
    expect((await request('/api/settings/providers/p1')).status).toBe(404);
  });

  it("takes an Anthropic provider, at Anthropic's address unless it names another", async () => {
    const { request } = await setup();
    const put = await request('/api/settings/providers/claude', json('PUT', { kind: 'anthropic', apiKeyEnv: 'ANTHROPIC_KEY', defaultModel: 'claude-sonnet-4-5' }));
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ id: 'claude', kind: 'anthropic', baseUrl: 'https://api.anthropic.com', defaultModel: 'claude-sonnet-4-5', apiKey: { source: 'env', name: 'ANTHROPIC_KEY' }, updatedAt: expect.any(Number) });
    await request('/api/settings/providers/proxy', json('PUT', { kind: 'anthropic', baseUrl: 'https://llm-gateway.example/anthropic/' }));
    const list = (await (await request('/api/settings/providers')).json()) as { items: ProviderView[] };
    expect(list.items.map((item) => [item.id, item.kind, item.baseUrl])).toEqual([
      ['claude', 'anthropic', 'https://api.anthropic.com'],
      ['proxy', 'anthropic', 'https://llm-gateway.example/anthropic'],
    ]);
  });

  it.each(['x'.repeat(10_000), '_hidden', 'a.b', 'white space'])('refuses the provider id "%.20s" with 400', async (id) => {
    const { request } = await setup();
    for (const init of [undefined, json('PUT', { kind: 'openai-compatible', baseUrl: 'https://api.example.com/v1' }), EMPTY_JSON_POST]) {
      const res = await request(`/api/settings/providers/${encodeURIComponent(id)}${init?.method === 'POST' ? '/test' : ''}`, init);
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject({ code: 'invalid_request', details: { issues: [expect.objectContaining({ path: 'id' })] } });
    }
  });
});

describe('POST /api/settings/providers/:id/test', () => {
  async function testConnection(request: (path: string, init?: RequestInit) => Promise<Response>, id: string): Promise<ConnectionTestResult> {
    const res = await request(`/api/settings/providers/${id}/test`, EMPTY_JSON_POST);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(GOOD_KEY);
    return JSON.parse(text) as ConnectionTestResult;
  }

  it('decrypts a stored key and sends it as the bearer token', async () => {
    const { request } = await setup();
    await request('/api/settings/providers/local', json('PUT', { kind: 'openai-compatible', baseUrl: `${providerUrl}/v1`, apiKey: GOOD_KEY }));
    expect(await testConnection(request, 'local')).toMatchObject({ ok: true, status: 200, models: 2, modelIds: ['model-a', 'model-b'], message: expect.stringMatching(/2 models/) });
    expect(received).toEqual([{ path: '/v1/models', headers: expect.objectContaining({ authorization: `Bearer ${GOOD_KEY}` }) }]);
  });

  it('reports a refused key as 401 without quoting the provider, which echoes the key', async () => {
    const { request } = await setup();
    const badKey = `sk-bad-${randomUUID()}`;
    await request('/api/settings/providers/local', json('PUT', { kind: 'openai-compatible', baseUrl: `${providerUrl}/v1`, apiKey: badKey }));
    const res = await request('/api/settings/providers/local/test', EMPTY_JSON_POST);
    const text = await res.text();
    expect(text).not.toContain(badKey);
    expect(JSON.parse(text)).toMatchObject({ ok: false, status: 401, models: null, message: expect.stringMatching(/API key was refused/) });
    expect(received[0]?.headers.authorization).toBe(`Bearer ${badKey}`);
  });

  it('reads an env reference at the moment of use', async () => {
    const environment: Record<string, string | undefined> = {};
    const { request } = await setup({ secretKey: SECRET_KEY, environment });
    await request('/api/settings/providers/local', json('PUT', { kind: 'openai-compatible', baseUrl: `${providerUrl}/v1`, apiKeyEnv: 'LOCAL_LLM_KEY' }));

    const unset = await request('/api/settings/providers/local/test', EMPTY_JSON_POST);
    expect(unset.status).toBe(500);
    expect(await errorOf(unset)).toMatchObject({ code: 'api_key_env_unset', message: expect.stringMatching(/LOCAL_LLM_KEY.*not set/), details: { name: 'LOCAL_LLM_KEY' } });
    expect(received).toEqual([]);

    environment.LOCAL_LLM_KEY = GOOD_KEY;
    expect(await testConnection(request, 'local')).toMatchObject({ ok: true, models: 2 });
    environment.LOCAL_LLM_KEY = 'sk-rotated';
    expect(await testConnection(request, 'local')).toMatchObject({ ok: false, status: 401 });
    expect(received.map((entry) => entry.headers.authorization)).toEqual([`Bearer ${GOOD_KEY}`, 'Bearer sk-rotated']);

    environment.LOCAL_LLM_KEY = `${GOOD_KEY}\nX-Injected: 1`;
    const invalid = await request('/api/settings/providers/local/test', EMPTY_JSON_POST);
    expect(invalid.status).toBe(500);
    const text = await invalid.text();
    expect(text).not.toContain(GOOD_KEY);
    expect((JSON.parse(text) as ApiErrorBody).error.code).toBe('api_key_env_invalid');
  });

  it('sends no Authorization header for a keyless server', async () => {
    const { request } = await setup();
    await request('/api/settings/providers/ollama', json('PUT', { kind: 'openai-compatible', baseUrl: `${providerUrl}/open` }));
    expect(await testConnection(request, 'ollama')).toMatchObject({ ok: true, models: 2 });
    expect(received[0]?.headers.authorization).toBeUndefined();
    // The same keyless provider against the endpoint that needs a key.
    await request('/api/settings/providers/ollama', json('PUT', { kind: 'openai-compatible', baseUrl: `${providerUrl}/v1` }));
    expect(await testConnection(request, 'ollama')).toMatchObject({ ok: false, status: 401 });
  });

  it('does not follow redirects, and says when the answer is not a model list or nothing listens', async () => {
    const { request } = await setup();
    for (const [id, path] of [['moved', '/moved'], ['html', '/html'], ['missing', '/nowhere']] as const) {
      await request(`/api/settings/providers/${id}`, json('PUT', { kind: 'openai-compatible', baseUrl: `${providerUrl}${path}`, apiKey: GOOD_KEY }));
    }
    expect(await testConnection(request, 'moved')).toMatchObject({ ok: false, status: 302, message: expect.stringMatching(/redirects/) });
    expect(received.map((entry) => entry.path)).toEqual(['/moved/models']);
    expect(await testConnection(request, 'html')).toMatchObject({ ok: false, status: 200, models: null, message: expect.stringMatching(/not with an OpenAI model list/) });
    expect(await testConnection(request, 'missing')).toMatchObject({ ok: false, status: 404, message: expect.stringMatching(/\/v1/) });

    // A port that was just listening and is now closed refuses the connection.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await request('/api/settings/providers/down', json('PUT', { kind: 'openai-compatible', baseUrl: `http://127.0.0.1:${port}/v1` }));
    expect(await testConnection(request, 'down')).toMatchObject({ ok: false, status: null, models: null, message: expect.stringMatching(/Cannot connect.*ECONNREFUSED/) });
  });

  it("lists an Anthropic provider's models with its x-api-key and anthropic-version headers", async () => {
    const anthropic = await startOpenAiTestServer();
    disposers.push(() => anthropic.close());
    const { request } = await setup();
    await request('/api/settings/providers/claude', json('PUT', { kind: 'anthropic', baseUrl: anthropic.anthropicBaseUrl, apiKey: GOOD_KEY }));
    expect(await testConnection(request, 'claude')).toMatchObject({ ok: true, status: 200, models: 2, message: 'Connected: 2 models available.' });
    expect(anthropic.requests).toEqual([expect.objectContaining({ path: '/v1/models', headers: expect.objectContaining({ 'x-api-key': GOOD_KEY, 'anthropic-version': '2023-06-01' }) })]);
    expect(anthropic.requests[0]?.headers.authorization).toBeUndefined();

    // The OpenAI habit of ending the address in /v1 finds no model list, and says why.
    await request('/api/settings/providers/claude', json('PUT', { kind: 'anthropic', baseUrl: `${anthropic.anthropicBaseUrl}/v1`, apiKey: GOOD_KEY }));
    expect(await testConnection(request, 'claude')).toMatchObject({ ok: false, status: 404, message: expect.stringContaining('baseUrl is the address without /v1') });
  });

  it('gives up on a server that does not answer in time', async () => {
    const result = await testProviderConnection({ kind: 'openai-compatible', baseUrl: `${providerUrl}/slow`, apiKey: GOOD_KEY, defaultModel: undefined }, 200);
    expect(result).toMatchObject({ ok: false, status: null, message: expect.stringMatching(/did not answer within 200 ms/) });
    expect(result.latencyMs).toBeGreaterThanOrEqual(150);
  });
});

describe('a stored key that cannot be read', () => {
  async function storedProvider() {
    const context = await setup();
    const put = await context.request('/api/settings/providers/local', json('PUT', { kind: 'openai-compatible', baseUrl: `${providerUrl}/v1`, apiKey: GOOD_KEY }));
    expect(put.status).toBe(200);
    return context;
  }

  it('names a different LOOMFLOW_SECRET_KEY, and a missing one, without crashing', async () => {
    const { restartWith } = await storedProvider();
    for (const [options, code] of [
      [{ secretKey: randomBytes(32).toString('base64') }, 'secret_key_mismatch'],
      [{}, 'secret_key_missing'],
    ] as const) {
      const request = await restartWith(options);
      const res = await request('/api/settings/providers/local/test', EMPTY_JSON_POST);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain(GOOD_KEY);
      expect((JSON.parse(text) as ApiErrorBody).error).toMatchObject({ code, message: expect.stringMatching(/LOOMFLOW_SECRET_KEY/), details: { id: 'local', field: 'apiKey' } });
      // Reading the settings does not need the key, and the server keeps serving.
      expect(((await (await request('/api/settings/providers/local')).json()) as ProviderView).apiKey).toEqual({ source: 'stored' });
    }
    expect(received).toEqual([]);
    // The original key still reads it.
    expect(await (await (await restartWith({ secretKey: SECRET_KEY }))('/api/settings/providers/local/test', EMPTY_JSON_POST)).json()).toMatchObject({ ok: true });
  });

  it('refuses a ciphertext changed in the database', async () => {
    const { request, storedValue, setStoredValue } = await storedProvider();
    const value = JSON.parse((await storedValue('local')) as string) as { apiKey: { sealed: string } };
    const parts = value.apiKey.sealed.split('.');
    parts[4] = `${parts[4]?.startsWith('A') ? 'B' : 'A'}${parts[4]?.slice(1) ?? ''}`;
    value.apiKey.sealed = parts.join('.');
    await setStoredValue('local', JSON.stringify(value));
    const res = await request('/api/settings/providers/local/test', EMPTY_JSON_POST);
    expect(res.status).toBe(500);
    expect(await errorOf(res)).toMatchObject({ code: 'secret_unreadable', message: expect.stringMatching(/modified/) });
    expect(received).toEqual([]);
  });

  it('does not send the key to a base URL edited in the database', async () => {
    const { request, storedValue, setStoredValue } = await storedProvider();
    const value = JSON.parse((await storedValue('local')) as string) as { baseUrl: string };
    value.baseUrl = `${providerUrl}/open`;
    await setStoredValue('local', JSON.stringify(value));
    const res = await request('/api/settings/providers/local/test', EMPTY_JSON_POST);
    expect(res.status).toBe(500);
    expect((await errorOf(res)).code).toBe('secret_unreadable');
    expect(received).toEqual([]);
  });
});

describe('GET /api/openapi.json', () => {
  it('describes the provider routes without any key field in their responses', async () => {
    const { request } = await setup();
    const document = (await (await request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/settings/providers', '/api/settings/providers/{id}', '/api/settings/providers/{id}/test']));
    expect(Object.keys(document.paths['/api/settings/providers/{id}'] ?? {}).sort()).toEqual(['delete', 'get', 'put']);
    expect(JSON.stringify(document.paths['/api/settings/providers/{id}']?.put?.requestBody)).toMatch(/apiKeyEnv/);
    expect(JSON.stringify(document.paths['/api/settings/providers/{id}']?.get?.responses)).not.toMatch(/sealed|"apiKey":\{"type":"string"/);
  });
});
