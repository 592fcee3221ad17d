// A model call written out as code: start → llm → end generated, type-checked under `strict`, and
// run through its own src/main.ts against the repo's OpenAI-protocol test server, which gives the
// Loomflow run and the generated project the same scripted reply. Both must end in the same state
// through the same nodes, and ask the server the same question.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { MemorySaver } from '@langchain/langgraph';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { startOpenAiTestServer, type OpenAiTestServer } from '@loomflow/openai-test-server';
import { createModelFactory, FlowRuntime } from '@loomflow/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodegenRefusedError, generateProject } from './index';
import { said } from './testing/said';

const run = promisify(execFile);
const nodeModules = join(import.meta.dirname, '../node_modules');
const at = { x: 0, y: 0 };

const flow = (llm: Record<string, unknown>, conversation = false): FlowDocumentInput => ({
  schemaVersion: 1,
  id: 'ask-model',
  name: 'Ask a model',
  kind: 'agent',
  state: { channels: [{ name: 'question', type: 'string' }, { name: 'answer', type: 'string' }, ...(conversation ? [{ name: 'messages', type: 'messages' as const, reducer: 'messages' as const }] : [])] },
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { id: 'ask', type: 'agent.llm', position: at, config: { model: { model: 'test-model', credential: 'local', temperature: 0 }, systemPrompt: 'Answer in one word.', prompt: 'Capital of {{question}}?', output: 'answer', ...llm } },
    { id: 'end', type: 'agent.end', position: at },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'ask' },
    { id: 'e2', source: 'ask', target: 'end' },
  ],
});

/** A model that calls a code tool through a Tools node, and answers from its result, in a conversation. */
const toolFlow: FlowDocumentInput = {
  schemaVersion: 1,
  id: 'ask-with-tools',
  name: 'Ask with tools',
  kind: 'agent',
  state: { channels: [{ name: 'question', type: 'string' }, { name: 'messages', type: 'messages', reducer: 'messages' }], input: ['question'], output: ['messages'] },
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { id: 'assistant', type: 'agent.llm', position: at, config: { model: { model: 'test-model', credential: 'local', temperature: 0 }, systemPrompt: 'Use the tools.', prompt: '{{question}}', output: 'messages', callsTools: true } },
    {
      id: 'run-tools',
      type: 'agent.tools',
      position: at,
      config: {
        tools: [
          {
            kind: 'code',
            name: 'add',
            description: 'Adds two numbers',
            parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
            source: 'return { sum: state.a + state.b };',
          },
        ],
      },
    },
    { id: 'end', type: 'agent.end', position: at },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'assistant' },
    { id: 'e-out', source: 'assistant', target: 'end', sourcePort: 'out' },
    { id: 'e-tools', source: 'assistant', target: 'run-tools', sourcePort: 'tools' },
    { id: 'e-back', source: 'run-tools', target: 'assistant' },
  ],
};

let provider: OpenAiTestServer;
let project: string;
let toolProject: string;

beforeAll(async () => {
  provider = await startOpenAiTestServer();
  project = mkdtempSync(join(tmpdir(), 'loomflow-codegen-llm-'));
  for (const [path, text] of Object.entries(await generateProject(flow({})))) {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), text);
  }
  symlinkSync(nodeModules, join(project, 'node_modules'), 'dir');
  toolProject = mkdtempSync(join(tmpdir(), 'loomflow-codegen-tools-'));
  for (const [path, text] of Object.entries(await generateProject(toolFlow))) {
    mkdirSync(dirname(join(toolProject, path)), { recursive: true });
    writeFileSync(join(toolProject, path), text);
  }
  symlinkSync(nodeModules, join(toolProject, 'node_modules'), 'dir');
}, 60_000);

afterAll(async () => {
  await provider.close();
  rmSync(project, { recursive: true, force: true });
  rmSync(toolProject, { recursive: true, force: true });
});

async function loomflowRun(input: Record<string, unknown>, drawn: FlowDocumentInput = flow({})) {
  const runtime = new FlowRuntime({
    checkpointer: new MemorySaver(),
    hostServices: {
      models: createModelFactory({ resolveProvider: async (name) => (name === 'local' ? { baseUrl: provider.baseUrl } : undefined) }),
      credentials: { resolve: async () => 'sk-local-key' },
    },
  });
  const events: RunEvent[] = [];
  for await (const event of runtime.compile(drawn).run(input, { threadId: 'llm', debug: true })) events.push(event);
  const last = events.at(-1);
  if (last?.type !== 'run.completed') throw new Error(`the Loomflow run ended with ${JSON.stringify(last)}`);
  return { state: last.state, visited: events.flatMap((event) => (event.type === 'node.completed' ? [event.nodeId] : [])) };
}

