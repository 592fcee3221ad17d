// @vitest-environment node
// The typed client against the real server routes; no DOM is needed.
import type { FlowDocument } from '@loomflow/graph-schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestServerApi, type TestServerApi } from '../testing/server-api';
import { ApiError } from './api-client';

const flow: FlowDocument = {
  schemaVersion: 1,
  id: 'greeter',
  name: 'Greeter',
  kind: 'agent',
  state: { channels: [] },
  nodes: [
    { id: 'start', type: 'agent.start', position: { x: 100, y: 100 }, config: {} },
    { id: 'end', type: 'agent.end', position: { x: 300, y: 100 }, config: {} },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'end' }],
};

let server: TestServerApi;
beforeEach(async () => {
  server = await createTestServerApi();
});
afterEach(() => server.dispose());

describe('the server flow API', () => {
  it('answers undefined for a flow it never stored', async () => {
    expect(await server.api.load('nothing-here')).toBeUndefined();
  });

  it('creates, saves with increasing revisions and loads the flow back unchanged', async () => {
    expect(await server.api.create(flow)).toEqual({ revision: 1 });
    const renamed = { ...flow, name: 'Greeter 2' };
    expect(await server.api.save(renamed, 1)).toEqual({ status: 'saved', revision: 2 });
    const loaded = await server.api.load('greeter');
    expect(loaded).toMatchObject({ flow: renamed, revision: 2, issues: [] });
    expect((await server.api.list({ q: 'Greeter' })).items.map((item) => item.id)).toEqual(['greeter']);
  });

  it('reports a conflict instead of overwriting a newer revision', async () => {
    await server.api.create(flow);
    await server.api.save({ ...flow, name: 'Theirs' }, 1);
    expect(await server.api.save({ ...flow, name: 'Mine' }, 1)).toEqual({ status: 'conflict', currentRevision: 2 });
    expect((await server.api.load('greeter'))?.flow.name).toBe('Theirs');
  });

  it('exports the flow as a zip of a LangGraph.js project, and says which node cannot be exported', async () => {
    const zip = await server.api.exportCode(flow);
    expect(zip.type).toBe('application/zip');
    // A zip file starts with a local file header, PK\x03\x04, and names its files in plain text.
    const bytes = new Uint8Array(await zip.arrayBuffer());
    expect([...bytes.slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    expect(new TextDecoder().decode(bytes)).toContain('greeter/src/graph.ts');
    // A sub-flow node running a flow the server does not have.
    const withMissingSubflow: FlowDocument = {
      ...flow,
      nodes: [...flow.nodes, { id: 'call', type: 'agent.subflow', position: { x: 200, y: 100 }, config: { flowId: 'nowhere', inputs: {}, outputs: {} } }],
      edges: [{ id: 'e1', source: 'start', target: 'call' }, { id: 'e2', source: 'call', target: 'end' }],
    };
    const refused = await server.api.exportCode(withMissingSubflow).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 422, code: 'codegen_refused', details: { nodeId: 'call' } });
  });

  it('publishes, lists and restores versions', async () => {
    await server.api.create(flow);
    expect(await server.api.publish('greeter', 'first')).toEqual({ version: 1 });
    await server.api.save({ ...flow, name: 'Changed' }, 1);
    expect((await server.api.listVersions('greeter')).map(({ version, message }) => ({ version, message }))).toEqual([{ version: 1, message: 'first' }]);
    expect(await server.api.restoreVersion('greeter', 1)).toEqual({ revision: 3 });
    expect((await server.api.load('greeter'))?.flow.name).toBe('Greeter');
  });

  it('duplicates and removes flows', async () => {
    await server.api.create(flow);
    expect(await server.api.duplicate('greeter')).toEqual({ id: 'greeter-copy' });
    await server.api.remove('greeter');
    expect((await server.api.list()).items.map((item) => item.id)).toEqual(['greeter-copy']);
  });

  it('turns the server error body into an ApiError with its code', async () => {
    await server.api.create(flow);
    const error = await server.api.create(flow).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'flow_exists' });
    await server.api.create({ ...flow, id: 'broken', edges: [] });
    const refused = await server.api.publish('broken', 'x').catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ status: 422, code: 'flow_invalid' });
  });
});
