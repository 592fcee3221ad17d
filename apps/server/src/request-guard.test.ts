// The probes of a hostile web page and a DNS-rebinding attacker against a server without a token,
// each answered before any route runs; and deep JSON refused before it is parsed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from './errors';
import { chainFlow } from './testing/flows';
import { createTestApp, jsonRequest } from './testing/fixtures';

let test: Awaited<ReturnType<typeof createTestApp>>;

beforeEach(async () => {
  test = await createTestApp();
  expect((await test.app.request('/api/flows', jsonRequest('POST', chainFlow('chain', 2)))).status).toBe(201);
});

afterEach(async () => {
  await test.dispose();
});

async function errorOf(response: Response): Promise<ApiErrorBody['error']> {
  return ((await response.json()) as ApiErrorBody).error;
}

const runCount = async () => ((await (await test.app.request('/api/runs')).json()) as { total: number }).total;

describe('cross-site requests', () => {
  it.each([
    ['text/plain', '{"input":{}}'],
    ['application/x-www-form-urlencoded', 'input=1'],
    ['multipart/form-data; boundary=x', '--x--'],
  ])('refuses a %s body on a state-changing route, which any page can send without a preflight', async (contentType, body) => {
    const res = await test.app.request('/api/flows/chain/runs', { method: 'POST', headers: { 'Content-Type': contentType }, body });
    expect(res.status).toBe(415);
    expect(await errorOf(res)).toMatchObject({ code: 'unsupported_media_type', message: expect.stringContaining('application/json') });
    expect(await runCount()).toBe(0);
  });

  it.each([
    ['/api/flows/chain/versions/1/restore'],
    ['/api/runs/some-run/cancel'],
    ['/api/settings/providers/p1/test'],
    ['/api/flows/chain/duplicate'],
  ])('refuses a bodyless POST to %s without a JSON content type', async (path) => {
    const res = await test.app.request(path, { method: 'POST' });
    expect(res.status).toBe(415);
  });

  it('refuses a request whose Origin is another site, even with a JSON body', async () => {
    const res = await test.app.request('/api/flows/chain/runs', { ...jsonRequest('POST', { input: {} }), headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toMatchObject({ code: 'cross_origin_refused', message: expect.stringContaining('LOOMFLOW_CORS_ORIGINS') });
    expect(await runCount()).toBe(0);
  });

  it('refuses another port of localhost, and a sandboxed page whose Origin is "null"', async () => {
    for (const origin of ['http://localhost:3000', 'null']) {
      const res = await test.app.request('/api/flows', { headers: { Origin: origin } });
      expect(res.status).toBe(403);
    }
  });

  it.each(['cross-site', 'same-site'])('refuses Sec-Fetch-Site: %s', async (site) => {
    const res = await test.app.request('/api/flows', { headers: { 'Sec-Fetch-Site': site } });
    expect(res.status).toBe(403);
  });

  it('serves the same origin, a typed URL and clients that send neither header', async () => {
    expect((await test.app.request('/api/flows', { headers: { Origin: 'http://localhost', 'Sec-Fetch-Site': 'same-origin' } })).status).toBe(200);
    expect((await test.app.request('/api/flows', { headers: { 'Sec-Fetch-Site': 'none' } })).status).toBe(200);
    const started = await test.app.request('/api/flows/chain/runs', { ...jsonRequest('POST', { input: {} }), headers: { 'Content-Type': 'application/json; charset=utf-8', Origin: 'http://localhost' } });
    expect(started.status).toBe(202);
  });
});

describe('host names (DNS rebinding)', () => {
  it.each(['/api/flows', '/api/health', '/'])('refuses %s for a Host that is not this server', async (path) => {
    const res = await test.app.request(`http://evil.example:8787${path}`);
    expect(res.status).toBe(421);
    expect(await errorOf(res)).toMatchObject({ code: 'host_not_allowed', message: expect.stringContaining('LOOMFLOW_ALLOWED_HOSTS') });
  });

  it('refuses a rebound name writing too', async () => {
    const res = await test.app.request('http://evil.example:8787/api/flows/chain/runs', jsonRequest('POST', { input: {} }));
    expect(res.status).toBe(421);
    expect(await runCount()).toBe(0);
  });

  it.each(['http://localhost:8787', 'http://127.0.0.1:8787', 'http://[::1]:8787'])('answers the loopback name %s', async (base) => {
    expect((await test.app.request(`${base}/api/health`)).status).toBe(200);
  });

  it('answers names listed in LOOMFLOW_ALLOWED_HOSTS, and only those', async () => {
    const other = await createTestApp({}, { allowedHosts: ['loomflow.example.com'] });
    try {
      expect((await other.app.request('http://loomflow.example.com/api/health')).status).toBe(200);
      expect((await other.app.request('http://LOOMFLOW.example.com/api/health')).status).toBe(200);
      expect((await other.app.request('http://sub.loomflow.example.com/api/health')).status).toBe(421);
    } finally {
      await other.dispose();
    }
  });
});

describe('a body that is not JSON', () => {
  it('answers 400 naming the line and column where it stops being JSON, and stores nothing', async () => {
    const res = await test.app.request('/api/flows', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{\n  "id": "broken",\n  "name": \'x\'\n}' });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toEqual({ code: 'invalid_json', message: 'The request body is not valid JSON at line 3, column 11.', details: { line: 3, column: 11, offset: 30 } });
    expect((await test.app.request('/api/flows/broken')).status).toBe(404);
  });
});

describe('deeply nested JSON', () => {
  const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('refuses a 5,000-deep run input with 400 naming the limit, and keeps serving', async () => {
    const res = await test.app.request('/api/flows/chain/runs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: `{"input":${deep(5000)}}` });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 'json_too_deep', details: { maxDepth: 64 }, message: expect.stringContaining('LOOMFLOW_MAX_JSON_DEPTH') });
    expect(await runCount()).toBe(0);
    expect((await test.app.request('/api/health')).status).toBe(200);
  });

  it('refuses a flow whose node config nests too deep, and stores nothing', async () => {
    const flow = JSON.stringify({ ...chainFlow('deep', 1), nodes: [] }).replace('"nodes":[]', `"nodes":[{"id":"n","type":"agent.assign","position":{"x":0,"y":0},"config":${deep(5000)}}]`);
    const res = await test.app.request('/api/flows', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: flow });
    expect(res.status).toBe(400);
    expect((await test.app.request('/api/flows/deep')).status).toBe(404);
  });

  it('takes its limit from the app options', async () => {
    const other = await createTestApp({}, { maxJsonDepth: 3 });
    try {
      const res = await other.app.request('/api/flows/validate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: deep(4) });
      expect(await errorOf(res)).toMatchObject({ code: 'json_too_deep', details: { maxDepth: 3 } });
    } finally {
      await other.dispose();
    }
  });
});
