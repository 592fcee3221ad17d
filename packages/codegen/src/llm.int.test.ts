// Model calls written out as code: flows with LLM and router nodes generated, type-checked under
// `strict`, and run through their own src/main.ts against the repo's test server (it speaks the
// OpenAI and the Anthropic protocol), which gives the Loomflow run and the generated project the
// same scripted replies. Both must end in the same state through the same nodes, and ask the
// server the same questions: structured output by each method, Anthropic models, a router.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { MemorySaver } from '@langchain/langgraph';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { startOpenAiTestServer, type OpenAiTestServer } from '@loomflow/openai-test-server';
import { createModelFactory, FlowRuntime } from '@loomflow/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject } from './index';
import { said } from './testing/said';

const run = promisify(execFile);
const nodeModules = join(import.meta.dirname, '../node_modules');
const at = { x: 0, y: 0 };

const flow = (llm: Record<string, unknown>, conversation = false): FlowDocumentInput => ({
  schemaVersion: 1,
  id: 'ask-model',
  name: 'Ask a model',
  kind: 'agent',
  state: {
    channels: [
      { name: 'question', type: 'string' },
      { name: 'answer', type: 'string' },
      { name: 'result', type: 'object' },
      ...(conversation ? [{ name: 'messages', type: 'messages' as const, reducer: 'messages' as const }] : []),
    ],
  },
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

/** support-router.json with every model served by the `local` provider. */
const routerFlow = (): FlowDocumentInput => {
  const drawn = JSON.parse(readFileSync(join(import.meta.dirname, '../../../examples/agent/support-router.json'), 'utf8')) as { nodes: { config?: { model?: unknown } }[] };
  for (const node of drawn.nodes) if (node.config?.model) node.config.model = { model: 'test-model', credential: 'local', temperature: 0 };
  return drawn as unknown as FlowDocumentInput;
};

const schema = { type: 'object', properties: { city: { type: 'string' }, country: { type: 'string' } }, required: ['city'] };
const anthropic = { provider: 'anthropic', model: 'claude-test', credential: 'local', temperature: 0, maxTokens: 256 };

/** Each flow generated once, into a project of its own. */
const flows = {
  ask: flow({}),
  tools: toolFlow,
  jsonSchema: flow({ output: 'result', responseSchema: schema }),
  functionCalling: flow({ output: 'result', responseSchema: schema, structuredOutput: 'functionCalling' }),
  jsonMode: flow({ output: 'result', responseSchema: schema, structuredOutput: 'jsonMode' }),
  anthropic: flow({ model: anthropic }),
  anthropicJson: flow({ model: anthropic, output: 'result', responseSchema: schema }),
  router: routerFlow(),
} satisfies Record<string, FlowDocumentInput>;
type Which = keyof typeof flows;

let provider: OpenAiTestServer;
let workspace: string;
const projectOf = (which: Which) => join(workspace, which);

beforeAll(async () => {
  provider = await startOpenAiTestServer();
  workspace = mkdtempSync(join(tmpdir(), 'loomflow-codegen-llm-'));
  for (const [which, drawn] of Object.entries(flows)) {
    for (const [path, text] of Object.entries(await generateProject(drawn))) {
      mkdirSync(dirname(join(workspace, which, path)), { recursive: true });
      writeFileSync(join(workspace, which, path), text);
    }
    symlinkSync(nodeModules, join(workspace, which, 'node_modules'), 'dir');
  }
}, 60_000);

afterAll(async () => {
  await provider.close();
  rmSync(workspace, { recursive: true, force: true });
});

const anthropicModel = (drawn: FlowDocumentInput) => JSON.stringify(drawn).includes('"provider":"anthropic"');

/** The generated project run once with the `local` provider's key and address in its environment. */
async function generatedRun(which: Which, input: Record<string, unknown>) {
  const env = { ...process.env, LOCAL_API_KEY: 'sk-local-key', LOCAL_BASE_URL: anthropicModel(flows[which]) ? provider.anthropicBaseUrl : provider.baseUrl };
  const { stdout, stderr } = await run(process.execPath, [join(nodeModules, 'tsx/dist/cli.mjs'), 'src/main.ts', JSON.stringify(input), '--trace'], { cwd: projectOf(which), env });
  return { state: JSON.parse(stdout) as Record<string, unknown>, visited: stderr.split('\n').flatMap((line) => (line.startsWith('node ') ? [line.slice('node '.length)] : [])) };
}

/**
 * Runs the flow in Loomflow and its project with the same scripted replies; returns what each
 * asked the server (request bodies, then headers) and their outcomes.
 */
async function bothRuns(which: Which, input: Record<string, unknown>, script: () => void) {
  script();
  const before = provider.requests.length;
  const expected = await loomflowRun(input, flows[which]);
  const middle = provider.requests.length;
  script();
  const generated = await generatedRun(which, input);
  return { expected, generated, asked: provider.requests.slice(before, middle), generatedAsked: provider.requests.slice(middle) };
}

async function loomflowRun(input: Record<string, unknown>, drawn: FlowDocumentInput = flow({})) {
  const runtime = new FlowRuntime({
    checkpointer: new MemorySaver(),
    hostServices: {
      models: createModelFactory({ resolveProvider: async (name) => (name === 'local' ? { baseUrl: anthropicModel(drawn) ? provider.anthropicBaseUrl : provider.baseUrl } : undefined) }),
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

  it('type-checks under strict, every project', async () => {
    const options = JSON.parse(readFileSync(join(projectOf('ask'), 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    writeFileSync(join(workspace, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...options.compilerOptions, typeRoots: [join(nodeModules, '@types')] }, include: ['*/src'] }));
    const result = await run(process.execPath, [join(nodeModules, 'typescript/bin/tsc'), '--noEmit', '-p', workspace]).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    expect(result.stdout).toBe('');
  }, 180_000);

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
    const { stdout, stderr } = await run(process.execPath, [join(nodeModules, 'tsx/dist/cli.mjs'), 'src/main.ts', JSON.stringify(input), '--trace'], { cwd: projectOf('tools'), env });
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
    const { stdout, stderr } = await run(process.execPath, [join(nodeModules, 'tsx/dist/cli.mjs'), 'src/main.ts', JSON.stringify(input), '--trace'], { cwd: projectOf('ask'), env });
    expect(JSON.parse(stdout)).toEqual(expected.state);
    expect(stderr.split('\n').flatMap((line) => (line.startsWith('node ') ? [line.slice('node '.length)] : []))).toEqual(expected.visited);
    const generated = provider.requests.at(-1);
    expect(generated?.headers.authorization).toBe('Bearer sk-local-key');
    expect(generated?.body.messages).toEqual(asked?.messages);
    expect(generated?.body.model).toBe('test-model');
  }, 60_000);

  it('fails with the variable named when the key is not set', async () => {
    const env = { ...process.env, LOCAL_API_KEY: '', LOCAL_BASE_URL: provider.baseUrl };
    const failure = await run(process.execPath, [join(nodeModules, 'tsx/dist/cli.mjs'), 'src/main.ts', '{"question":"Peru"}'], { cwd: projectOf('ask'), env }).catch((error: { stderr: string }) => error);
    expect((failure as { stderr: string }).stderr).toContain('node "ask": set LOCAL_API_KEY to the API key of model provider "local"');
  }, 60_000);

  it.each<[Which, string, () => void]>([
    ['jsonSchema', 'a json_schema response format', () => provider.reply({ text: '{"city": "Paris", "country": "France"}' })],
    ['functionCalling', 'a forced call of the "response" function', () => provider.reply({ text: '', toolCalls: [{ id: 'call_1', name: 'response', args: { city: 'Paris', country: 'France' } }] })],
    ['jsonMode', 'JSON mode with the schema in the instructions', () => provider.reply({ text: '{"city": "Paris"}' })],
  ])('asks for structured output by %s (%s) as a Loomflow run does, and writes the same value', async (which, _how, script) => {
    const { expected, generated, asked, generatedAsked } = await bothRuns(which, { question: 'France' }, script);
    expect(expected.state.result).toMatchObject({ city: 'Paris' });
    expect(generated).toEqual(expected);
    expect(generatedAsked).toHaveLength(1);
    const [mine, theirs] = [generatedAsked[0]?.body, asked[0]?.body];
    for (const key of ['messages', 'response_format', 'tools', 'tool_choice'] as const) expect(mine?.[key], key).toEqual(theirs?.[key]);
    expect(mine?.response_format ?? mine?.tool_choice).toBeDefined();
  }, 60_000);

  it('fails naming the node when the structured answer does not match the schema', async () => {
    provider.reply({ text: '{"country": "France"}' });
    const failure = await generatedRun('jsonSchema', { question: 'France' }).catch((error: { stderr: string }) => error);
    expect((failure as { stderr: string }).stderr).toContain('node "ask": the model\'s reply does not match its responseSchema');
  }, 60_000);

  it('calls an Anthropic model through ChatAnthropic at the provider\'s address, as a Loomflow run does', async () => {
    const { expected, generated, asked, generatedAsked } = await bothRuns('anthropic', { question: 'Japan' }, () => provider.reply({ text: 'Tokyo' }));
    expect(expected.state).toMatchObject({ answer: 'Tokyo' });
    expect(generated).toEqual(expected);
    expect(generatedAsked[0]?.path).toBe(asked[0]?.path);
    expect(generatedAsked[0]?.headers['x-api-key']).toBe('sk-local-key');
    expect(generatedAsked[0]?.headers.authorization).toBeUndefined();
    for (const key of ['model', 'system', 'messages', 'max_tokens', 'temperature'] as const) expect(generatedAsked[0]?.body[key], key).toEqual(asked[0]?.body[key]);
  }, 60_000);

  it('has an Anthropic model give structured output as its forced answer tool\'s input', async () => {
    const script = () => provider.reply({ text: '', toolCalls: [{ id: 'toolu_1', name: 'answer', args: { city: 'Tokyo' } }] });
    const { expected, generated, asked, generatedAsked } = await bothRuns('anthropicJson', { question: 'Japan' }, script);
    expect(expected.state.result).toEqual({ city: 'Tokyo' });
    expect(generated).toEqual(expected);
    expect(generatedAsked[0]?.body).toMatchObject({ tools: [{ name: 'answer', input_schema: schema }], tool_choice: { type: 'tool', name: 'answer' } });
    for (const key of ['tools', 'tool_choice', 'messages'] as const) expect(generatedAsked[0]?.body[key], key).toEqual(asked[0]?.body[key]);
  }, 60_000);

  it('routes by the intent a provider\'s model answers, as a Loomflow run does', async () => {
    const script = () => provider.reply({ text: '{"intent": "technical", "reason": "It crashes."}' }, { text: 'Update the app, then restart your phone.' });
    const { expected, generated, asked, generatedAsked } = await bothRuns('router', { question: 'The app crashes when I open my orders' }, script);
    expect(expected.visited).toEqual(['start', 'classify', 'tech-agent', 'end']);
    expect(expected.state).toMatchObject({ intent: 'technical', reason: 'It crashes.' });
    expect(generated.visited).toEqual(expected.visited);
    expect(said(generated.state)).toEqual(said(expected.state));
    expect(generatedAsked.map((request) => request.body.messages)).toEqual(asked.map((request) => request.body.messages));
    expect(generatedAsked[0]?.body.response_format).toEqual(asked[0]?.body.response_format);
  }, 60_000);
});
