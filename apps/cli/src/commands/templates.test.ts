// The agent templates of examples/agent, run as a user runs them: from the CLI, with their
// scripted models, and with the same flows pointed at an OpenAI-protocol server.
import { startOpenAiTestServer, type OpenAiTestServer } from '@loomflow/openai-test-server';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  'tool-assistant.json': example('tool-assistant.json'),
  'react-http-code.json': example('react-http-code.json'),
  'approval-before-tool.json': example('approval-before-tool.json'),
  'plan-and-execute.json': example('plan-and-execute.json'),
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
  provider.requests.length = 0;
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

async function loomflow(extraFiles: Record<string, string>, ...args: string[]) {
  const { io, output } = memoryIo({ ...files, ...extraFiles });
  const exitCode = await runCli([...args, '--db', `file:${join(directory, 'runs.db')}`], io);
  return { exitCode, ...output };
}

/** The flow with every model step's model replaced by `model`. */
function withModel(file: string, model: Record<string, unknown>): string {
  const flow = JSON.parse(files[file as keyof typeof files]) as { nodes: { type: string; config: Record<string, unknown> }[] };
  for (const node of flow.nodes) if (node.type === 'agent.llm' || node.type === 'agent.react') node.config.model = model;
  return JSON.stringify(flow);
}

/** A conversation as the CLI prints it (LangGraph's message dicts): each message's type, content, calls and status. */
const conversation = (messages: unknown) =>
  (messages as { type: string; content: string; tool_calls?: { name: string }[]; status?: string }[]).map((message) => ({
    type: message.type,
    content: message.content,
    ...(message.tool_calls?.length ? { calls: message.tool_calls.map((call) => call.name) } : {}),
    ...(message.status ? { status: message.status } : {}),
  }));

let api: Server;
let apiUrl: string;
beforeAll(async () => {
  api = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ base: 'USD', rates: { EUR: 0.92 }, asked: req.url })));
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => api.close(resolve)));

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

describe('the tool-using assistant template', () => {
  it('calls its code tools through the tools port and answers from their results', async () => {
    const run = await loomflow({}, 'run', 'tool-assistant.json', '--input', '{"question": "How much is 120 EUR in CNY, and how many words are in my slogan?"}');
    expect(run.exitCode).toBe(0);
    expect(conversation((JSON.parse(run.stdout) as { messages: unknown }).messages)).toEqual([
      { type: 'human', content: 'How much is 120 EUR in CNY, and how many words are in my slogan?' },
      { type: 'ai', content: '', calls: ['convert_currency', 'count_words'] },
      { type: 'tool', content: '{"amount":936,"currency":"CNY"}', status: 'success' },
      { type: 'tool', content: '5', status: 'success' },
      { type: 'ai', content: expect.stringContaining('936 CNY') },
    ]);
  });

  it('offers the tools to an OpenAI-compatible model and sends their results back', async () => {
    provider.reply({ toolCalls: [{ name: 'convert_currency', args: { amount: 10, from: 'USD', to: 'EUR' } }] }, { text: 'About 9.26 EUR.' });
    const flow = withModel('tool-assistant.json', { model: 'test-model', credential: 'local' });
    const run = await loomflow({ 'remote.json': flow }, 'run', 'remote.json', '--input', '{"question": "10 USD in EUR?"}', '--provider', `local=${provider.baseUrl}`);
    expect(run.exitCode).toBe(0);
    expect((provider.requests[0]?.body.tools as { function: { name: string } }[]).map((tool) => tool.function.name)).toEqual(['convert_currency', 'count_words']);
    expect(provider.requests[1]?.body.messages?.at(-1)).toMatchObject({ role: 'tool', content: '{"amount":9.26,"currency":"EUR"}' });
    expect(conversation((JSON.parse(run.stdout) as { messages: unknown }).messages).at(-1)).toEqual({ type: 'ai', content: 'About 9.26 EUR.' });
  });
});

