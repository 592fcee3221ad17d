// A run whose executing thread stopped (a run worker that died) is not failed: it is released like
// the runs of a process that died, and the next sweep continues it from its last checkpoint.
import type { Client } from '@libsql/client';
import type { RunEvent } from '@loomflow/graph-schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest as json } from '../testing/fixtures';
import { chainFlow } from '../testing/flows';
import { readSse } from '../testing/sse';
import { CompileCache } from './compile-cache';
import { openRunEngine, type RunEngine } from './run-engine';
import { InProcessRunHost, RunHostLostError, type HostedExecution, type RunCommand, type RunHost } from './run-host';

/** Loses the first run it is given, as a worker that died before executing it; executes the rest here. */
class LosingHost implements RunHost {
  lost = 0;
  #engine: RunEngine | undefined;
  #inner: RunHost | undefined;

  constructor(private readonly client: Client) {}

  async ready(): Promise<void> {
    this.#engine = await openRunEngine(this.client);
    this.#inner = new InProcessRunHost(new CompileCache(this.#engine.runtime));
  }

  async execute(command: RunCommand, execution: HostedExecution): Promise<void> {
    if (this.lost === 0) {
      this.lost += 1;
      throw new RunHostLostError('the run worker thread executing it stopped: it exited with code 1');
    }
    if (!this.#inner) throw new Error('not ready');
    return this.#inner.execute(command, execution);
  }

  async close(): Promise<void> {
    await this.#engine?.close();
  }
}

let test: Awaited<ReturnType<typeof createTestApp>>;
let host: LosingHost | undefined;
const request = (path: string, init?: RequestInit) => test.app.request(path, init);

beforeEach(async () => {
  test = await createTestApp({ runHost: (client) => (host = new LosingHost(client)) });
});
afterEach(() => test.dispose());

describe('a run whose executing thread stopped', () => {
  it('is released, and the next sweep continues it to its end', async () => {
    await request('/api/flows', json('POST', chainFlow('lost', 3)));
    const started = await request('/api/flows/lost/runs', json('POST', { input: { count: 0 } }));
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    // The execution ended without an outcome: the run waits for a sweep, held by nobody.
    while (test.services.runManager.isActive(runId)) await new Promise((resolve) => setImmediate(resolve));
    const row = await test.services.runs.get(runId);
    expect(host?.lost).toBe(1);
    expect(row).toMatchObject({ status: 'queued', owner: null });

    expect(await test.services.runManager.recover()).toBe(1);
    const events: RunEvent[] = [];
    for await (const message of readSse((await request(`/api/runs/${runId}/events`)).body as ReadableStream<Uint8Array>)) {
      if (message.id !== undefined) events.push(JSON.parse(message.data) as RunEvent);
    }
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { count: 3 } });
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
  });
});
