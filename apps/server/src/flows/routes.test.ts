import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../errors';
import { createTestApp, EMPTY_JSON_POST, jsonRequest as json } from '../testing/fixtures';
import { approvalFlow, chainFlow } from '../testing/flows';

let test: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  test = await createTestApp();
});
afterEach(() => test.dispose());

const request = (path: string, init?: RequestInit) => test.app.request(path, init);
async function errorOf(res: Response): Promise<ApiErrorBody['error']> {
  return ((await res.json()) as ApiErrorBody).error;
}

describe('flows', () => {
  it('creates, reads, lists and searches flows', async () => {
    const created = await request('/api/flows', json('POST', chainFlow('alpha', 2)));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: 'alpha', revision: 1, issues: [] });
    await request('/api/flows', json('POST', { ...chainFlow('beta', 1), name: 'Refund 100%' }));

    const read = await request('/api/flows/alpha');
    expect(read.status).toBe(200);
    const body = (await read.json()) as { flow: { id: string; nodes: unknown[] }; revision: number; updatedAt: number };
    expect(body.flow.id).toBe('alpha');
    expect(body.flow.nodes).toHaveLength(4);
    expect(body.revision).toBe(1);
    expect(typeof body.updatedAt).toBe('number');

    expect(await (await request('/api/flows')).json()).toMatchObject({ total: 2 });
    const searched = (await (await request('/api/flows?q=100%25')).json()) as { items: { id: string }[]; total: number };
    expect(searched.items.map((item) => item.id)).toEqual(['beta']);
    expect(await (await request('/api/flows?q=%25%25%25')).json()).toMatchObject({ total: 0 });
    const page = (await (await request('/api/flows?limit=1&offset=1')).json()) as { items: unknown[]; total: number };
    expect(page).toMatchObject({ total: 2 });
    expect(page.items).toHaveLength(1);
  });

  it('saves drafts with validation issues but refuses what is not a flow document, naming the path', async () => {
    const draft = { ...chainFlow('draft', 1), edges: [] };
    const created = await request('/api/flows', json('POST', draft));
    expect(created.status).toBe(201);
    expect(((await created.json()) as { issues: unknown[] }).issues.length).toBeGreaterThan(0);

    const broken = await request('/api/flows', json('POST', { ...chainFlow('broken', 1), nodes: [{ id: 'x' }] }));
    expect(broken.status).toBe(400);
    const error = await errorOf(broken);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('nodes.0.');
    expect(await (await request('/api/flows', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' })).status).toBe(400);
    expect((await request('/api/flows', json('POST', chainFlow('draft', 1)))).status).toBe(409);
  });

  it('updates with optimistic concurrency: a stale revision is a 409', async () => {
    await request('/api/flows', json('POST', chainFlow('gamma', 1)));
    const flow = { ...chainFlow('gamma', 1), name: 'Renamed' };
    const first = await request('/api/flows/gamma', json('PUT', { flow, revision: 1 }));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ revision: 2 });
    const stale = await request('/api/flows/gamma', json('PUT', { flow, revision: 1 }));
    expect(stale.status).toBe(409);
    expect(await errorOf(stale)).toMatchObject({ code: 'stale_revision', details: { expected: 1, current: 2 } });
    expect((await request('/api/flows/other', json('PUT', { flow, revision: 2 }))).status).toBe(400);
    expect((await request('/api/flows/missing', json('PUT', { flow: chainFlow('missing', 1), revision: 1 }))).status).toBe(404);
    expect(await (await request('/api/flows/gamma')).json()).toMatchObject({ flow: { name: 'Renamed' }, revision: 2 });
  });

  it('deletes and duplicates', async () => {
    await request('/api/flows', json('POST', chainFlow('delta', 1)));
    const copy = await request('/api/flows/delta/duplicate', json('POST', {}));
    expect(copy.status).toBe(201);
    expect(await copy.json()).toMatchObject({ id: 'delta-copy', revision: 1 });
    expect(await (await request('/api/flows/delta/duplicate', json('POST', {}))).json()).toMatchObject({ id: 'delta-copy-2' });
    expect(await (await request('/api/flows/delta-copy')).json()).toMatchObject({ flow: { id: 'delta-copy', name: 'Chain of 1 (copy)' } });
    expect((await request('/api/flows/delta', { method: 'DELETE' })).status).toBe(204);
    expect((await request('/api/flows/delta')).status).toBe(404);
    expect((await request('/api/flows/delta', { method: 'DELETE' })).status).toBe(404);
  });

  it('publishes numbered immutable versions, only without errors, and restores them', async () => {
    await request('/api/flows', json('POST', approvalFlow('eps')));
    const v1 = await request('/api/flows/eps/versions', json('POST', { message: 'first' }));
    expect(v1.status).toBe(201);
    expect(await v1.json()).toMatchObject({ version: 1 });
    await request('/api/flows/eps', json('PUT', { flow: { ...approvalFlow('eps'), name: 'Second' }, revision: 1 }));
    expect(await (await request('/api/flows/eps/versions', json('POST', {}))).json()).toMatchObject({ version: 2 });

    const list = (await (await request('/api/flows/eps/versions')).json()) as { items: { version: number; message: string }[] };
    expect(list.items.map((item) => [item.version, item.message])).toEqual([
      [2, ''],
      [1, 'first'],
    ]);
    expect(await (await request('/api/flows/eps/versions/1')).json()).toMatchObject({ version: 1, flow: { name: 'Approval' } });
    expect((await request('/api/flows/eps/versions/9')).status).toBe(404);

    const restored = await request('/api/flows/eps/versions/1/restore', EMPTY_JSON_POST);
    expect(restored.status).toBe(200);
    expect(await restored.json()).toMatchObject({ revision: 3 });
    expect(await (await request('/api/flows/eps')).json()).toMatchObject({ flow: { name: 'Approval' }, revision: 3 });

    await request('/api/flows/eps', json('PUT', { flow: { ...approvalFlow('eps'), edges: [] }, revision: 3 }));
    const refused = await request('/api/flows/eps/versions', json('POST', {}));
    expect(refused.status).toBe(422);
    const error = await errorOf(refused);
    expect(error.code).toBe('flow_invalid');
    expect((error.details as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
  });

  it('validates a document without saving it', async () => {
    expect(await (await request('/api/flows/validate', json('POST', chainFlow('v', 1)))).json()).toEqual({ ok: true, issues: [] });
    const invalid = (await (await request('/api/flows/validate', json('POST', { ...chainFlow('v', 1), edges: [] }))).json()) as { ok: boolean; issues: { code: string }[] };
    expect(invalid.ok).toBe(false);
    expect(invalid.issues.length).toBeGreaterThan(0);
    expect((await request('/api/flows')).status).toBe(200);
    expect(await (await request('/api/flows')).json()).toMatchObject({ total: 0 });
  });
});

describe('debug settings', () => {
  it('keeps a flow\'s breakpoints apart from its document: saving them never changes the revision', async () => {
    await request('/api/flows', json('POST', chainFlow('alpha', 2)));
    expect(await (await request('/api/flows/alpha/debug')).json()).toEqual({ breakpoints: { before: [], after: [] }, revision: 1 });

    const saved = await request('/api/flows/alpha/debug', json('PUT', { breakpoints: { before: ['step1'] } }));
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ breakpoints: { before: ['step1'], after: [] }, revision: 1 });
    const read = (await (await request('/api/flows/alpha')).json()) as { revision: number; flow: Record<string, unknown> };
    expect(read.revision).toBe(1);
    expect(read.flow).not.toHaveProperty('breakpoints');
    expect(await (await request('/api/flows/alpha/debug')).json()).toEqual({ breakpoints: { before: ['step1'], after: [] }, revision: 1 });
  });

  it('refuses breakpoints on nodes the flow does not have, naming them, and an unknown flow', async () => {
    await request('/api/flows', json('POST', chainFlow('alpha', 1)));
    const refused = await request('/api/flows/alpha/debug', json('PUT', { breakpoints: { before: ['step1'], after: ['ghost', 'phantom'] } }));
    expect(refused.status).toBe(422);
    expect(await errorOf(refused)).toMatchObject({ code: 'unknown_node', message: expect.stringContaining('"ghost", "phantom"'), details: { nodes: ['ghost', 'phantom'] } });
    expect((await request('/api/flows/nope/debug')).status).toBe(404);
    expect((await request('/api/flows/nope/debug', json('PUT', { breakpoints: {} }))).status).toBe(404);
    expect((await request('/api/flows/alpha/debug', json('PUT', { breakpoints: { sideways: [] } }))).status).toBe(400);
  });
});


