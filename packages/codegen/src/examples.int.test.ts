// Every example flow the generator writes out is generated into one shared workspace, type-checked
// under `strict` with the project's own tsconfig options, and run through its own `src/main.ts`;
// its final state and the order of the nodes it visited must equal a Loomflow run of the same
// flow with the same input and answers (or both fail at the same node with the same error). The
// projects resolve their dependencies from this package's node_modules (a symlink): nothing is
// downloaded.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { MemorySaver } from '@langchain/langgraph';
import type { RunEvent } from '@loomflow/graph-schema';
import { createClient } from '@libsql/client';
import { KnowledgeStore } from '@loomflow/knowledge';
import { createModelFactory, FlowRuntime } from '@loomflow/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject } from './index';
import { said } from './testing/said';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '../../..');
const nodeModules = join(import.meta.dirname, '../node_modules');
const readExample = (path: string) => JSON.parse(readFileSync(join(repo, 'examples', path), 'utf8')) as Record<string, unknown>;
/** The flows sub-flow nodes run: the agent examples, by id, for the Loomflow run and for the generator alike. */
const loadFlow = async (flowId: string) => readExample(`agent/${flowId}.json`);

interface Case {
  readonly example: string;
  /** Names the case when an example runs more than once, or is changed. */
  readonly name?: string;
  /** Changes the example before both runs: stands in for what a standalone project cannot do (a host's job handlers, HTTP calls). */
  readonly change?: (flow: Record<string, unknown>) => Record<string, unknown>;
  readonly input: Record<string, unknown>;
  /** Answers to the run's pauses, in order. */
  readonly answers?: readonly Record<string, unknown>[];
  /** Handlers of external service tasks by job type: the Loomflow run's host registers them, the project gets them as its src/handlers/<job type>.ts. */
  readonly jobs?: Readonly<Record<string, Job>>;
  /** The node the run fails at: both runs must fail there, with the same error, after the same nodes. */
  readonly failsAt?: string;
  /** Knowledge bases the project's src/retrievers/<knowledge base>.ts connects to the test's knowledge store, as an owner connects their own. */
  readonly knowledgeBases?: readonly string[];
}

/** The flow with the service task configs given replacing the drawn ones, by node id. */
function withServiceTasks(flow: Record<string, unknown>, configs: Readonly<Record<string, Record<string, unknown>>>): Record<string, unknown> {
  const nodes = flow.nodes as { id: string; config?: Record<string, unknown> }[];
  return { ...flow, nodes: nodes.map((node) => (configs[node.id] ? { ...node, config: { ...node.config, ...configs[node.id] } } : node)) };
}

/** incident-escalation with its host's jobs and its HTTP health check as FEEL expressions: the health is "ok" once the root cause is "fixed". */
const incidentWithoutHost = (flow: Record<string, unknown>) =>
  withServiceTasks(flow, {
    'update-status-page': { implementation: { kind: 'expression', expression: '"status page updated"' } },
    'create-ticket': { implementation: { kind: 'expression', expression: '"ticket created"' } },
    'health-check': { implementation: { kind: 'expression', expression: '{ status: if rootCause = "fixed" then "ok" else "down" }' } },
  });

const fired = (firedEvent: string, variables: Record<string, unknown> = {}) => ({ firedEvent, variables });

/** A job handler written once: its body (JavaScript over `variables`) runs as the Loomflow host's handler and as the project's. */
interface Job {
  readonly body: string;
}
const jobHandler = (job: Job) => new Function('variables', job.body) as (variables: Record<string, unknown>) => Record<string, unknown> | undefined;

/** incident-escalation with its health check as a job too, as the runtime's own test has it: every job is the host's. */
const incidentJobs = (flow: Record<string, unknown>) =>
  withServiceTasks(flow, { 'health-check': { implementation: { kind: 'external', topic: 'health' }, resultVariable: 'health' } });
/** The jobs incident-escalation draws, as the runtime's own test's host handles them. */
const hostJobs: Readonly<Record<string, Job>> = {
  'status-page': { body: 'return { severity: `${variables.severity} (announced)` };' },
  ticketing: { body: 'return undefined;' },
};
const jobs: Readonly<Record<string, Job>> = { ...hostJobs, health: { body: "return { status: variables.rootCause === 'fixed' ? 'ok' : 'down' };" } };

/**
 * The knowledge store both runs search: a libsql file holding rag-qa's knowledge base, filled with
 * the documents bundled beside it (as the server's template test fills it).
 */
let knowledgeFile: string;
let knowledge: KnowledgeStore;

