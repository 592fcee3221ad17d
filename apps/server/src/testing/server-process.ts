// Starts the bundled server as a child process on a free loopback port, for
// integration tests and the benchmark.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SERVER_ROOT = join(import.meta.dirname, '..', '..');

/**
 * Bundles the server as `pnpm build` does, so the test runs the code of this checkout, into a
 * folder of its own under dist/ (Node resolves the bundle's external packages from
 * apps/server/node_modules; a shared file could be rewritten by a concurrent build). Returns the
 * bundle's path and a function that removes it.
 */
export function buildServerBundle(): { readonly bundle: string; dispose(): void } {
  mkdirSync(join(SERVER_ROOT, 'dist'), { recursive: true });
  const dir = mkdtempSync(join(SERVER_ROOT, 'dist', 'test-'));
  const bundle = join(dir, 'index.js');
  execFileSync(process.execPath, [join(SERVER_ROOT, '..', '..', 'scripts', 'bundle-node-app.mjs'), 'src/main.ts', bundle], { cwd: SERVER_ROOT, stdio: 'inherit' });
  return { bundle, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ServerProcessOptions {
  readonly bundle: string;
  readonly databaseUrl: string;
  readonly port?: number;
  /** Options for node itself, e.g. `--cpu-prof` when profiling the server under the benchmark. */
  readonly nodeArgs?: readonly string[];
  /** More environment for the server (LOOMFLOW_* settings). */
  readonly env?: Readonly<Record<string, string>>;
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.bundle], {
    env: {
      ...process.env,
      LOOMFLOW_DB_URL: options.databaseUrl,
      LOOMFLOW_PORT: String(port),
      LOOMFLOW_HOST: '127.0.0.1',
      LOOMFLOW_API_TOKEN: '',
      LOOMFLOW_WEB_DIST: join(tmpdir(), 'loomflow-no-web-app'),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 20_000; ; ) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
    if (output.includes('is running at')) break;
    if (Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
