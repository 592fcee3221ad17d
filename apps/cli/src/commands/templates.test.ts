// The agent templates of examples/agent, run as a user runs them: from the CLI, with their
// scripted models, and with the same flows pointed at an OpenAI-protocol server.
import { startOpenAiTestServer, type OpenAiTestServer } from '@loomflow/openai-test-server';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli';
import { memoryIo } from '../memory-io';

const example = (path: string) => readFileSync(new URL(`../../../../examples/agent/${path}`, import.meta.url), 'utf8');
const files = {
  'reflection-loop.json': example('reflection-loop.json'),
  'rag-qa.json': example('rag-qa.json'),
  'support-router.json': example('support-router.json'),
  'rag-docs/rag.zh.md': example('rag-docs/rag.zh.md'),
  'rag-docs/runs.en.md': example('rag-docs/runs.en.md'),
};

let provider: OpenAiTestServer;
let directory: string;
beforeAll(async () => {
  provider = await startOpenAiTestServer();
});
afterAll(() => provider.close());
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'loomflow-templates-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

async function loomflow(extraFiles: Record<string, string>, ...args: string[]) {
  const { io, output } = memoryIo({ ...files, ...extraFiles });
  const exitCode = await runCli([...args, '--db', `file:${join(directory, 'runs.db')}`], io);
  return { exitCode, ...output };
}

/** The flow with every LLM step's model replaced by `model`. */
function withModel(file: string, model: Record<string, unknown>): string {
  const flow = JSON.parse(files[file as keyof typeof files]) as { nodes: { type: string; config: Record<string, unknown> }[] };
  for (const node of flow.nodes) if (node.type === 'agent.llm') node.config.model = model;
  return JSON.stringify(flow);
}

describe('the reflection loop template', () => {
  it('drafts, is criticised, revises and is approved, with its scripted models', async () => {
    const run = await loomflow({}, 'run', 'reflection-loop.json', '--input', '{"topic": "Loomflow"}');
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      draft: expect.stringMatching(/^With Loomflow you draw an agent/),
      review: { approved: true, feedback: 'Concrete and friendly.' },
      rounds: 2,
    });
  });

  it('runs the same against an OpenAI-compatible provider, and stops after three rounds without approval', async () => {
    const flow = withModel('reflection-loop.json', { model: 'test-model', credential: 'local' });
    const reject = { text: '{"approved": false, "feedback": "Shorter."}' };
    provider.reply({ text: 'Draft one.' }, reject, { text: 'Draft two.' }, reject, { text: 'Draft three.' }, reject);
    const run = await loomflow({ 'remote.json': flow }, 'run', 'remote.json', '--input', '{"topic": "Loomflow"}', '--provider', `local=${provider.baseUrl}`);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ draft: 'Draft three.', review: { approved: false, feedback: 'Shorter.' }, rounds: 3 });
    expect(provider.requests.at(-1)?.body.messages?.at(-1)?.content).toContain('Draft three.');
  });
});

describe('the support router template (an intent router in front of specialist agents)', () => {
  it.each([
    ['I want a refund for order 1042', 'refund', 'Refunds are possible within 14 days'],
    ['The app crashes when I open it', 'technical', 'Update the app'],
    ['Hello there!', 'fallback', 'connect you with a person'],
  ])('sends "%s" to the %s agent, with the reason for it', async (question, intent, reply) => {
    const run = await loomflow({}, 'run', 'support-router.json', '--input', JSON.stringify({ question }));
    expect(run.exitCode).toBe(0);
    const output = JSON.parse(run.stdout) as { intent: string; reason: string; messages: unknown[] };
    expect(output).toMatchObject({ intent, reason: expect.any(String) });
    expect(output.reason.length).toBeGreaterThan(0);
    expect(JSON.stringify(output.messages)).toContain(reply);
  });

  it('asks an OpenAI-compatible model for JSON with the intents and their examples, and routes by its answer', async () => {
    const flow = withModel('support-router.json', { model: 'test-model', credential: 'local' });
    const router = JSON.parse(flow) as { nodes: { id: string; config: Record<string, unknown> }[] };
    const classify = router.nodes.find((node) => node.id === 'classify');
    if (classify) classify.config.model = { model: 'test-model', credential: 'local', temperature: 0 };
    provider.reply({ text: '{"intent": "technical", "reason": "It crashes."}' }, { text: 'Try restarting it.' });
    const run = await loomflow({ 'remote.json': JSON.stringify(router) }, 'run', 'remote.json', '--input', '{"question": "It keeps crashing"}', '--provider', `local=${provider.baseUrl}`);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ intent: 'technical', reason: 'It crashes.' });
    const classifyRequest = provider.requests.at(-2)?.body;
    expect(classifyRequest?.response_format).toMatchObject({ type: 'json_schema' });
    expect(JSON.stringify(classifyRequest?.messages?.[0])).toContain('example: \\"The app crashes when I log in\\"');
  });
});

describe('the RAG Q&A template', () => {
  it('answers from the bundled documents, in Chinese and in English, citing them', async () => {
    expect((await loomflow({}, 'kb', 'create', 'loomflow-handbook')).exitCode).toBe(0);
    expect((await loomflow({}, 'kb', 'add', 'loomflow-handbook', 'rag-docs/rag.zh.md', 'rag-docs/runs.en.md')).exitCode).toBe(0);

    const zh = await loomflow({}, 'run', 'rag-qa.json', '--input', '{"question": "什么是检索增强生成？"}');
    expect(zh.exitCode).toBe(0);
    const zhOut = JSON.parse(zh.stdout) as { answer: string; documents: { source: string }[] };
    expect(zhOut.documents[0]?.source).toBe('rag.zh.md');
    expect(zhOut.answer).toContain('rag.zh.md');

    const en = await loomflow({}, 'run', 'rag-qa.json', '--input', '{"question": "Can a waiting run be resumed by another process?"}');
    const enOut = JSON.parse(en.stdout) as { answer: string; documents: { source: string }[] };
    expect(enOut.documents[0]?.source).toBe('runs.en.md');
    expect(enOut.answer).toContain('runs.en.md');
  });

  it('sends the passages it found to an OpenAI-compatible provider', async () => {
    await loomflow({}, 'kb', 'create', 'loomflow-handbook');
    await loomflow({}, 'kb', 'add', 'loomflow-handbook', 'rag-docs/runs.en.md');
    provider.reply({ text: 'Yes. [source: runs.en.md]' });
    const flow = withModel('rag-qa.json', { model: 'test-model', credential: 'local' });
    const run = await loomflow({ 'remote.json': flow }, 'run', 'remote.json', '--input', '{"question": "Can a run be resumed?"}', '--provider', `local=${provider.baseUrl}`);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ answer: 'Yes. [source: runs.en.md]' });
    expect(JSON.stringify(provider.requests.at(-1)?.body.messages?.[0])).toContain('resumed later, even by another process');
  });
});
