// Every example flow the generator writes out is generated into one shared workspace, type-checked
// under `strict` with the project's own tsconfig options, and run through its own `src/main.ts`;
// its final state and the order of the nodes it visited must equal a Loomflow run of the same
// flow with the same input and answers. The projects resolve their dependencies from this
// package's node_modules (a symlink): nothing is downloaded.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { MemorySaver } from '@langchain/langgraph';
import type { RunEvent } from '@loomflow/graph-schema';
import { createModelFactory, FlowRuntime } from '@loomflow/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodegenRefusedError, generateProject } from './index';
import { said } from './testing/said';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '../../..');
const nodeModules = join(import.meta.dirname, '../node_modules');
const readExample = (path: string) => JSON.parse(readFileSync(join(repo, 'examples', path), 'utf8')) as Record<string, unknown>;

interface Case {
  readonly example: string;
  readonly input: Record<string, unknown>;
  /** Answers to the run's pauses, in order. */
  readonly answers?: readonly Record<string, unknown>[];
}

const cases: readonly Case[] = [
  { example: 'agent/loop-counter.json', input: {} },
  { example: 'agent/parallel-join.json', input: { destination: 'Lisbon', days: 3 } },
  { example: 'agent/map-over-list.json', input: { items: [{ sku: 'A', quantity: 2, unitPrice: 1.25 }, { sku: 'B', quantity: 1, unitPrice: 3 }] } },
  { example: 'agent/code-and-template.json', input: { lines: [{ name: 'Tea', price: 4.5, quantity: 2 }, { name: 'Cake', price: 3, quantity: 1 }], taxRate: 0.1 } },
  { example: 'agent/human-approval.json', input: { orderId: 'A-17', amount: 40 }, answers: [{ approved: true, comment: 'ok' }] },
  {
    example: 'bpmn/expense-approval.json',
    input: {},
    answers: [{ amount: 7200, reason: 'conference' }, { approved: true }, { approved: true, comment: 'fine' }, { approved: true }],
  },
  // The agent templates, with their scripted models: tool calling, a ReAct agent whose tool call a
  // person approves, an intent router, structured output in a loop and under a map.
  { example: 'agent/tool-assistant.json', input: { question: 'How much is 120 EUR in CNY, and how many words has my sentence?' } },
  { example: 'agent/approval-before-tool.json', input: { request: 'Tell Li Wei that the refund of 40 EUR was approved.' }, answers: [{ decision: 'edit', arguments: { to: 'li.wei@example.com', subject: 'Refund approved', body: 'Dear Li Wei, your refund is on its way.' } }] },
  { example: 'agent/support-router.json', input: { question: 'The app crashes when I open my orders' } },
  { example: 'agent/reflection-loop.json', input: { topic: 'Loomflow' } },
  { example: 'agent/plan-and-execute.json', input: { question: 'How do we get ready for a product launch?' } },
];

/** The examples the generator refuses, each for the node named. */
const refused: Readonly<Record<string, string>> = {
  'agent/checkout-with-subflow.json': 'price-order',
  'agent/http-with-fallback.json': 'fetch-rate',
  'agent/rag-qa.json': 'retrieve',
  'agent/react-http-code.json': 'agent',
  'bpmn/countersign.json': 'countersign',
  'bpmn/incident-escalation.json': 'triage-overdue',
  'bpmn/order-fulfilment.json': 'charge-payment',
  'bpmn/payment-reminder.json': 'gw-await',
};

let workspace: string;
const projectDir = (example: string) => join(workspace, example.replace(/[/.]/g, '-'));

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'loomflow-codegen-'));
  for (const { example } of cases) {
    const files = await generateProject(readExample(example));
    for (const [path, text] of Object.entries(files)) {
      const target = join(projectDir(example), path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
    symlinkSync(nodeModules, join(projectDir(example), 'node_modules'), 'dir');
  }
}, 60_000);

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
});

