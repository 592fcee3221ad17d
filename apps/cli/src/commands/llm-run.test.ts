// LLM steps run by the CLI: a scripted model needs nothing, an OpenAI-compatible one the
// --provider its model.credential names, with the key from the environment.
import { startOpenAiTestServer, type OpenAiTestServer } from '@loomflow/openai-test-server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli';
import { memoryIo } from '../memory-io';

const KEY = 'sk-cli-provider-key-0123456789';
const at = { x: 0, y: 0 };
const askFlow = (model: Record<string, unknown>) =>
  JSON.stringify({
    schemaVersion: 1,
    id: 'ask',
    name: 'Ask',
    kind: 'agent',
    state: { channels: [{ name: 'question', type: 'string' }, { name: 'answer', type: 'string' }], output: ['answer'] },
    nodes: [
      { id: 'start', type: 'agent.start', position: at },
      { id: 'ask', type: 'agent.llm', position: at, config: { model, prompt: '{{question}}', output: 'answer' } },
      { id: 'end', type: 'agent.end', position: at },
    ],
    edges: [
      { id: 'e0', source: 'start', target: 'ask' },
      { id: 'e1', source: 'ask', target: 'end' },
    ],
  });

let provider: OpenAiTestServer;
let directory: string;
beforeAll(async () => {
  provider = await startOpenAiTestServer();
});
afterAll(() => provider.close());
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'loomflow-cli-llm-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

async function loomflow(files: Record<string, string>, ...args: string[]) {
  const { io, output } = memoryIo(files, { LOOMFLOW_PROVIDER_LOCAL_LLM_API_KEY: KEY });
  const exitCode = await runCli([...args, '--db', `file:${join(directory, 'runs.db')}`], io);
  return { exitCode, ...output };
}

describe('loomflow run with LLM steps', () => {
  it('answers with a scripted model, no provider and no network', async () => {
    const files = { 'ask.json': askFlow({ provider: 'scripted', replies: [{ text: 'Five working days.' }] }) };
    const run = await loomflow(files, 'run', 'ask.json', '--input', '{"question": "How long?"}');
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ answer: 'Five working days.' });
  });

  it('calls the provider named by --provider with the key from its environment variable', async () => {
    const files = { 'ask.json': askFlow({ model: 'local-model', credential: 'local-llm' }) };
    provider.reply({ text: 'Refunds take five days.' });
    const run = await loomflow(files, 'run', 'ask.json', '--input', '{"question": "How long?"}', '--provider', `local-llm=${provider.baseUrl}`);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ answer: 'Refunds take five days.' });
    expect(provider.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);

    const unnamed = await loomflow(files, 'run', 'ask.json', '--input', '{"question": "How long?"}');
    expect(unnamed.exitCode).toBe(4);
    expect(unnamed.stderr).toContain('run failed at node "ask": no model provider "local-llm" is configured here (llm.credential)');
    expect(await loomflow(files, 'run', 'ask.json', '--provider', 'local-llm')).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('--provider must be NAME=URL') });
  });

  it("refuses a flow's own baseUrl on loopback, which only a --provider may name", async () => {
    const files = { 'ask.json': askFlow({ model: 'local-model', baseUrl: provider.baseUrl }) };
    const requests = provider.requests.length;
    const run = await loomflow(files, 'run', 'ask.json', '--input', '{"question": "How long?"}');
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toMatch(/run failed at node "ask": the model "local-model" at http:\/\/127\.0\.0\.1:\d+\/v1 may not be called: .* to the command line as a --provider to permit it; a flow's own baseUrl reaches only public addresses \(llm\.refused\)/);
    expect(provider.requests).toHaveLength(requests);
  });

  it("calls an Anthropic model at the --provider's address, with the key in x-api-key", async () => {
    const files = { 'ask.json': askFlow({ provider: 'anthropic', model: 'claude-test', credential: 'local-llm' }) };
    provider.reply({ text: 'Refunds take five days.' });
    const run = await loomflow(files, 'run', 'ask.json', '--input', '{"question": "How long?"}', '--provider', `local-llm=${provider.anthropicBaseUrl}`);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ answer: 'Refunds take five days.' });
    expect(provider.requests.at(-1)).toMatchObject({ path: '/v1/messages', headers: { 'x-api-key': KEY }, body: { model: 'claude-test' } });
  });
});
