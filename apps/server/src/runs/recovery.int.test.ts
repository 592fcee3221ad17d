// The crash test of the issue: the real bundled server is killed with SIGKILL in the middle of a
// run, started again on the same database, and the run finishes with every node completed once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunEvent } from '@loomflow/graph-schema';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chainFlow } from '../testing/flows';
import { buildServerBundle, startServerProcess, type ServerProcess } from '../testing/server-process';
import { readSse } from '../testing/sse';

const STEPS = 6;
let servers: ServerProcess[] = [];
let dir: string | undefined;

afterEach(async () => {
  await Promise.all(servers.map((server) => server.stop('SIGKILL')));
  servers = [];
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

let server: ReturnType<typeof buildServerBundle>;
beforeAll(() => {
  server = buildServerBundle();
}, 60_000);
afterAll(() => server.dispose());

describe('recovery after a crash', () => {
  it('continues a run killed mid-way from its last checkpoint: no node lost, none done twice', { timeout: 60_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'loomflow-recovery-'));
    const databaseUrl = pathToFileURL(join(dir, 'loomflow.db')).href;
    const first = await startServerProcess({ bundle: server.bundle, databaseUrl });
    servers.push(first);

    expect((await post(`${first.url}/api/flows`, chainFlow('slow-chain', STEPS, { delayMs: 250 }))).status).toBe(201);
    // A debug run checkpoints after every node; a normal run fuses this chain into one step,
    // which a crash would make run again as a whole.
    const started = await post(`${first.url}/api/flows/slow-chain/runs`, { input: { count: 0 }, debug: true });
    const { runId } = (await started.json()) as { runId: string };

    const beforeCrash: RunEvent[] = [];
    const stream = await fetch(`${first.url}/api/runs/${runId}/events`);
    for await (const message of readSse(stream.body as ReadableStream<Uint8Array>)) {
      const event = JSON.parse(message.data) as RunEvent;
      beforeCrash.push(event);
      if (event.type === 'node.completed' && event.nodeId === 'step2') break;
    }
    // Mid-way through step3, which takes 250 ms.
    await new Promise((resolve) => setTimeout(resolve, 120));
    await first.stop('SIGKILL');
    servers = [];

    const second = await startServerProcess({ bundle: server.bundle, databaseUrl });
    servers.push(second);
    const all: RunEvent[] = [];
    const replay = await fetch(`${second.url}/api/runs/${runId}/events`);
    for await (const message of readSse(replay.body as ReadableStream<Uint8Array>)) all.push(JSON.parse(message.data) as RunEvent);

    expect(all.at(-1)).toMatchObject({ type: 'run.completed', state: { count: STEPS } });
    const completed = all.filter((event) => event.type === 'node.completed').map((event) => (event as { nodeId: string }).nodeId);
    expect(completed).toEqual(['start', ...Array.from({ length: STEPS }, (_, index) => `step${index + 1}`), 'end']);
    expect(all.map((event) => event.seq)).toEqual(all.map((_, index) => index));
    expect(all.filter((event) => event.type === 'run.started')).toHaveLength(1);
    expect(beforeCrash.length).toBeLessThan(all.length);
    expect(second.output()).toContain('continuing 1 run(s)');
    const run = (await (await fetch(`${second.url}/api/runs/${runId}`)).json()) as { status: string };
    expect(run.status).toBe('completed');
  });
});
