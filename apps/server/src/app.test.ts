import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, type AppOptions } from './app';
import type { ApiErrorBody } from './errors';
import { createServices, type ServerServices } from './services';
import { createTempDatabase, createTempWebDist, INDEX_HTML, type TempDatabase } from './testing/fixtures';

const HTML_NAVIGATION = { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

let database: TempDatabase;
let services: ServerServices;
let webDist: ReturnType<typeof createTempWebDist>;

beforeEach(async () => {
  database = await createTempDatabase();
  services = await createServices(database.db);
  webDist = createTempWebDist();
});

afterEach(() => {
  database.dispose();
  webDist.dispose();
  vi.restoreAllMocks();
});

function appWith(options: Partial<AppOptions> = {}) {
  return createApp({ db: database.db, services, webDistDir: webDist.dir, version: '1.2.3', ...options });
}

describe('GET /api/health', () => {
  it('reports the version and a database that answers', async () => {
    const res = await appWith().request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, version: '1.2.3', db: { ok: true } });
  });

  it('answers 503 without the database error when the database is gone', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const app = appWith();
    database.db.close();
    const res = await app.request('/api/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, version: '1.2.3', db: { ok: false } });
  });
});

describe('the web app', () => {
  it('serves index.html at /', async () => {
    const res = await appWith().request('/', { headers: HTML_NAVIGATION });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(await res.text()).toBe(INDEX_HTML);
  });

  it('falls back to index.html for history-mode page URLs', async () => {
    const res = await appWith().request('/flows/abc', { headers: HTML_NAVIGATION });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-cache');
    expect(await res.text()).toBe(INDEX_HTML);
  });

  it('serves hashed bundles as immutable files', async () => {
    const res = await appWith().request('/assets/index-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/javascript/);
    expect(res.headers.get('Cache-Control')).toContain('immutable');
    expect(await res.text()).toBe('console.log("loomflow")');
  });

  it('keeps a missing bundle a 404 instead of answering with HTML', async () => {
    const res = await appWith().request('/assets/missing.js', { headers: { Accept: '*/*' } });
    expect(res.status).toBe(404);
  });

  it('serves the favicon, also where browsers look for it by default', async () => {
    const app = appWith();
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('Content-Type'), path).toMatch(/^image\/svg\+xml/);
    }
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%2fsecret.txt'])(
    'never serves files outside the web app directory: %s',
    async (path) => {
      const res = await appWith().request(path, { headers: { Accept: '*/*' } });
      expect(await res.text()).not.toContain('not part of the web app');
    },
  );

  it('serves only the API when the web app is not built', async () => {
    const app = appWith({ webDistDir: `${webDist.dir}/does-not-exist` });
    expect((await app.request('/', { headers: HTML_NAVIGATION })).status).toBe(404);
    expect((await app.request('/api/health')).status).toBe(200);
  });
});

describe('security headers', () => {
  it.each(['/', '/api/health', '/api/nope'])('are set on %s', async (path) => {
    const res = await appWith().request(path, { headers: HTML_NAVIGATION });
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(res.headers.get('Strict-Transport-Security')).toBeNull();
  });
});

describe('errors', () => {
  it('answers unknown API routes with a JSON 404, never with the web app', async () => {
    const res = await appWith().request('/api/nope', { headers: HTML_NAVIGATION });
    expect(res.status).toBe(404);
    const body = (await res.json()) as ApiErrorBody;
    expect(body).toEqual({
      error: { code: 'not_found', message: expect.any(String), details: { method: 'GET', path: '/api/nope' } },
    });
  });

  it('turns a thrown error into a JSON 500 without the stack', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const app = appWith();
    app.get('/api/explode', () => {
      throw new Error('secret detail at /home/loomflow/db.ts:12');
    });
    const res = await app.request('/api/explode');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'internal_error', message: 'The server failed to handle this request.', details: null },
    });
    expect(text).not.toContain('secret detail');
    expect(logged).toHaveBeenCalled();
  });
});

describe('API token', () => {
  const token = 'correct-horse-battery-staple';

  it('rejects requests without a token', async () => {
    const res = await appWith({ apiToken: token }).request('/api/health');
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    expect(((await res.json()) as ApiErrorBody).error.code).toBe('unauthorized');
  });

  it.each([`Bearer ${token}x`, 'Bearer short', `Basic ${token}`, token])('rejects "Authorization: %s"', async (authorization) => {
    const res = await appWith({ apiToken: token }).request('/api/health', { headers: { Authorization: authorization } });
    expect(res.status).toBe(401);
  });

  it.each([
    ['GET', '/api/flows'],
    ['POST', '/api/flows/some-flow/runs'],
    ['GET', '/api/runs/some-run/events'],
    ['POST', '/api/tasks/some-task/complete'],
    ['GET', '/api/openapi.json'],
  ])('guards %s %s like every /api route', async (method, path) => {
    const res = await appWith({ apiToken: token }).request(path, { method });
    expect(res.status).toBe(401);
  });

  it('accepts the right token', async () => {
    const res = await appWith({ apiToken: token }).request('/api/health', { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });

  it('leaves the web app itself public, since it only holds public files', async () => {
    const res = await appWith({ apiToken: token }).request('/flows/abc', { headers: HTML_NAVIGATION });
    expect(res.status).toBe(200);
  });

  it('is not asked for when no token is configured', async () => {
    const res = await appWith().request('/api/health');
    expect(res.status).toBe(200);
  });
});

describe('CORS', () => {
  const origin = 'https://studio.example.com';

  it('is absent by default', async () => {
    const res = await appWith().request('/api/health', { headers: { Origin: origin } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('allows a listed origin, preflight included', async () => {
    const app = appWith({ corsOrigins: [origin] });
    const res = await app.request('/api/health', { headers: { Origin: origin } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(origin);

    const preflight = await app.request('/api/health', {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toMatch(/Authorization/i);
  });

  it('answers preflights before asking for the token, which browsers never send on them', async () => {
    const app = appWith({ corsOrigins: [origin], apiToken: 'secret-token' });
    const preflight = await app.request('/api/health', {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
  });

  it('does not allow an unlisted origin', async () => {
    const res = await appWith({ corsOrigins: [origin] }).request('/api/health', { headers: { Origin: 'https://evil.example' } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('request body limit', () => {
  it('answers 413 for an oversized body and keeps serving', async () => {
    const app = appWith({ maxBodyBytes: 1024 });
    const res = await app.request('/api/flows', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(2048) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as ApiErrorBody).error).toMatchObject({ code: 'payload_too_large', details: { maxBytes: 1024 } });
    expect((await app.request('/api/health')).status).toBe(200);
  });

  it('lets a body under the limit through to routing', async () => {
    const res = await appWith({ maxBodyBytes: 1024 }).request('/api/flows', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    // Past the limit, the flow route's own validation answers.
    expect(res.status).toBe(400);
    expect(((await res.json()) as ApiErrorBody).error.code).toBe('invalid_request');
  });
});
