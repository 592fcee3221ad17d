// The one test that goes through a real socket: @hono/node-server's adapter, real HTTP framing,
// and a body that is streamed rather than announced with Content-Length.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app';
import { createServices } from './services';
import { startHttpServer, type RunningServer } from './http-server';
import { createTempDatabase, createTempWebDist, type TempDatabase } from './testing/fixtures';

let database: TempDatabase;
let webDist: ReturnType<typeof createTempWebDist>;
let server: RunningServer;

beforeAll(async () => {
  database = await createTempDatabase();
  webDist = createTempWebDist();
  const app = createApp({ db: database.db, services: await createServices(database.db), webDistDir: webDist.dir, maxBodyBytes: 64 * 1024 });
  server = await startHttpServer(app, '127.0.0.1', 0);
});

afterAll(async () => {
  await server.close();
  database.dispose();
  webDist.dispose();
});

describe('the server over HTTP', () => {
  it('answers /api/health on the port the OS chose', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, db: { ok: true } });
  });

  it('serves the web app for a history-mode URL', async () => {
    const res = await fetch(`${server.url}/flows/demo`, { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="app">');
  });

  it('rejects an oversized streamed body with 413 and keeps serving', async () => {
    const chunk = new Uint8Array(16 * 1024).fill(120);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i += 1) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(`${server.url}/api/flows`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });

    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
  });

  it('judges a body announced with Content-Length by that length: one byte over is refused, the limit itself is read whole', async () => {
    const limit = 64 * 1024;
    /** A JSON body of exactly `bytes` bytes, sent with its Content-Length (fetch adds it to a string body). */
    const post = (bytes: number) => {
      const body = JSON.stringify({ padding: '' });
      return fetch(`${server.url}/api/flows`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ padding: 'x'.repeat(bytes - body.length) }) });
    };
    const over = await post(limit + 1);
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({ error: { code: 'payload_too_large', message: expect.stringContaining('LOOMFLOW_MAX_BODY_BYTES'), details: { maxBytes: limit } } });
    // At the limit the body reaches the route, parsed whole: the flow's validation names what is missing.
    const atLimit = await post(limit);
    expect(atLimit.status).toBe(400);
    expect(await atLimit.json()).toMatchObject({ error: { code: 'invalid_request', details: { issues: expect.arrayContaining([expect.objectContaining({ path: 'id' })]) } } });
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('refuses a request that names no Host, or one it cannot read, with a JSON error that says which', async () => {
    const { port } = new URL(server.url);
    /** The whole answer to a request written as it is, on a connection of its own. */
    const rawRequest = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(text));
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
      });
    const noHost = await rawRequest('GET /api/health HTTP/1.0\r\n\r\n');
    expect(noHost).toMatch(/^HTTP\/1\.1 400 /);
    expect(noHost).toContain('{"error":{"code":"bad_request","message":"The request cannot be read: Missing host header.","details":null}}');
    const noHost11 = await rawRequest('GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(noHost11).toContain('"message":"The request cannot be read: Missing host header."');
    const userInfo = await rawRequest(`GET http://user:secret@127.0.0.1:${port}/api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    expect(userInfo).toMatch(/^HTTP\/1\.1 400 /);
    expect(userInfo).toContain('The request URL may not carry a user name or password.');
    const mapped = await rawRequest(`GET /api/health HTTP/1.1\r\nHost: [::ffff:127.0.0.1]:${port}\r\nConnection: close\r\n\r\n`);
    expect(mapped).toMatch(/^HTTP\/1\.1 400 /);
    expect(mapped).toContain('"code":"bad_request"');
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });
});
