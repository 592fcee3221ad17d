// `loomflow serve` from the built CLI: it starts the built server, which answers, and both stop
// cleanly on SIGTERM.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServerBundle } from '@loomflow/server/testing/server-process';
import { afterAll, beforeAll, expect, it } from 'vitest';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
mkdirSync(join(cliDir, 'dist'), { recursive: true });
const bundleDir = mkdtempSync(join(cliDir, 'dist', 'serve-int-test-'));
const cliBundle = join(bundleDir, 'index.js');
const scratch = mkdtempSync(join(tmpdir(), 'loomflow-serve-'));
let server: ReturnType<typeof buildServerBundle>;

beforeAll(() => {
  execFileSync(process.execPath, ['../../scripts/bundle-node-app.mjs', 'src/index.ts', cliBundle], { cwd: cliDir, stdio: 'pipe' });
  server = buildServerBundle();
}, 120_000);

afterAll(() => {
  server.dispose();
  rmSync(bundleDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

it('serves the API on the port it was given, and stops on SIGTERM with exit code 0', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, [cliBundle, 'serve', '--port', '0', '--db', `file:${join(scratch, 'served.db')}`], {
    env: { ...process.env, LOOMFLOW_SERVER_BUNDLE: server.bundle },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const found = /is running at (http:\/\/\S+)/.exec(stdout);
      if (found?.[1]) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const health = await fetch(`${url}/api/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ ok: true, db: { ok: true } });

  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code, stderr).toBe(0);
});