/** What a project's owner writes in src/retrievers/<base>.ts to search their store: here, the test's. */
const retrieverSource = (base: string, name: string) =>
  [
    `export async function ${name}(request: { query: string; mode: string; topK: number; scoreThreshold?: number }): Promise<{ content: string; score?: number; metadata?: Record<string, unknown> }[]> {`,
    // A variable specifier: the store's own types stay out of the project's type check.
    "  const knowledgePackage = '@loomflow/knowledge';",
    "  const libsqlPackage = '@libsql/client';",
    '  const { KnowledgeStore } = await import(knowledgePackage);',
    '  const { createClient } = await import(libsqlPackage);',
    `  const store = await KnowledgeStore.open(createClient({ url: ${JSON.stringify(`file:${knowledgeFile}`)} }));`,
    `  return store.retrieve({ ...request, knowledgeBase: ${JSON.stringify(base)} });`,
    '}',
    '',
  ].join('\n');

/** An exchange-rate API on loopback, for http-with-fallback's success path (started before the projects are generated). */
let rates: Server;
const ratesOrigin = () => `127.0.0.1:${(rates.address() as AddressInfo).port}`;
/** http-with-fallback asking the local rates API, with its host allowed (`allow`) or left to the network guard. */
const localRates = (allow: boolean) => (flow: Record<string, unknown>) => {
  const nodes = (flow.nodes as { id: string; config?: Record<string, unknown> }[]).map((node) =>
    node.id === 'fetch-rate' ? { ...node, config: { ...node.config, url: `http://${ratesOrigin()}/latest?from={{from}}&to={{to}}`, allowHosts: allow ? [ratesOrigin()] : [] } } : node,
  );
  return { ...flow, nodes };
};
/** order-fulfilment with its payment provider's job as a FEEL expression (the provider is not reachable here). */
const paymentAsExpression = (flow: Record<string, unknown>) => withServiceTasks(flow, { 'charge-payment': { implementation: { kind: 'expression', expression: '{ paid: total }' } } });

/** checkout-with-subflow whose sub-flow node runs human-approval for the order's sum, its reply becoming the receipt. */
const approvalAsSubflow = (flow: Record<string, unknown>) =>
  withServiceTasks(flow, {
    'price-order': { flowId: 'human-approval', inputs: { orderId: 'customer', amount: 'sum(for line in order.lines return line.quantity * line.unitPrice)' }, outputs: { receipt: 'reply' } },
  });

