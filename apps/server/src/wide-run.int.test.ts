// A run whose one step fans out to 2,000 tasks must not take the server from everyone else: the
// runtime yields to the event loop between batches of task results. Real socket, real libsql file.
import type { FlowDocumentInput } from '@loomflow/graph-schema';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app';
import { startHttpServer, type RunningServer } from './http-server';
import { createServices, type ServerServices } from './services';
import { createTempDatabase, createTempWebDist, jsonRequest, type TempDatabase } from './testing/fixtures';

const WIDTH = 2000;
/** Health answers that must complete while the run is seen running; far fewer than a healthy server gives. */
const MIN_ANSWERS_WHILE_RUNNING = 3;

const at = { x: 0, y: 0 };
const wideFlow: FlowDocumentInput = {
  schemaVersion: 1,
  id: 'wide',
  name: 'Wide',
  kind: 'agent',
  state: {
    channels: [
      { name: 'items', type: 'array' },
      { name: 'item', type: 'number' },
      { name: 'doubled', type: 'number' },
      { name: 'results', type: 'array' },
    ],
    input: ['items'],
  },
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { id: 'each', type: 'agent.map', position: at, config: { items: 'items', as: 'item', node: 'double', collect: 'results' } },
    { id: 'double', type: 'agent.assign', position: at, config: { assignments: [{ key: 'doubled', value: 'item * 2' }] } },
    { id: 'end', type: 'agent.end', position: at },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'each' },
    { id: 'e2', source: 'each', target: 'end' },
  ],
};

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
const statusOf = async (runId: string) => ((await (await fetch(`${server.url}/api/runs/${runId}`)).json()) as { status: string }).status;

describe(`a run with a ${WIDTH}-wide superstep`, () => {
  it('leaves /api/health answering while it runs', async () => {
    expect((await post('/api/flows', wideFlow)).status).toBe(201);
    const started = await post('/api/flows/wide/runs', { input: { items: Array.from({ length: WIDTH }, (_, index) => index) } });
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };

    let status = await statusOf(runId);
    while (status === 'queued') status = await statusOf(runId);
    const latencies: number[] = [];
    // Each answer counts only if the run was still running after it arrived.
    while (status === 'running') {
      const sent = performance.now();
      const health = await fetch(`${server.url}/api/health`);
      expect(health.status).toBe(200);
      await health.arrayBuffer();
      const latency = performance.now() - sent;
      status = await statusOf(runId);
      if (status === 'running') latencies.push(latency);
    }

    expect(status).toBe('completed');
    const sorted = [...latencies].sort((left, right) => left - right);
    const percentile = (share: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0);
    // Measured, not asserted: a loaded machine may be slow, never silent.
    console.log(`/api/health during a ${WIDTH}-wide step: ${latencies.length} answers, p50 ${percentile(0.5)} ms, p95 ${percentile(0.95)} ms, max ${percentile(1)} ms`);
    expect(latencies.length).toBeGreaterThanOrEqual(MIN_ANSWERS_WHILE_RUNNING);
  }, 300_000);
});
