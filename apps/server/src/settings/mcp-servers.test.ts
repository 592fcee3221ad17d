// /api/settings/mcp-servers and what runs may start: registered stdio servers only, env values
// sealed and never answered, flows carrying a command line refused naming the node.
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { everythingServer, startFloodingServer } from '@loomflow/runtime/testing/mcp-servers';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../errors';
import { createTestApp, jsonRequest as json } from '../testing/fixtures';
import { readSse } from '../testing/sse';
import type { McpServerView } from './mcp-server-schemas';

const SECRET_KEY = randomBytes(32).toString('base64');
const SECRET_VALUE = `token-${randomBytes(8).toString('hex')}`;

const apps: Awaited<ReturnType<typeof createTestApp>>[] = [];
async function newApp(options: { secretKey: string | undefined; maxMcpMessageBytes?: number } = { secretKey: SECRET_KEY }) {
  const test = await createTestApp(options);
  apps.push(test);
  return test;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((test) => test.dispose()));
});

const errorOf = async (res: Response) => ((await res.json()) as ApiErrorBody).error;

const at = { x: 0, y: 0 };
const mcpFlow = (id: string, server: Record<string, unknown>, tool = 'echo'): FlowDocumentInput => ({
  schemaVersion: 1,
  id,
  name: id,
  kind: 'agent',
  state: { channels: [{ name: 'result', type: 'any' }] },
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { id: 'echo', type: 'agent.mcp', position: at, config: { server, tool, arguments: { message: '"hello"' } } },
    { id: 'end', type: 'agent.end', position: at },
  ],
  edges: [
    { id: 'e0', source: 'start', target: 'echo' },
    { id: 'e1', source: 'echo', target: 'end' },
  ],
});

/** Starts a run of a stored flow and reads its events to the end. */
async function eventsOfRun(app: Awaited<ReturnType<typeof newApp>>['app'], flowId: string): Promise<RunEvent[]> {
  const started = await app.request(`/api/flows/${flowId}/runs`, json('POST', {}));
  expect(started.status).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  const events: RunEvent[] = [];
  const stream = await app.request(`/api/runs/${runId}/events`);
  for await (const message of readSse(stream.body as ReadableStream<Uint8Array>)) events.push(JSON.parse(message.data) as RunEvent);
  return events;
}

describe('/api/settings/mcp-servers', () => {
  it('registers, lists, reads and deletes servers without ever answering env values', async () => {
    const { app, database } = await newApp();
    const put = await app.request('/api/settings/mcp-servers/files', json('PUT', { command: '/usr/bin/mcp-files', args: ['--root', '/srv'], env: { FILES_TOKEN: SECRET_VALUE } }));
    expect(put.status).toBe(200);
    const putText = await put.text();
    expect(putText).not.toContain(SECRET_VALUE);
    expect(JSON.parse(putText)).toMatchObject({ name: 'files', transport: 'stdio', command: '/usr/bin/mcp-files', args: ['--root', '/srv'], envNames: ['FILES_TOKEN'] });

    const list = await app.request('/api/settings/mcp-servers');
    const listText = await list.text();
    expect(listText).not.toContain(SECRET_VALUE);
    expect((JSON.parse(listText) as { items: McpServerView[] }).items.map((item) => item.name)).toEqual(['files']);
    const one = await app.request('/api/settings/mcp-servers/files');
    expect(await one.text()).not.toContain(SECRET_VALUE);

    // Sealed at rest as well.
    const stored = await database.db.execute('select env from mcp_servers');
    expect(String(stored.rows[0]?.env)).not.toContain(SECRET_VALUE);

    expect((await app.request('/api/settings/mcp-servers/files', { method: 'DELETE' })).status).toBe(204);
    const gone = await app.request('/api/settings/mcp-servers/files');
    expect(gone.status).toBe(404);
    expect((await errorOf(gone)).code).toBe('mcp_server_not_found');
    expect((await app.request('/api/settings/mcp-servers/files', { method: 'DELETE' })).status).toBe(404);
  });

  it.each([
    ['no command', { args: [] }],
    ['an empty command', { command: '  ' }],
    ['an unknown field', { command: 'x', cwd: '/' }],
    ['a bad env name', { command: 'x', env: { 'BAD-NAME': 'v' } }],
    ['a non-string arg', { command: 'x', args: [1] }],
  ])('refuses a body with %s as 400', async (_, body) => {
    const { app } = await newApp();
    const res = await app.request('/api/settings/mcp-servers/files', json('PUT', body));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('invalid_request');
  });

  it('refuses a bad name as 400, and env values without a secret key as 422', async () => {
    const { app } = await newApp({ secretKey: undefined });
    expect((await app.request('/api/settings/mcp-servers/-files', json('PUT', { command: 'x' }))).status).toBe(400);
    const res = await app.request('/api/settings/mcp-servers/files', json('PUT', { command: 'x', env: { TOKEN: SECRET_VALUE } }));
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe('secret_key_required');
    expect(JSON.stringify(error)).not.toContain(SECRET_VALUE);
    expect((await app.request('/api/settings/mcp-servers/files', json('PUT', { command: 'x' }))).status).toBe(200);
  });
});