describe('POST /api/flows/codegen', () => {
  it('answers with the generated project as a zip, in a folder named after the flow', async () => {
    const res = await request('/api/flows/codegen', json('POST', chainFlow('counter', 2)));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="counter.zip"');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['counter/package.json', 'counter/langgraph.json', 'counter/src/graph.ts', 'counter/src/nodes.ts', 'counter/src/state.ts', 'counter/src/main.ts']));
    const nodes = strFromU8(files['counter/src/nodes.ts'] as Uint8Array);
    expect(nodes).toContain("export function step1(state: State): Update {\n  return { count: feel<number>('count + 1', state, 'step1') };\n}");
  });

  /** chainFlow with its first step running the stored flow `flowId` as a sub-flow. */
  const callingFlow = (id: string, flowId: string) => {
    const flow = chainFlow(id, 1);
    return { ...flow, nodes: flow.nodes.map((node) => (node.id === 'step1' ? { ...node, type: 'agent.subflow', config: { flowId, inputs: { count: 'count' }, outputs: { count: 'count' } } } : node)) };
  };

  it('writes the stored flow a sub-flow node runs into the project, as a graph of its own', async () => {
    expect((await request('/api/flows', json('POST', chainFlow('inner', 2)))).status).toBe(201);
    const res = await request('/api/flows/codegen', json('POST', callingFlow('outer', 'inner')));
    expect(res.status).toBe(200);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(strFromU8(files['outer/src/flows/inner/graph.ts'] as Uint8Array)).toContain('export const graph = builder.compile()');
    expect(strFromU8(files['outer/src/nodes.ts'] as Uint8Array)).toContain("import { graph as innerGraph } from './flows/inner/graph.js';");
  });

  it('refuses a flow with a node that cannot be written out, naming the node and why in each language', async () => {
    const res = await request('/api/flows/codegen', json('POST', callingFlow('lonely', 'nowhere')));
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe('codegen_refused');
    expect(error.message).toMatch(/^node "step1" cannot be written out as code: it runs the flow "nowhere", which was not found/);
    // The reason in every language, so the designer shows it in the reader's.
    expect(error.details).toMatchObject({ nodeId: 'step1', localizedReason: { 'zh-CN': expect.stringContaining('未找到') } });
  });

  it('refuses an invalid flow with its issues', async () => {
    const res = await request('/api/flows/codegen', json('POST', { ...chainFlow('broken', 1), edges: [] }));
    expect(res.status).toBe(422);
    expect(await errorOf(res)).toMatchObject({ code: 'flow_invalid' });
  });
});