describe('an LLM node written out as code', () => {
  it('names the key and address variables in .env.example, never values', async () => {
    const files = await generateProject(flow({}));
    expect(files['.env.example']).toBe('LOCAL_API_KEY=\n# The address of model provider "local", e.g. https://api.openai.com/v1.\nLOCAL_BASE_URL=\n');
    expect(files['src/nodes.ts']).toContain("import { ChatOpenAI } from '@langchain/openai';");
    expect(JSON.parse(files['package.json'] as string).dependencies['@langchain/openai']).toBe('1.6.0');
  });

  it.each(['project', 'toolProject'])('type-checks under strict (%s)', async (which) => {
    const dir = which === 'project' ? project : toolProject;
    const result = await run(process.execPath, [join(nodeModules, 'typescript/bin/tsc'), '--noEmit', '-p', dir]).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    expect(result.stdout).toBe('');
  }, 120_000);

  it('calls tools as a Loomflow run does: the same tool descriptions and conversation asked, the same final conversation', async () => {
    const input = { question: 'What is 2 + 3?' };
    const script = () => provider.reply({ text: '', toolCalls: [{ id: 'call_add', name: 'add', args: { a: 2, b: 3 } }] }, { text: 'It is 5.' });
    script();
    const before = provider.requests.length;
    const expected = await loomflowRun(input, toolFlow);
    const asked = provider.requests.slice(before).map((request) => request.body);
    expect(asked).toHaveLength(2);

    script();
    const env = { ...process.env, LOCAL_API_KEY: 'sk-local-key', LOCAL_BASE_URL: provider.baseUrl };
    const { stdout, stderr } = await run(process.execPath, [join(nodeModules, 'tsx/dist/cli.mjs'), 'src/main.ts', JSON.stringify(input), '--trace'], { cwd: toolProject, env });
    const generated = provider.requests.slice(before + 2).map((request) => request.body);
    expect(generated.map((body) => body.tools)).toEqual(asked.map((body) => body.tools));
    expect(generated.map((body) => body.messages)).toEqual(asked.map((body) => body.messages));
    expect(said(JSON.parse(stdout))).toEqual(said(expected.state));
    expect(JSON.stringify(said(expected.state))).toContain('{\\"sum\\":5}');
    expect(stderr.split('\n').flatMap((line) => (line.startsWith('node ') ? [line.slice('node '.length)] : []))).toEqual(['start', 'assistant', 'run-tools', 'assistant', 'end']);
    expect(expected.visited).toEqual(['start', 'assistant', 'run-tools', 'assistant', 'end']);
  }, 60_000);

  it('ends in the same state through the same nodes as a Loomflow run, asking the same question', async () => {
    const input = { question: 'France' };
    provider.reply({ text: 'Paris' });
    const expected = await loomflowRun(input);
    expect(expected.state).toMatchObject({ answer: 'Paris' });
    const asked = provider.requests.at(-1)?.body;

    provider.reply({ text: 'Paris' });
    const env = { ...process.env, LOCAL_API_KEY: 'sk-local-key', LOCAL_BASE_URL: provider.baseUrl };
    const { stdout, stderr } = await run(process.execPath, [join(nodeModules, 'tsx/dist/cli.mjs'), 'src/main.ts', JSON.stringify(input), '--trace'], { cwd: project, env });
    expect(JSON.parse(stdout)).toEqual(expected.state);
    expect(stderr.split('\n').flatMap((line) => (line.startsWith('node ') ? [line.slice('node '.length)] : []))).toEqual(expected.visited);
    const generated = provider.requests.at(-1);
    expect(generated?.headers.authorization).toBe('Bearer sk-local-key');
    expect(generated?.body.messages).toEqual(asked?.messages);
    expect(generated?.body.model).toBe('test-model');
  }, 60_000);

  it('fails with the variable named when the key is not set', async () => {
    const env = { ...process.env, LOCAL_API_KEY: '', LOCAL_BASE_URL: provider.baseUrl };
    const failure = await run(process.execPath, [join(nodeModules, 'tsx/dist/cli.mjs'), 'src/main.ts', '{"question":"Peru"}'], { cwd: project, env }).catch((error: { stderr: string }) => error);
    expect((failure as { stderr: string }).stderr).toContain('node "ask": set LOCAL_API_KEY to the API key of model provider "local"');
  }, 60_000);

  // Scripted models, conversations and tool calling are written out: examples.int.test.ts runs the agent templates.
  it.each<[Record<string, unknown>, RegExp]>([
    [{ responseSchema: { type: 'object', properties: { city: { type: 'string' } } } }, /structured output/],
    [{ model: { provider: 'anthropic', model: 'claude-sonnet-4-5' } }, /Anthropic models/],
  ])('refuses %j, naming the node', async (config, reason) => {
    const failure = await generateProject(flow(config, config.output === 'messages')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CodegenRefusedError);
    expect((failure as CodegenRefusedError).nodeId).toBe('ask');
    expect((failure as Error).message).toMatch(reason);
  });
});
