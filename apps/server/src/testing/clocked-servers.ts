// Servers on one temporary database with a clock the test moves, for the BPMN wait tests: timers
// fall due when a test sets the time, never by waiting, and a second server on the same database
// stands for a restart or another process.
import type { FlowDocumentInput } from '@loomflow/graph-schema';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, expect } from 'vitest';
import { createApp } from '../app';
import { createServices, type ServerServices } from '../services';
import { createTempDatabase, jsonRequest, type TempDatabase } from './fixtures';
import { readSse } from './sse';

export type TestRequest = (path: string, init?: RequestInit) => Response | Promise<Response>;

/** The last event of a run, once it stopped (its stream ends then). */
export interface RunOutcome {
  readonly type?: string;
  readonly kind?: string;
  readonly nodeId?: string;
  readonly state?: Record<string, unknown>;
  readonly payload?: Record<string, unknown>;
}

/**
 * Registers hooks giving each test a fresh database and the clock at `startAt`; `server()` starts
 * one more server on them, closed after the test.
 */
export function useClockedServers(startAt: number) {
  const clock = { at: startAt, now: () => clock.at };
  const servers: ServerServices[] = [];
  let database: TempDatabase;
  beforeEach(async () => {
    clock.at = startAt;
    database = await createTempDatabase();
  });
  afterEach(async () => {
    for (const services of servers.splice(0)) await services.close();
    database.dispose();
  });
  return {
    clock,
    async server(): Promise<{ services: ServerServices; request: TestRequest }> {
      const services = await createServices(database.db, { hostServices: { clock } });
      servers.push(services);
      const app = createApp({ db: database.db, services, webDistDir: join(tmpdir(), 'loomflow-no-web-app') });
      return { services, request: (path, init) => app.request(path, init) };
    },
  };
}

export async function outcome(request: TestRequest, runId: string): Promise<RunOutcome> {
  let last = {};
  for await (const message of readSse((await request(`/api/runs/${runId}/events`)).body as ReadableStream<Uint8Array>)) last = JSON.parse(message.data) as object;
  return last;
}

/** Stores the flow and starts it; `waiting` is where the run stopped. */
export async function storeAndStart(request: TestRequest, flow: FlowDocumentInput, input: Record<string, unknown> = {}) {
  expect((await request('/api/flows', jsonRequest('POST', flow))).status).toBe(201);
  const started = (await (await request(`/api/flows/${flow.id}/runs`, jsonRequest('POST', { input }))).json()) as { runId: string; threadId: string };
  return { ...started, waiting: await outcome(request, started.runId) };
}