/** countersign with its approvers asked one after another (a sequential multi-instance) instead of all at once. */
const oneAfterAnother = (flow: Record<string, unknown>) => {
  const nodes = (flow.nodes as { id: string; config: { loop?: Record<string, unknown> } }[]).map((node) =>
    node.config.loop ? { ...node, config: { ...node.config, loop: { ...node.config.loop, sequential: true } } } : node,
  );
  return { ...flow, nodes };
};

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
  // A retriever: the knowledge base is the owner's to connect; here both runs search the same store.
  { example: 'agent/rag-qa.json', knowledgeBases: ['loomflow-handbook'], input: { question: '什么是检索增强生成？' } },
  { example: 'agent/rag-qa.json', name: 'English', knowledgeBases: ['loomflow-handbook'], input: { question: 'Can a waiting run be resumed by another process?' } },
  // A sub-flow: code-and-template, written into the project as a graph of its own.
  { example: 'agent/checkout-with-subflow.json', input: { customer: 'Ada', order: { lines: [{ name: 'Tea', quantity: 2, unitPrice: 5 }] } } },
  // The same node running human-approval: the person's step pauses the checkout inside its sub-flow, and the answer resumes it there.
  {
    example: 'agent/checkout-with-subflow.json',
    name: 'a person approves inside the sub-flow',
    change: approvalAsSubflow,
    input: { customer: 'Ada', order: { lines: [{ name: 'Tea', quantity: 2, unitPrice: 4.5 }] } },
    answers: [{ approved: true, comment: 'ok' }],
  },
  // HTTP: the public API cannot be resolved here, so each attempt fails and the error port's fallback answers.
  { example: 'agent/http-with-fallback.json', input: { from: 'EUR', to: 'USD' } },
  // The same from a local API its allowHosts permits, and with the host left to the network guard, which refuses loopback.
  { example: 'agent/http-with-fallback.json', name: 'local API allowed', change: localRates(true), input: { from: 'EUR', to: 'USD' } },
  { example: 'agent/http-with-fallback.json', name: 'loopback refused', change: localRates(false), input: { from: 'EUR', to: 'USD' } },
  // A ReAct agent whose HTTP tool fails (no network) and whose code tool answers: the model reads both.
  { example: 'agent/react-http-code.json', input: { question: '1000 USD at 3.5% for 5 years?' } },
  { example: 'bpmn/order-fulfilment.json', change: paymentAsExpression, input: { orderId: 'O-1', customerEmail: 'x@example.com', lines: [{ sku: 'a', quantity: 2, unitPrice: 5 }] }, answers: [{ parcels: 2 }, {}] },
  // External service tasks: the jobs go to handlers, the host's in Loomflow, src/handlers/<job type>.ts in the project.
  {
    example: 'bpmn/incident-escalation.json',
    name: 'jobs',
    change: incidentJobs,
    jobs,
    input: { incidentId: 'INC-9' },
    answers: [{ severity: 'high', summary: 'slow search' }, { rootCause: 'fixed' }, { postMortemUrl: 'https://wiki.example.com/inc-9' }],
  },
  // incident-escalation as drawn, its jobs the host's: its health check is an HTTP service task whose
  // status API cannot be resolved here, so after its retries the run fails in both, with the same error.
  // (order-fulfilment's payment fails the same way, but in a step beside a person's task: Loomflow's
  // debug mode completes that task first, where LangGraph fails the whole step, so its trace differs.)
  {
    example: 'bpmn/incident-escalation.json',
    name: 'health check unreachable',
    jobs: hostJobs,
    failsAt: 'health-check',
    input: { incidentId: 'INC-11' },
    answers: [{ severity: 'critical', summary: 'checkout down' }, { rootCause: 'fixed' }],
  },
  // An event-based gateway: the reminder timer twice (each time round the loop), then the payment's message.
  { example: 'bpmn/payment-reminder.json', input: { invoiceId: 'INV-9', amount: 120 }, answers: [fired('reminder-due'), fired('reminder-due'), fired('payment-received', { amount: 118 })] },
  // Four reminders are too many: the loop's exclusive gateway sends the invoice to collections, a person.
  {
    example: 'bpmn/payment-reminder.json',
    name: 'collections',
    input: { invoiceId: 'INV-10', amount: 80 },
    answers: [fired('reminder-due'), fired('reminder-due'), fired('reminder-due'), fired('reminder-due'), { note: 'called the customer' }],
  },
  // A sub-process with a person's step inside, left by its error end event for the error boundary on
  // it; the triage's non-interrupting boundary timer runs the escalation while the triage waits on.
  {
    example: 'bpmn/incident-escalation.json',
    name: 'fix-failed',
    change: incidentWithoutHost,
    input: { incidentId: 'INC-7' },
    answers: [fired('triage-overdue'), { severity: 'critical', summary: 'checkout down' }, { rootCause: 'unknown' }, { handedTo: 'platform' }],
  },
  // The sub-process ends normally: its changes reach the process, and the post-mortem follows.
  {
    example: 'bpmn/incident-escalation.json',
    name: 'resolved',
    change: incidentWithoutHost,
    input: { incidentId: 'INC-8' },
    answers: [{ severity: 'high', summary: 'slow search' }, { rootCause: 'fixed' }, { postMortemUrl: 'https://wiki.example.com/inc-8' }],
  },
  // A parallel multi-instance user task (会签): each approver answers in turn, and the first
  // rejection meets the completion condition, which closes the task still open.
  { example: 'bpmn/countersign.json', input: { title: 'Yacht', approvers: ['alice', 'bob', 'carol'] }, answers: [{ approved: true }, { approved: false }] },
  { example: 'bpmn/countersign.json', name: 'all approve', input: { title: 'New office', approvers: ['alice', 'bob', 'carol'] }, answers: [{ approved: true }, { approved: true, comment: 'fine' }, { approved: true }] },
  { example: 'bpmn/countersign.json', name: 'nobody to ask', input: { title: 'Nothing', approvers: [] } },
  // One after another: the rejection ends the sequence, and the last approver is never asked.
  { example: 'bpmn/countersign.json', name: 'sequential', change: oneAfterAnother, input: { title: 'Yacht', approvers: ['alice', 'bob', 'carol'] }, answers: [{ approved: true }, { approved: false }] },
];

let workspace: string;
const caseName = ({ example, name }: Case) => (name ? `${example} (${name})` : example);
const projectDir = (each: Case) => join(workspace, caseName(each).replace(/[^A-Za-z0-9]+/g, '-'));
const flowOf = ({ example, change }: Case) => (change ?? ((flow) => flow))(readExample(example));