async function loomflowRun(flow: unknown, input: Record<string, unknown>, answers: readonly Record<string, unknown>[]) {
  // Debug mode steps node by node, as the generated graph does: no fused chains.
  // The agent templates' models are scripted: the factory makes them with no provider and no key.
  const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), hostServices: { models: createModelFactory({ resolveProvider: async () => undefined }) } });
  const compiled = runtime.compile(flow);
  const events: RunEvent[] = [];
  const collect = async (stream: AsyncIterable<RunEvent>) => {
    for await (const event of stream) events.push(event);
  };
  await collect(compiled.run(input, { threadId: 'codegen', debug: true }));
  for (const answer of answers) await collect(await compiled.resume('codegen', answer));
  const last = events.at(-1);
  if (last?.type !== 'run.completed') throw new Error(`the Loomflow run ended with ${JSON.stringify(last)}`);
  return { state: last.state, visited: events.flatMap((event) => (event.type === 'node.completed' ? [event.nodeId] : [])) };
}

describe('generated projects', () => {
  it('type-check under strict with their own compiler options', async () => {
    // One compiler run over every project: their tsconfigs are identical but for the folder.
    const options = JSON.parse(readFileSync(join(projectDir(cases[0]?.example as string), 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    expect(options.compilerOptions.strict).toBe(true);
    writeFileSync(join(workspace, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...options.compilerOptions, typeRoots: [join(nodeModules, '@types')] }, include: ['*/src'] }));
    const tsc = join(nodeModules, 'typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '--noEmit', '-p', workspace]).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    expect(result.stdout).toBe('');
  }, 120_000);

  it.each(cases)('$example imports no Loomflow package, and its package.json pins exactly the packages its code imports', async ({ example }) => {
    const files = await generateProject(readExample(example));
    const code = Object.entries(files).filter(([path]) => path.startsWith('src/'));
    expect(code.filter(([, text]) => text.includes('@loomflow/')).map(([path]) => path)).toEqual([]);
    const imported = new Set(code.flatMap(([, text]) => [...text.matchAll(/from '((?:@[^/']+\/)?[^/.'][^/']*)[^']*'/g)].map((match) => match[1] as string)));
    imported.delete('node:crypto');
    const { dependencies } = JSON.parse(files['package.json'] as string) as { dependencies: Record<string, string> };
    // LangGraph's peers are pinned whether or not the code names them.
    expect(Object.keys(dependencies).sort()).toEqual([...new Set([...imported, '@langchain/core', 'zod'])].sort());
  });

  it.each(cases)('$example runs to the same final state through the same nodes as in Loomflow', async ({ example, input, answers = [] }) => {
    const flow = readExample(example);
    const expected = await loomflowRun(flow, input, answers);
    const args = [join(nodeModules, 'tsx/dist/cli.mjs'), 'src/main.ts', JSON.stringify(input), ...answers.flatMap((answer) => ['--answer', JSON.stringify(answer)]), '--trace'];
    const { stdout, stderr } = await run(process.execPath, args, { cwd: projectDir(example) });
    expect(said(JSON.parse(stdout))).toEqual(said(expected.state));
    // A map's collector is the generated graph's own node, not a drawn one; a node named like a
    // channel is prefixed in both graphs (LangGraph refuses the clash), and events name it as drawn.
    const visited = stderr.split('\n').flatMap((line) => (line.startsWith('node ') && !line.endsWith('#collect') ? [line.slice('node '.length).replace(/^node#/, '')] : []));
    expect(visited).toEqual(expected.visited);
  }, 60_000);

  it.each(Object.entries(refused))('%s is refused, naming node "%s" and why', async (example, nodeId) => {
    const failure = await generateProject(readExample(example)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CodegenRefusedError);
    expect((failure as CodegenRefusedError).nodeId).toBe(nodeId);
    expect((failure as Error).message).toMatch(new RegExp(`^node "${nodeId}" cannot be written out as code: .{20,}`));
  });
});
