// A run whose one step fans out to 2,000 tasks must not take the server from everyone else: the
// runtime gives the event loop a turn after every 10 ms of its work. Real socket, real libsql file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app';
import { startHttpServer, type RunningServer } from './http-server';
import { createServices, type ServerServices } from './services';
import { createTempDatabase, createTempWebDist, jsonRequest, type TempDatabase } from './testing/fixtures';
import { mapFlow } from './testing/flows';
import { probeWhileRunning } from './testing/while-running';

const WIDTH = 2000;
/** Health answers that must complete while the run is seen running; far fewer than a healthy server gives. */
const MIN_ANSWERS_WHILE_RUNNING = 3;

const wideFlow = mapFlow('wide');

let database: TempDatabase;
let webDist: ReturnType<typeof createTempWebDist>;
let services: ServerServices;
let server: RunningServer;

beforeAll(async () => {
  database = await createTempDatabase();
  webDist = createTempWebDist();
  services = await createServices(database.db);
  server = await startHttpServer(createApp({ db: database.db, services, webDistDir: webDist.dir }), '127.0.0.1', 0);
});

afterAll(async () => {
  await server.close();
  await services.close();
  database.dispose();
  webDist.dispose();
});

const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, jsonRequest('POST', body));

describe(`a run with a ${WIDTH}-wide superstep`, () => {
  it('leaves /api/health answering while it runs', async () => {
    expect((await post('/api/flows', wideFlow)).status).toBe(201);
    const started = await post('/api/flows/wide/runs', { input: { items: Array.from({ length: WIDTH }, (_, index) => index) } });
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };

    const { status, latencies } = await probeWhileRunning(server.url, runId, async () => {
      const health = await fetch(`${server.url}/api/health`);
      expect(health.status).toBe(200);
      await health.arrayBuffer();
    });

    expect(status).toBe('completed');
    const sorted = [...latencies].sort((left, right) => left - right);
    const percentile = (share: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0);
    // Measured, not asserted: a loaded machine may be slow, never silent.
    console.log(`/api/health during a ${WIDTH}-wide step: ${latencies.length} answers, p50 ${percentile(0.5)} ms, p95 ${percentile(0.95)} ms, max ${percentile(1)} ms`);
    expect(latencies.length).toBeGreaterThanOrEqual(MIN_ANSWERS_WHILE_RUNNING);
  }, 300_000);
});