beforeAll(async () => {
  rates = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ date: '2026-12-04', base: url.searchParams.get('from'), rates: { [url.searchParams.get('to') ?? 'USD']: 1.0825 } }));
  });
  await new Promise<void>((resolve) => rates.listen(0, '127.0.0.1', resolve));
  workspace = mkdtempSync(join(tmpdir(), 'loomflow-codegen-'));
  knowledgeFile = join(workspace, 'knowledge.db');
  knowledge = await KnowledgeStore.open(createClient({ url: `file:${knowledgeFile}` }));
  await knowledge.create({ id: 'loomflow-handbook', name: 'Loomflow handbook' });
  for (const source of ['rag.zh.md', 'runs.en.md']) {
    await knowledge.addDocument('loomflow-handbook', { source, mediaType: 'text/markdown', content: new TextEncoder().encode(readFileSync(join(repo, 'examples/agent/rag-docs', source), 'utf8')) });
  }
  for (const each of cases) {
    const files = await generateProject(flowOf(each), { loadFlow });
    for (const [path, text] of Object.entries(files)) {
      const target = join(projectDir(each), path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
    symlinkSync(nodeModules, join(projectDir(each), 'node_modules'), 'dir');
    for (const base of each.knowledgeBases ?? []) {
      const path = join(projectDir(each), 'src/retrievers', `${base}.ts`);
      const name = /export async function (\w+)/.exec(readFileSync(path, 'utf8'))?.[1] as string;
      writeFileSync(path, retrieverSource(base, name));
    }
    // The project's owner writes the jobs' handlers: here, the same bodies the Loomflow run's host runs.
    for (const [topic, job] of Object.entries(each.jobs ?? {})) {
      const path = join(projectDir(each), 'src/handlers', `${topic}.ts`);
      const written = readFileSync(path, 'utf8').replace(/(Promise<unknown> \{\n)[\s\S]*?\n\}\n/, (_match, head: string) => `${head}  const { variables } = job;\n  ${job.body}\n}\n`);
      expect(written).toContain(job.body);
      writeFileSync(path, written);
    }
  }
}, 60_000);

afterAll(() => {
  rates.close();
  rmSync(workspace, { recursive: true, force: true });
});

async function loomflowRun(flow: unknown, input: Record<string, unknown>, answers: readonly Record<string, unknown>[], jobs: Readonly<Record<string, Job>> = {}) {
  // Debug mode steps node by node, as the generated graph does: no fused chains.
  // The agent templates' models are scripted: the factory makes them with no provider and no key.
  const serviceTasks = Object.fromEntries(Object.entries(jobs).map(([topic, job]) => [topic, ({ variables }: { variables: Record<string, unknown> }) => jobHandler(job)(variables)]));
  const hostServices = { models: createModelFactory({ resolveProvider: async () => undefined }), retriever: knowledge };
  const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), hostServices, serviceTasks, services: { loadFlow } });
  const compiled = runtime.compile(flow);
  const events: RunEvent[] = [];
  const collect = async (stream: AsyncIterable<RunEvent>) => {
    for await (const event of stream) events.push(event);
  };
  await collect(compiled.run(input, { threadId: 'codegen', debug: true }));
  for (const answer of answers) await collect(await compiled.resume('codegen', answer));
  const last = events.at(-1);
  const visited = events.flatMap((event) => (event.type === 'node.completed' ? [event.nodeId] : []));
  if (last?.type === 'run.failed') return { state: undefined, failure: { nodeId: last.nodeId, message: last.error.message }, visited };
  if (last?.type !== 'run.completed') throw new Error(`the Loomflow run ended with ${JSON.stringify(last)}`);
  return { state: last.state, failure: undefined, visited };
}