describe('MCP servers in runs on the server', () => {
  it('refuses a flow that carries a stdio command line, naming the node', async () => {
    const { app } = await newApp();
    expect((await app.request('/api/flows', json('POST', mcpFlow('inline', everythingServer())))).status).toBe(201);
    const res = await app.request('/api/flows/inline/runs', json('POST', {}));
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe('mcp_command_refused');
    expect(error.message).toContain('node "echo"');
    expect(error.details).toMatchObject({ nodeId: 'echo', path: ['config', 'server'] });
  });

  it('runs a flow that names a registered server, started with its sealed env', async () => {
    const { app } = await newApp();
    const { command, args } = everythingServer();
    expect((await app.request('/api/settings/mcp-servers/everything', json('PUT', { command, args, env: { EXAMPLE_TOKEN: SECRET_VALUE } }))).status).toBe(200);
    await app.request('/api/flows', json('POST', mcpFlow('registered', { transport: 'registered', name: 'everything' })));
    const events = await eventsOfRun(app, 'registered');
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { result: 'Echo: hello' } });
    expect(JSON.stringify(events)).not.toContain(SECRET_VALUE);
  }, 30_000);

  it('refuses an HTTP MCP server on the machine itself, naming the allowHosts entry that would permit it', async () => {
    const { app } = await newApp();
    await app.request('/api/flows', json('POST', mcpFlow('loopback', { transport: 'http', url: 'http://localhost:8787/mcp' })));
    const events = await eventsOfRun(app, 'loopback');
    const failed = events.find((event) => event.type === 'node.failed');
    expect(failed).toMatchObject({ nodeId: 'echo', error: { code: 'mcp.refused' } });
    expect(JSON.stringify(failed)).toContain(`add \\"localhost:8787\\" to the MCP server's allowHosts`);
    expect(events.at(-1)?.type).toBe('run.failed');
  });

  it('fails the node naming the server when the name is not registered', async () => {
    const { app } = await newApp();
    await app.request('/api/flows', json('POST', mcpFlow('missing', { transport: 'registered', name: 'nowhere' })));
    const events = await eventsOfRun(app, 'missing');
    expect(events.find((event) => event.type === 'node.failed')).toMatchObject({ nodeId: 'echo', error: { code: 'mcp.unregistered' } });
    expect(events.at(-1)?.type).toBe('run.failed');
  });

  it('fails a call whose HTTP MCP server answers without end at LOOMFLOW_MAX_MCP_MESSAGE_BYTES, and runs the next flow', async () => {
    const flooding = await startFloodingServer();
    try {
      const { app } = await newApp({ secretKey: SECRET_KEY, maxMcpMessageBytes: 100_000 });
      const server = { transport: 'http', url: flooding.url, allowHosts: [flooding.host] };
      const flood = mcpFlow('flood', server, 'flood_sse');
      Object.assign(flood.nodes[1]?.config ?? {}, { retry: { maxAttempts: 3, initialIntervalMs: 1, backoffFactor: 1 } });
      await app.request('/api/flows', json('POST', flood));
      await app.request('/api/flows', json('POST', mcpFlow('small', server, 'small')));
      const flooded = await eventsOfRun(app, 'flood');
      expect(flooded.find((event) => event.type === 'node.failed')).toMatchObject({
        nodeId: 'echo',
        error: { code: 'mcp.too_large', message: expect.stringContaining('more than 100000 bytes, the limit set by LOOMFLOW_MAX_MCP_MESSAGE_BYTES') },
      });
      expect(flooded.at(-1)?.type).toBe('run.failed');
      // Not retried although the node's policy allows three attempts: the answer would be the same.
      expect(flooding.callsOf('flood_sse')).toBe(1);
      expect((await eventsOfRun(app, 'small')).at(-1)).toMatchObject({ type: 'run.completed', state: { result: 'small' } });
    } finally {
      await flooding.close();
    }
  }, 30_000);
});
