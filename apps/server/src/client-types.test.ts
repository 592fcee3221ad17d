// hono/client typed with AppType reaches the routes: what the web app relies on. The calls go
// through app.request via a custom fetch; `pnpm typecheck` checks the types, vitest the values.
import { hc } from 'hono/client';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { AppType } from './app';
import { createTestApp } from './testing/fixtures';
import { chainFlow } from './testing/flows';

let test: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  test = await createTestApp();
});
afterEach(() => test.dispose());

describe('hono/client with AppType', () => {
  it('types flows, runs and tasks', async () => {
    const client = hc<AppType>('http://127.0.0.1:8787', { fetch: (input: string | URL | Request, init?: RequestInit) => test.app.request(input, init) });

    const created = await client.api.flows.$post({ json: chainFlow('typed', 1) });
    expect(created.status).toBe(201);
    if (created.status === 201) {
      const body = await created.json();
      expectTypeOf(body.revision).toEqualTypeOf<number>();
      expect(body).toMatchObject({ id: 'typed', revision: 1 });
    }

    const read = await client.api.flows[':id'].$get({ param: { id: 'typed' } });
    if (read.status === 200) {
      const body = await read.json();
      expectTypeOf(body.flow.id).toEqualTypeOf<string>();
      expect(body.flow.id).toBe('typed');
    }

    const started = await client.api.flows[':id'].runs.$post({ param: { id: 'typed' }, json: { input: { count: 1 } } });
    expect(started.status).toBe(202);
    if (started.status === 202) {
      const body = await started.json();
      expectTypeOf(body).toEqualTypeOf<{ runId: string; threadId: string }>();
      const ran = await client.api.runs[':id'].document.$get({ param: { id: body.runId } });
      expect(ran.status).toBe(200);
      if (ran.status === 200) {
        const document = await ran.json();
        expectTypeOf(document.flow.nodes[0]?.id).toEqualTypeOf<string | undefined>();
        expectTypeOf(document.version).toEqualTypeOf<number | null>();
        expect(document.flow.id).toBe('typed');
      }
    }

    const tasks = await client.api.tasks.$get({ query: { status: 'open' } });
    if (tasks.status === 200) expect((await tasks.json()).items).toEqual([]);
    const notCompleted = await client.api.tasks.$get({ query: { status: ['open', 'claimed'] } });
    expect(notCompleted.status).toBe(200);
    if (notCompleted.status === 200) expectTypeOf((await notCompleted.json()).items[0]?.nodeName).toEqualTypeOf<string | null | undefined>();
    const events = await client.api.tasks.events.$get();
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    await events.body?.cancel();
    expectTypeOf(client.api.tasks[':id'].complete.$post).parameter(0).toHaveProperty('json');
    expectTypeOf(client.api.threads[':id'].resume.$post).parameter(0).toHaveProperty('json');
  });
});