describe('generated projects', () => {
  it('type-check under strict with their own compiler options', async () => {
    // One compiler run over every project: their tsconfigs are identical but for the folder.
    const options = JSON.parse(readFileSync(join(projectDir(cases[0] as Case), 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    expect(options.compilerOptions.strict).toBe(true);
    writeFileSync(join(workspace, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...options.compilerOptions, typeRoots: [join(nodeModules, '@types')] }, include: ['*/src'] }));
    const tsc = join(nodeModules, 'typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '--noEmit', '-p', workspace]).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    expect(result.stdout).toBe('');
  }, 120_000);

  it.each(cases.map((each) => [caseName(each), each] as const))('%s imports no Loomflow package, and its package.json pins exactly the packages its code imports', async (_name, each) => {
    const files = await generateProject(flowOf(each), { loadFlow });
    const code = Object.entries(files).filter(([path]) => path.startsWith('src/'));
    expect(code.filter(([, text]) => text.includes('@loomflow/')).map(([path]) => path)).toEqual([]);
    const imported = new Set(code.flatMap(([, text]) => [...text.matchAll(/from '((?:@[^/']+\/)?[^/.'][^/']*)[^']*'/g)].map((match) => match[1] as string)));
    for (const name of imported) if (name.startsWith('node:')) imported.delete(name);
    const { dependencies } = JSON.parse(files['package.json'] as string) as { dependencies: Record<string, string> };
    // LangGraph's peers are pinned whether or not the code names them.
    expect(Object.keys(dependencies).sort()).toEqual([...new Set([...imported, '@langchain/core', 'zod'])].sort());
  });

  it.each(cases.map((each) => [caseName(each), each] as const))('%s runs to the same final state, or the same failure, through the same nodes as in Loomflow', async (_name, each) => {
    const { input, answers = [] } = each;
    const expected = await loomflowRun(flowOf(each), input, answers, each.jobs);
    // A search that found nothing would compare two empty lists.
    if (each.knowledgeBases) expect(expected.state?.documents).not.toEqual([]);
    const args = [join(nodeModules, 'tsx/dist/cli.mjs'), 'src/main.ts', JSON.stringify(input), ...answers.flatMap((answer) => ['--answer', JSON.stringify(answer)]), '--trace'];
    // A run that fails exits non-zero with the error on stderr, after the trace of the nodes it completed.
    const { stdout, stderr } = await run(process.execPath, args, { cwd: projectDir(each) }).catch((error: { code: number; stdout: string; stderr: string }) => {
      if (!each.failsAt) throw error;
      expect(error.code).toBe(1);
      return { stdout: '', stderr: error.stderr };
    });
    if (each.failsAt) {
      expect(expected.failure?.nodeId).toBe(each.failsAt);
      // The same words: the address, the attempts, the last problem.
      expect(stderr).toContain(`Error: ${expected.failure?.message}\n`);
    } else expect(said(JSON.parse(stdout))).toEqual(said(expected.state));
    // A map's collector is the generated graph's own node, not a drawn one; a node named like a
    // channel is prefixed in both graphs (LangGraph refuses the clash), and events name it as drawn;
    // a node waiting again after an event that did not end it is its deferred copy (`#again`); a
    // multi-instance activity's instances and their gathering are the activity in Loomflow's events.
    const visited = stderr
      .split('\n')
      .flatMap((line) => (line.startsWith('node ') && !line.endsWith('#collect') ? [line.slice('node '.length).replace(/^node#/, '').replace(/#(again|instance|done)$/, '')] : []));
    expect(visited).toEqual(expected.visited);
  }, 60_000);

  it('fails at an external service task whose handler is not written yet, naming the node and its job type, as Loomflow fails without a host handler', async () => {
    const flow = readExample('bpmn/incident-escalation.json');
    const input = { incidentId: 'INC-12' };
    const answers = [{ severity: 'low', summary: 'typo on the status page' }];
    const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), services: { loadFlow } });
    const compiled = runtime.compile(flow);
    const events: RunEvent[] = [];
    for await (const event of compiled.run(input, { threadId: 'no-handler', debug: true })) events.push(event);
    for await (const event of await compiled.resume('no-handler', answers[0] as Record<string, unknown>)) events.push(event);
    expect(events.at(-1)).toMatchObject({ type: 'run.failed', nodeId: 'create-ticket', error: { code: 'bpmn.no_handler' } });

    const dir = join(workspace, 'incident-without-handlers');
    for (const [path, text] of Object.entries(await generateProject(flow, { loadFlow }))) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    symlinkSync(nodeModules, join(dir, 'node_modules'), 'dir');
    const args = [join(nodeModules, 'tsx/dist/cli.mjs'), 'src/main.ts', JSON.stringify(input), '--answer', JSON.stringify(answers[0])];
    const failure = await run(process.execPath, args, { cwd: dir }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('Error: node "create-ticket": write the handler of job type "ticketing" in src/handlers/ticketing.ts\n');
  }, 60_000);

  it('covers every example flow: each is generated and run above', () => {
    const examples = ['agent', 'bpmn'].flatMap((folder) => readdirSync(join(repo, 'examples', folder)).filter((file) => file.endsWith('.json')).map((file) => `${folder}/${file}`));
    const covered = new Set(cases.map((each) => each.example));
    expect(examples.filter((example) => !covered.has(example))).toEqual([]);
  });
});
