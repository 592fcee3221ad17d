// Journeys against the real thing: the built server (apps/server/dist) serving the built web app
// (apps/web/dist) to Debian's Chromium. `pnpm build` must run first; `pnpm check` does that.
import { defineConfig } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const fromRoot = (path: string) => fileURLToPath(new URL(path, pathToFileURL(repoRoot)));

for (const artifact of ['apps/server/dist/index.js', 'apps/web/dist/index.html']) {
  if (!existsSync(fromRoot(artifact))) {
    throw new Error(`e2e: ${artifact} is missing; run "pnpm build" first.`);
  }
}

// A fixed port of its own, so the e2e server never collides with a developer's server on 8787.
const port = Number(process.env.LOOMFLOW_E2E_PORT ?? 8797);
// Several checkouts or agents may run the journeys at once: each takes its own port, and may
// point at a web build of its own instead of apps/web/dist.
const webDist = process.env.LOOMFLOW_E2E_WEB_DIST ?? '';
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  outputDir: fromRoot(`test-results/e2e-${port}`),
  forbidOnly: Boolean(process.env.CI),
  // Two cores here: one browser at a time keeps timings steady.
  workers: 1,
  // No retries: a journey waits for the state it needs, so a failure is a real one.
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: {
      // Playwright's own browser downloads are not reachable here; Debian's Chromium is.
      executablePath: process.env.LOOMFLOW_CHROMIUM ?? '/usr/bin/chromium',
      // Without the networking flags Chromium floods the closed network with refused connections.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'node apps/server/dist/index.js',
    cwd: repoRoot,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      LOOMFLOW_HOST: '127.0.0.1',
      LOOMFLOW_PORT: String(port),
      LOOMFLOW_DB_URL: pathToFileURL(fromRoot(`test-results/e2e-server-${port}/loomflow.db`)).href,
      // A developer's own settings must not leak into the run.
      LOOMFLOW_API_TOKEN: '',
      LOOMFLOW_CORS_ORIGINS: '',
      LOOMFLOW_WEB_DIST: webDist,
      // Lets the settings journey store a provider's API key (encrypted with it) as a person
      // would; a fresh one per run, so no key stored by an earlier run can be opened.
      LOOMFLOW_SECRET_KEY: randomBytes(32).toString('base64'),
    },
  },
});
