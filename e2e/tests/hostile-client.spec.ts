// The built server attacked from outside, as a hostile web page, a rebound host name and a
// careless flow author would: every attempt is refused, nothing is stored, and the server serves on.
import type { APIRequestContext } from '@playwright/test';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures';

const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/** start → one node → end, over channels `text` and `response`. */
function oneNodeFlow(id: string, node: { type: string; config: Record<string, unknown> }) {
  return {
    schemaVersion: 1,
    id,
    name: id,
    kind: 'agent',
    state: {
      channels: [
        { name: 'text', type: 'string', reducer: 'replace', default: '' },
        { name: 'response', type: 'object', reducer: 'replace' },
      ],
    },
    nodes: [
      { id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} },
      { id: 'work', type: node.type, position: { x: 200, y: 0 }, config: node.config },
      { id: 'end', type: 'agent.end', position: { x: 400, y: 0 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'work' },
      { id: 'e2', source: 'work', target: 'end' },
    ],
  };
}

async function storeFlow(request: APIRequestContext, flow: { id: string }): Promise<void> {
  const response = await request.post('/api/flows', { data: flow });
  expect(response.status()).toBe(201);
}

async function runCount(request: APIRequestContext, flowId: string): Promise<number> {
  const response = await request.get(`/api/runs?flowId=${flowId}`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { total: number }).total;
}

/** Starts a run and follows it to its end. */
async function finishedRun(request: APIRequestContext, flowId: string): Promise<Record<string, unknown>> {
  const started = await request.post(`/api/flows/${flowId}/runs`, { data: { input: {} } });
  expect(started.status()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  let run: Record<string, unknown> = {};
  await expect
    .poll(async () => {
      run = (await (await request.get(`/api/runs/${runId}`)).json()) as Record<string, unknown>;
      return run.status;
    })
    .toMatch(/^(completed|failed|cancelled)$/);
  return run;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

test.describe('a hostile page', () => {
  // The server answers other origins with Cross-Origin-Resource-Policy: same-origin, which the
  // browser reports when the hostile page's requests come back.
  test.use({ allowedConsoleErrors: [/ERR_BLOCKED_BY_RESPONSE\.NotSameOrigin/] });

  test('a page of another site cannot start runs, even with a simple request the browser sends unasked', async ({ page, request, baseURL }) => {
    const flowId = uniqueId('target');
    await storeFlow(request, oneNodeFlow(flowId, { type: 'agent.template', config: { template: 'hello', output: 'text' } }));

    // The hostile page is served from another origin on this machine.
    const hostile = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>hostile</title>'));
    const hostilePort = await listen(hostile);
    try {
      await page.goto(`http://127.0.0.1:${hostilePort}/`);
      const target = `${baseURL}/api/flows/${flowId}/runs`;
      const settled = await page.evaluate(async (url) => {
        // "no-cors" with a text/plain or form body is a simple request: the browser sends it
        // without asking first. The page cannot read the answer; the request has its effect or not.
        const attempts = [
          fetch(url, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{"input":{}}' }),
          fetch(url, { method: 'POST', mode: 'no-cors', body: new URLSearchParams({ input: '{}' }) }),
        ];
        return (await Promise.allSettled(attempts)).length;
      }, target);
      expect(settled).toBe(2);
    } finally {
      hostile.close();
    }
    expect(await runCount(request, flowId)).toBe(0);
    // The same request from the app's own origin is accepted.
    expect((await finishedRun(request, flowId)).status).toBe('completed');
  });
});

test('requests under another host name, from another origin, or with other bodies are refused by name', async ({ request, baseURL }) => {
  const flowId = uniqueId('guarded');
  await storeFlow(request, oneNodeFlow(flowId, { type: 'agent.template', config: { template: 'hello', output: 'text' } }));
  const runs = `/api/flows/${flowId}/runs`;
  const codeOf = async (response: { json(): Promise<unknown> }) => ((await response.json()) as { error?: { code?: string } }).error?.code;

  const plain = await request.post(runs, { headers: { 'content-type': 'text/plain' }, data: '{"input":{}}' });
  expect([plain.status(), await codeOf(plain)]).toEqual([415, 'unsupported_media_type']);
  const crossSite = await request.post(runs, { headers: { origin: 'https://evil.example' }, data: { input: {} } });
  expect([crossSite.status(), await codeOf(crossSite)]).toEqual([403, 'cross_origin_refused']);
  const fetchSite = await request.post(runs, { headers: { 'sec-fetch-site': 'cross-site' }, data: { input: {} } });
  expect([fetchSite.status(), await codeOf(fetchSite)]).toEqual([403, 'cross_origin_refused']);

  let deep = '0';
  for (let depth = 0; depth < 5000; depth += 1) deep = `{"a":${deep}}`;
  const tooDeep = await request.post(runs, { headers: { 'content-type': 'application/json' }, data: `{"input":${deep}}` });
  expect([tooDeep.status(), await codeOf(tooDeep)]).toEqual([400, 'json_too_deep']);
  expect(await runCount(request, flowId)).toBe(0);

  // DNS rebinding: a name that resolves here, but is not this server's.
  const { port } = new URL(baseURL ?? '');
  const rebound = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
    const sent = httpRequest({ host: '127.0.0.1', port, path: '/api/flows', headers: { host: `evil.example:${port}`, connection: 'close' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    sent.on('error', reject);
    sent.end();
  });
  expect(rebound.status).toBe(421);
  expect(rebound.body).toContain('host_not_allowed');
  expect(rebound.body).not.toContain(flowId);

  // The runner's identity stays inside the server.
  const run = await finishedRun(request, flowId);
  expect(run).not.toHaveProperty('owner');
  expect(run).not.toHaveProperty('leaseExpiresAt');
});

test('an HTTP node cannot reach this machine under any spelling of its address', async ({ request }) => {
  let reached = 0;
  const secret = createServer((_req, res) => {
    reached += 1;
    res.end('secret');
  });
  const port = await listen(secret);
  try {
    const spellings = [`[::ffff:127.0.0.1]`, `[::ffff:7f00:1]`, `[::127.0.0.1]`, `[64:ff9b::7f00:1]`, `2130706433`, `0x7f.1`, `127.1`, `localhost`];
    for (const host of spellings) {
      const flowId = uniqueId('ssrf');
      await storeFlow(request, oneNodeFlow(flowId, { type: 'agent.http', config: { method: 'GET', url: `http://${host}:${port}/`, output: 'response', timeoutMs: 5000 } }));
      const run = await finishedRun(request, flowId);
      expect({ host, status: run.status, code: (run.error as { code?: string } | undefined)?.code }).toEqual({ host, status: 'failed', code: 'http.blocked' });
    }
  } finally {
    secret.close();
  }
  expect(reached).toBe(0);
  expect((await request.get('/api/health')).status()).toBe(200);
});
