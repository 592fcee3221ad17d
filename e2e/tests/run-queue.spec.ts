// A run started from the designer while the server has no free run slot: the run panel says it is
// queued (in English and in Chinese), the canvas lights no node, and once the slot is freed the run
// goes on to its end. The journeys' shared server runs 8 runs at once, so this one starts a server
// of its own with LOOMFLOW_MAX_CONCURRENT_RUNS=1 and a database of its own, and stops it after.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, test } from './fixtures';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

let server: ChildProcess | undefined;
let dataDir = '';
let baseUrl = '';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'loomflow-e2e-queue-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, ['apps/server/dist/index.js'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      LOOMFLOW_HOST: '127.0.0.1',
      LOOMFLOW_PORT: String(port),
      LOOMFLOW_DB_URL: pathToFileURL(join(dataDir, 'loomflow.db')).href,
      LOOMFLOW_API_TOKEN: '',
      LOOMFLOW_CORS_ORIGINS: '',
      LOOMFLOW_WEB_DIST: process.env.LOOMFLOW_E2E_WEB_DIST ?? '',
      LOOMFLOW_MAX_CONCURRENT_RUNS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await expect
    .poll(
      async () => {
        if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
        return fetch(`${baseUrl}/api/health`).then(
          (response) => response.status,
          () => 0,
        );
      },
      { timeout: 30_000, message: 'the queue journey server answers /api/health' },
    )
    .toBe(200);
});

test.afterAll(async () => {
  const child = server;
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test.describe.configure({ timeout: 120_000 });

/** A chain of code steps of 50 ms each: it holds the only slot until it is cancelled, whatever the machine's speed. */
function blockerFlow(id: string) {
  const steps = Array.from({ length: 200 }, (_, index) => ({
    id: `step${index + 1}`,
    type: 'agent.code',
    name: `Step ${index + 1}`,
    position: { x: 200 + index * 150, y: 100 },
    config: { language: 'javascript', source: 'const until = Date.now() + 50; while (Date.now() < until) {} return { count: state.count + 1 };', timeoutMs: 5050, memoryMb: 16 },
  }));
  const ids = ['start', ...steps.map((step) => step.id), 'end'];
  return {
    schemaVersion: 1,
    id,
    name: 'Holds the slot',
    kind: 'agent',
    state: { channels: [{ name: 'count', type: 'number', reducer: 'replace', default: 0 }] },
    nodes: [
      { id: 'start', type: 'agent.start', name: 'Start', position: { x: 50, y: 100 }, config: {} },
      ...steps,
      { id: 'end', type: 'agent.end', name: 'End', position: { x: 200 + steps.length * 150, y: 100 }, config: {} },
    ],
    edges: ids.slice(1).map((target, index) => ({ id: `e${index + 1}`, source: ids[index] ?? 'start', target })),
  };
}

/** The flow started from the designer: one step that counts. */
function countingFlow(id: string) {
  return {
    schemaVersion: 1,
    id,
    name: 'Waits its turn',
    kind: 'agent',
    state: { channels: [{ name: 'count', type: 'number', reducer: 'replace', default: 0 }] },
    nodes: [
      { id: 'start', type: 'agent.start', name: 'Start', position: { x: 100, y: 150 }, config: {} },
      { id: 'count', type: 'agent.code', name: 'Count', position: { x: 320, y: 150 }, config: { source: 'return { count: state.count + 1 };', writes: ['count'] } },
      { id: 'end', type: 'agent.end', name: 'End', position: { x: 540, y: 150 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'count' },
      { id: 'e2', source: 'count', target: 'end' },
    ],
  };
}

test('a run started while the only run slot is taken shows as queued, lights no node, and runs once the slot is free', async ({ page, playwright }) => {
  const api = await playwright.request.newContext({ baseURL: baseUrl, extraHTTPHeaders: { connection: 'close' } });
  try {
    expect((await api.post('/api/flows', { data: blockerFlow('blocker') })).status()).toBe(201);
    expect((await api.post('/api/flows', { data: countingFlow('counting') })).status()).toBe(201);
    const started = await api.post('/api/flows/blocker/runs', { data: { input: {} } });
    expect(started.status()).toBe(202);
    const { runId: blockerRun } = (await started.json()) as { runId: string };
    await expect.poll(async () => ((await (await api.get(`/api/runs/${blockerRun}`)).json()) as { status: string }).status).toBe('running');

    await page.goto(`${baseUrl}/flows/counting`);
    const canvas = page.getByTestId('flow-canvas');
    await expect(canvas.locator('[data-node-id="count"]')).toBeVisible();
    await page.locator('[data-action="run"]').click();
    const panel = page.getByTestId('run-panel');
    await panel.locator('[data-action="start-run"]').click();

    await expect(panel).toHaveAttribute('data-run-status', 'queued');
    await expect(panel.getByTestId('run-status')).toHaveText('Queued');
    await expect(panel.getByTestId('run-queued')).toHaveText('Queued — waiting for a free run slot (the server runs at most 1 at once).');
    await expect(canvas.locator('[data-run-state]')).toHaveCount(0);

    await page.getByTestId('language-switch').getByText('中文', { exact: true }).click();
    await expect(panel.getByTestId('run-status')).toHaveText('排队中');
    await expect(panel.getByTestId('run-queued')).toContainText('等待空闲的运行槽位');
    await expect(panel).toHaveAttribute('data-run-status', 'queued');
    await expect(canvas.locator('[data-run-state]')).toHaveCount(0);

    // Freeing the slot: the queued run gets it and runs to its end.
    expect((await api.post(`/api/runs/${blockerRun}/cancel`, { data: {} })).status()).toBe(202);
    await expect(panel).toHaveAttribute('data-run-status', 'completed', { timeout: 60_000 });
    await expect(panel.getByTestId('run-queued')).toHaveCount(0);
    await expect(canvas.locator('[data-node-id="count"]')).toHaveAttribute('data-run-state', 'completed');
    await expect(panel.locator('[data-testid="run-final-state"] [data-channel="count"]')).toContainText('1');
  } finally {
    await api.dispose();
  }
});
