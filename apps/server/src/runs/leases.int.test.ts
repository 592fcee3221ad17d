// Several server processes on one database: a real server process owns the runs it starts, and two
// more run managers (in this process, on their own connections to the same file) sweep for runs to
// take over. They leave a run alone while its owner renews its lease, and once the owner is killed
// exactly one of them takes the run over and finishes it, each node once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Client } from '@libsql/client';
import { openLibsqlClient } from '@loomflow/checkpoint-libsql';
import type { RunEvent } from '@loomflow/graph-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type ServerServices } from '../services';
import { chainFlow } from '../testing/flows';
import { buildServerBundle, startServerProcess, type ServerProcess } from '../testing/server-process';
import { readSse } from '../testing/sse';

const LEASE_MS = 1000;
const STEPS = 8;
const nodes = ['start', ...Array.from({ length: STEPS }, (_, index) => `step${index + 1}`), 'end'];

let bundle: ReturnType<typeof buildServerBundle>;
let dir: string;
let owner: ServerProcess;
const sweepers: { client: Client; services: ServerServices }[] = [];

beforeAll(async () => {
  bundle = buildServerBundle();
  dir = mkdtempSync(join(tmpdir(), 'loomflow-leases-'));
  const databaseUrl = pathToFileURL(join(dir, 'loomflow.db')).href;
  owner = await startServerProcess({ bundle: bundle.bundle, databaseUrl, env: { LOOMFLOW_RUN_LEASE_MS: String(LEASE_MS) } });
  for (let index = 0; index < 2; index += 1) {
    const client = await openLibsqlClient(databaseUrl);
    sweepers.push({ client, services: await createServices(client, { runLeaseMs: LEASE_MS }) });
  }
}, 60_000);

afterAll(async () => {
  await owner.stop('SIGKILL');
  for (const { client, services } of sweepers) {
    await services.close();
    client.close();
  }
  bundle.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function startRun(): Promise<string> {
  const res = await fetch(`${owner.url}/api/flows/slow/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ input: { count: 0 } }) });
  expect(res.status).toBe(202);
  return ((await res.json()) as { runId: string }).runId;
}

/** Reads the owner's event stream of a run until `until` holds for an event (or the stream ends). */
async function follow(runId: string, until: (event: RunEvent) => boolean): Promise<RunEvent[]> {
  const seen: RunEvent[] = [];
  const res = await fetch(`${owner.url}/api/runs/${runId}/events`);
  for await (const message of readSse(res.body as ReadableStream<Uint8Array>)) {
    seen.push(JSON.parse(message.data) as RunEvent);
    if (until(seen.at(-1) as RunEvent)) break;
  }
  return seen;
}

/** Both sweepers look for runs to take over at the same moment; how many each took. */
async function sweepBoth(): Promise<number[]> {
  return Promise.all(sweepers.map(({ services }) => services.runManager.recover()));
}

describe('run leases across processes', () => {
  it('leaves a live owner its run, and gives a dead owner’s run to exactly one other process', { timeout: 90_000 }, async () => {
    const [first, second] = sweepers.map(({ services }) => services) as [ServerServices, ServerServices];
    expect((await fetch(`${owner.url}/api/flows`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(chainFlow('slow', STEPS, { delayMs: 250 })) })).status).toBe(201);

    // A run longer than several leases: its owner renews the lease, so nobody takes it.
    const alive = await startRun();
    const stream = follow(alive, (event) => event.type === 'run.completed');
    const taken: number[] = [];
    for (let sweep = 0; sweep < 10; sweep += 1) {
      taken.push(...(await sweepBoth()));
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS / 4));
    }
    const aliveEvents = await stream;
    expect(taken.every((count) => count === 0)).toBe(true);
    expect(aliveEvents.at(-1)).toMatchObject({ type: 'run.completed', state: { count: STEPS } });
    // It outlived its first lease, so only renewals kept it from the sweepers.
    const aliveRun = await first.runs.get(alive);
    expect((aliveRun?.finishedAt ?? 0) - (aliveRun?.startedAt ?? 0)).toBeGreaterThan(1.5 * LEASE_MS);

    // The owner dies in the middle of a run: once its lease has run out, one sweeper takes it.
    const orphan = await startRun();
    const beforeCrash = await follow(orphan, (event) => event.type === 'node.completed' && event.nodeId === 'step2');
    await owner.stop('SIGKILL');
    const takenOver: number[][] = [];
    for (const deadline = Date.now() + 10 * LEASE_MS; takenOver.flat().every((count) => count === 0) && Date.now() < deadline; ) {
      takenOver.push(await sweepBoth());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // And sweeping again takes nothing more: the run is held now.
    takenOver.push(await sweepBoth());
    expect(takenOver.flat().reduce((sum, count) => sum + count, 0)).toBe(1);
    const winner = takenOver.flat().indexOf(1) % 2 === 0 ? first : second;
    expect((await first.runs.get(orphan))?.owner).toBe(winner.runManager.ownerId);

    for (const deadline = Date.now() + 30_000; (await first.runs.get(orphan))?.status !== 'completed' && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const log = await first.runs.events(orphan);
    expect(log.at(-1)).toMatchObject({ type: 'run.completed', state: { count: STEPS } });
    expect(log.filter((event) => event.type === 'node.completed').map((event) => (event as { nodeId: string }).nodeId)).toEqual(nodes);
    expect(log.map((event) => event.seq)).toEqual(log.map((_, index) => index));
    expect(log.slice(0, beforeCrash.length)).toEqual(beforeCrash);
  });
});
