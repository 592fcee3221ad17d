// The crash test of the issue: the real bundled server is killed with SIGKILL in the middle of a
// run, started again on the same database, and the run finishes with every node completed once.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** Short, so that the restarted server takes the dead one's run over within a second or so. */
const LEASE_MS = 1000;

describe('recovery after a crash', () => {
  // A debug run checkpoints after every node. A normal run fuses this chain of pure nodes into one
  // LangGraph step, which the crash interrupts in its middle: recovery executes the whole step
  // again, and the log must still show each node once.
  it.each([
    { mode: 'normal', debug: false },
    { mode: 'debug', debug: true },
  ])('continues a $mode run killed mid-way from its last checkpoint: no node lost, none done twice', { timeout: 60_000 }, async ({ debug }) => {
    dir = mkdtempSync(join(tmpdir(), 'loomflow-recovery-'));
    const databaseUrl = pathToFileURL(join(dir, 'loomflow.db')).href;
    const env = { LOOMFLOW_RUN_LEASE_MS: String(LEASE_MS) };
    const first = await startServerProcess({ bundle: server.bundle, databaseUrl, env });
    servers.push(first);

    expect((await post(`${first.url}/api/flows`, chainFlow('slow-chain', STEPS, { delayMs: 250 }))).status).toBe(201);
    const started = await post(`${first.url}/api/flows/slow-chain/runs`, { input: { count: 0 }, debug });
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

    const second = await startServerProcess({ bundle: server.bundle, databaseUrl, env });
    servers.push(second);
    // The stream follows the run from the table until the new process takes it over, then live.
    const all: RunEvent[] = [];
    const replay = await fetch(`${second.url}/api/runs/${runId}/events`);
    for await (const message of readSse(replay.body as ReadableStream<Uint8Array>)) all.push(JSON.parse(message.data) as RunEvent);

    expect(all.at(-1)).toMatchObject({ type: 'run.completed', state: { count: STEPS } });
    const nodes = ['start', ...Array.from({ length: STEPS }, (_, index) => `step${index + 1}`), 'end'];
    const ofType = (type: RunEvent['type']) => all.filter((event) => event.type === type).map((event) => (event as { nodeId: string }).nodeId);
    expect(ofType('node.completed')).toEqual(nodes);
    expect(ofType('node.started')).toEqual(nodes);
    expect(all.map((event) => event.seq)).toEqual(all.map((_, index) => index));
    expect(all.filter((event) => event.type === 'run.started')).toHaveLength(1);
    const checkpoints = all.flatMap((event) => (event.type === 'checkpoint' ? [event.checkpointId] : []));
    expect(new Set(checkpoints).size).toBe(checkpoints.length);
    // The events before the crash are the stored log's beginning, unchanged.
    expect(all.slice(0, beforeCrash.length)).toEqual(beforeCrash);
    expect(beforeCrash.length).toBeLessThan(all.length);
    expect(second.output()).toContain('continuing 1 run(s)');
    const run = (await (await fetch(`${second.url}/api/runs/${runId}`)).json()) as { status: string };
    expect(run.status).toBe('completed');
  });

  it('fails a run whose step the server keeps dying in, once it was taken over LOOMFLOW_MAX_STALLED_RECOVERIES times without getting further', { timeout: 60_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'loomflow-recovery-'));
    const databaseUrl = pathToFileURL(join(dir, 'loomflow.db')).href;
    const env = { LOOMFLOW_RUN_LEASE_MS: String(LEASE_MS), LOOMFLOW_MAX_STALLED_RECOVERIES: '1' };
    // The step's request never gets an answer: each server that executes the step is killed while it waits.
    const requests: IncomingMessage[] = [];
    const arrived: (() => void)[] = [];
    const hanging = createServer((request) => {
      requests.push(request);
      arrived.shift()?.();
    });
    hanging.listen(0, '127.0.0.1');
    await once(hanging, 'listening');
    const target = `127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const nextRequest = (seen: number) => new Promise<void>((resolve) => (requests.length > seen ? resolve() : arrived.push(resolve)));
    const at = { x: 0, y: 0 };
    const flow = {
      schemaVersion: 1,
      id: 'hangs',
      name: 'Hangs',
      kind: 'agent',
      state: { channels: [{ name: 'response', type: 'object' }] },
      nodes: [
        { id: 'start', type: 'agent.start', position: at },
        { id: 'call', type: 'agent.http', position: at, config: { url: `http://${target}/slow`, allowHosts: [target], timeoutMs: 300_000 } },
        { id: 'end', type: 'agent.end', position: at },
      ],
      edges: [
        { id: 'e0', source: 'start', target: 'call' },
        { id: 'e1', source: 'call', target: 'end' },
      ],
    };
    try {
      const first = await startServerProcess({ bundle: server.bundle, databaseUrl, env });
      servers.push(first);
      expect((await post(`${first.url}/api/flows`, flow)).status).toBe(201);
      const { runId } = (await (await post(`${first.url}/api/flows/hangs/runs`, {})).json()) as { runId: string };
      await nextRequest(0);
      await first.stop('SIGKILL');
      // The first takeover continues the run: its step sends the request again, and that server dies too.
      const second = await startServerProcess({ bundle: server.bundle, databaseUrl, env });
      servers = [second];
      await nextRequest(1);
      await second.stop('SIGKILL');
      const third = await startServerProcess({ bundle: server.bundle, databaseUrl, env });
      servers = [third];
      const events: RunEvent[] = [];
      const stream = await fetch(`${third.url}/api/runs/${runId}/events`);
      for await (const message of readSse(stream.body as ReadableStream<Uint8Array>)) events.push(JSON.parse(message.data) as RunEvent);
      expect(events.at(-1)).toMatchObject({
        type: 'run.failed',
        error: { code: 'recovery_limit', message: expect.stringContaining('stopped 2 times in a row while executing this run, which got no further in between; it is not continued again (LOOMFLOW_MAX_STALLED_RECOVERIES = 1)') },
      });
      expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
      expect(requests).toHaveLength(2);
      expect(((await (await fetch(`${third.url}/api/runs/${runId}`)).json()) as { status: string }).status).toBe('failed');
      // The server that refused to continue the run serves the rest.
      expect((await fetch(`${third.url}/api/health`)).status).toBe(200);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });
});
