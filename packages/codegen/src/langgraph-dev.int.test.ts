// Generated projects served by LangGraph's own dev server (`langgraphjs dev`, from this package's
// devDependencies, on loopback) and driven through `@langchain/langgraph-sdk`: a run pauses at its
// human step, is resumed with `command.resume`, and ends with the state a Loomflow run ends with.
// A countersign (parallel multi-instance user task) is answered instance by instance, closing the
// open one as its project's README says. One server serves every graph, to pay its start-up once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from '@langchain/langgraph-sdk';
import { MemorySaver } from '@langchain/langgraph';
import type { RunEvent } from '@loomflow/graph-schema';
import { FlowRuntime } from '@loomflow/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject } from './index';

const repo = join(import.meta.dirname, '../../..');
const nodeModules = join(import.meta.dirname, '../node_modules');
const readExample = (path: string) => JSON.parse(readFileSync(join(repo, 'examples', path), 'utf8')) as Record<string, unknown>;

const flows = {
  'human-approval': { example: 'agent/human-approval.json', input: { orderId: 'A-17', amount: 40 }, answers: [{ approved: false, comment: 'over the limit' }] },
  'expense-approval': { example: 'bpmn/expense-approval.json', input: {}, answers: [{ amount: 900, reason: 'train' }, { approved: true, comment: 'fine' }, { approved: true }] },
} as const;
const countersign = { example: 'bpmn/countersign.json', input: { title: 'Yacht', approvers: ['alice', 'bob', 'carol'] } } as const;

let workspace: string;
let server: ChildProcess | undefined;
let client: Client;
let log = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves once the server answers /ok; rejects with its output when it exits first. */
function serverReady(url: string, child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    child.once('exit', (code) => {
      if (!done) reject(new Error(`langgraphjs dev exited with ${code}:\n${log}`));
      done = true;
    });
    const poll = async () => {
      if (done) return;
      const ok = await fetch(`${url}/ok`).then((response) => response.ok, () => false);
      if (ok) {
        done = true;
        resolve();
      } else setTimeout(() => void poll(), 250);
    };
    void poll();
  });
}

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'loomflow-langgraph-dev-'));
  const graphs: Record<string, string> = {};
  for (const [graphId, { example }] of [...Object.entries(flows), ['countersign', countersign] as const]) {
    for (const [path, text] of Object.entries(await generateProject(readExample(example)))) {
      mkdirSync(dirname(join(workspace, graphId, path)), { recursive: true });
      writeFileSync(join(workspace, graphId, path), text);
    }
    graphs[graphId] = `./${graphId}/src/graph.ts:graph`;
  }
  writeFileSync(join(workspace, 'langgraph.json'), JSON.stringify({ node_version: '20', graphs, dependencies: ['.'] }));
  writeFileSync(join(workspace, 'package.json'), JSON.stringify({ name: 'served', private: true, type: 'module' }));
  symlinkSync(nodeModules, join(workspace, 'node_modules'), 'dir');
  const port = await freePort();
  server = spawn(join(nodeModules, '.bin/langgraphjs'), ['dev', '--no-browser', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: workspace,
    detached: true,
    env: { ...process.env, LANGSMITH_TRACING: 'false', LANGCHAIN_TRACING_V2: 'false' },
  });
  server.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await serverReady(url, server);
  client = new Client({ apiUrl: url });
}, 180_000);