describe('the ReAct template with HTTP and code tools', () => {
  it('runs offline: the unreachable web API is an error the agent reads, and it answers with its code tool', async () => {
    const run = await loomflow({}, 'run', 'react-http-code.json', '--input', '{"question": "What do 1000 USD at 3.5% become in 5 years, in EUR?"}');
    expect(run.exitCode).toBe(0);
    const messages = conversation((JSON.parse(run.stdout) as { messages: unknown }).messages);
    expect(messages.map((message) => message.type)).toEqual(['human', 'ai', 'tool', 'ai', 'tool', 'ai']);
    expect(messages[2]).toMatchObject({ status: 'error', content: expect.stringMatching(/^Error: GET https:\/\/api\.frankfurter\.app\/latest\?from=USD&to=EUR failed/) });
    expect(messages[4]).toEqual({ type: 'tool', content: '1187.69', status: 'success' });
  });

  it('calls the web API when it can be reached, and an OpenAI-compatible model drives the loop', async () => {
    const flow = JSON.parse(withModel('react-http-code.json', { model: 'test-model', credential: 'local' })) as { nodes: { id: string; config: { tools: Record<string, unknown>[] } }[] };
    const agent = flow.nodes.find((node) => node.id === 'agent');
    Object.assign(agent?.config.tools[0] ?? {}, { url: `${apiUrl}/latest`, allowHosts: ['127.0.0.1'] });
    provider.reply({ toolCalls: [{ name: 'exchange_rate', args: { from: 'USD', to: 'EUR' } }] }, { text: 'One dollar is 0.92 euros.' });
    const run = await loomflow({ 'remote.json': JSON.stringify(flow) }, 'run', 'remote.json', '--input', '{"question": "USD to EUR?"}', '--provider', `local=${provider.baseUrl}`);
    expect(run.exitCode).toBe(0);
    expect(provider.requests[1]?.body.messages?.at(-1)).toMatchObject({ role: 'tool', content: JSON.stringify({ base: 'USD', rates: { EUR: 0.92 }, asked: '/latest?from=USD&to=EUR' }) });
  });
});

describe('the human approval before a tool template', () => {
  it('waits for a person before send_email runs, then runs it once approved', async () => {
    const first = await loomflow({}, 'run', 'approval-before-tool.json', '--input', '{"request": "Tell Li Wei the refund was approved"}');
    expect(first.exitCode).toBe(3);
    expect(first.stderr).toContain('Approve the call of tool "send_email"?');
    const thread = /--thread (\S+)/.exec(first.stderr)?.[1] ?? '';
    const resumed = await loomflow({}, 'resume', '--thread', thread, '--value', '{"decision": "approve"}');
    expect(resumed.exitCode).toBe(0);
    const messages = conversation((JSON.parse(resumed.stdout) as { messages: unknown }).messages);
    expect(messages[2]).toEqual({ type: 'tool', content: '{"sent":true,"to":"li.wei@example.com","subject":"Your refund"}', status: 'success' });
  });

  it('does not run the tool when the person rejects the call, and tells the model why', async () => {
    const first = await loomflow({}, 'run', 'approval-before-tool.json', '--input', '{"request": "Tell Li Wei the refund was approved"}');
    const thread = /--thread (\S+)/.exec(first.stderr)?.[1] ?? '';
    const resumed = await loomflow({}, 'resume', '--thread', thread, '--value', '{"decision": "reject", "reason": "wrong amount"}');
    expect(resumed.exitCode).toBe(0);
    const messages = conversation((JSON.parse(resumed.stdout) as { messages: unknown }).messages);
    expect(messages[2]).toMatchObject({ type: 'tool', status: 'error', content: expect.stringContaining('A person rejected this call (wrong amount)') });
  });
});

describe('the plan-and-execute template', () => {
  it('plans, executes every step in parallel and answers from the results', async () => {
    const run = await loomflow({}, 'run', 'plan-and-execute.json', '--input', '{"question": "How do we get ready for a launch?"}');
    expect(run.exitCode).toBe(0);
    const output = JSON.parse(run.stdout) as { plan: { steps: string[] }; results: { stepResult: string }[]; answer: string };
    expect(output.plan.steps).toHaveLength(3);
    expect(output.results.map((result) => result.stepResult)).toEqual([
      'Docs, monitoring, rollback plan, support rota, pricing page.',
      'Rollback plan, monitoring, support rota.',
      'Rehearse a rollback; fire a test alert; staff the first weekend.',
    ]);
    expect(output.answer).toMatch(/^Before launch/);
  });

  it('runs against an OpenAI-compatible model: a JSON plan, one call per step, and the answer', async () => {
    provider.reply({ text: '{"steps": ["a", "b"]}' }, { text: 'did a step' }, { text: 'did a step' }, { text: 'All done.' });
    const flow = withModel('plan-and-execute.json', { model: 'test-model', credential: 'local' });
    const run = await loomflow({ 'remote.json': flow }, 'run', 'remote.json', '--input', '{"question": "Do it"}', '--provider', `local=${provider.baseUrl}`);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ plan: { steps: ['a', 'b'] }, results: [{ stepResult: 'did a step' }, { stepResult: 'did a step' }], answer: 'All done.' });
    expect(provider.requests[0]?.body.response_format).toMatchObject({ type: 'json_schema' });
  });
});