afterAll(() => {
  // Its own process group: the dev server starts workers of its own.
  if (server?.pid !== undefined && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
  rmSync(workspace, { recursive: true, force: true });
});

/** Where the answers go, when several people wait at once: to the first waiting, as the generated main.ts and Loomflow's resume send them. */
async function loomflowFinalState(flow: unknown, input: Record<string, unknown>, answers: readonly Record<string, unknown>[]) {
  const compiled = new FlowRuntime({ checkpointer: new MemorySaver() }).compile(flow);
  let last: RunEvent | undefined;
  for await (const event of compiled.run(input, { threadId: 'dev' })) last = event;
  for (const answer of answers) for await (const event of await compiled.resume('dev', answer)) last = event;
  if (last?.type !== 'run.completed') throw new Error(`the Loomflow run ended with ${JSON.stringify(last)}`);
  return last.state;
}

describe('a generated project under langgraphjs dev', () => {
  it.each(Object.entries(flows))('%s pauses at each human step, resumes through the SDK and ends as in Loomflow', async (graphId, { example, input, answers }) => {
    const thread = await client.threads.create();
    let values = await client.runs.wait(thread.thread_id, graphId, { input });
    const asked: string[] = [];
    for (const answer of answers) {
      const state = await client.threads.getState(thread.thread_id);
      const waiting = state.tasks.flatMap((task) => task.interrupts.map((pause) => (pause.value as { nodeId: string }).nodeId));
      expect(waiting).toHaveLength(1);
      asked.push(waiting[0] as string);
      values = await client.runs.wait(thread.thread_id, graphId, { command: { resume: answer } });
    }
    expect((await client.threads.getState(thread.thread_id)).next).toEqual([]);
    expect(asked).toEqual(graphId === 'human-approval' ? ['approve'] : ['submit-expense', 'manager-approval', 'finance-approval']);
    // The API answers with every channel; Loomflow's run reports the flow's outputs.
    expect(values).toMatchObject(await loomflowFinalState(readExample(example), input, answers));
  }, 120_000);

  it('countersign: each approver answers by interrupt id, and the first rejection closes the task still open, as in Loomflow', async () => {
    // What a client of the served graph imports from the project: which instances an answer closes.
    const { instancesClosedBy, WITHDRAWN } = (await import(join(workspace, 'countersign/src/graph.ts'))) as {
      instancesClosedBy: (snapshot: unknown, interruptId: string, answer: unknown) => string[];
      WITHDRAWN: Record<string, unknown>;
    };
    const thread = await client.threads.create();
    await client.runs.wait(thread.thread_id, 'countersign', { input: countersign.input });
    const open = async () => {
      const state = await client.threads.getState(thread.thread_id);
      const pauses = state.tasks.filter((task) => task.result === undefined || task.result === null).flatMap((task) => task.interrupts);
      return { state, byAssignee: new Map(pauses.map((pause) => [(pause.value as { assignee: string }).assignee, pause.id as string])) };
    };
    let { state, byAssignee } = await open();
    expect([...byAssignee.keys()].sort()).toEqual(['alice', 'bob', 'carol']);
    // Alice approves: nothing completes, the others wait on.
    expect(instancesClosedBy(state, byAssignee.get('alice') as string, { approved: true })).toEqual([]);
    await client.runs.wait(thread.thread_id, 'countersign', { command: { resume: { [byAssignee.get('alice') as string]: { approved: true } } } });
    ({ state, byAssignee } = await open());
    expect([...byAssignee.keys()].sort()).toEqual(['bob', 'carol']);
    // Bob rejects: the completion condition holds, and Carol's task closes with his answer.
    const bob = byAssignee.get('bob') as string;
    const closed = instancesClosedBy(state, bob, { approved: false });
    expect(closed).toEqual([byAssignee.get('carol')]);
    const values = await client.runs.wait(thread.thread_id, 'countersign', { command: { resume: { [bob]: { approved: false }, ...Object.fromEntries(closed.map((id) => [id, WITHDRAWN])) } } });
    expect((await client.threads.getState(thread.thread_id)).next).toEqual([]);
    expect(values).toMatchObject(await loomflowFinalState(readExample(countersign.example), countersign.input, [{ approved: true }, { approved: false }]));
    expect(values).toMatchObject({ outcome: 'rejected', approvals: [{ approver: 'alice', approved: true }, { approver: 'bob', approved: false }, null] });
  }, 120_000);
});
