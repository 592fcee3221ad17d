// Runs flows with the built `loomflow` bundle against a real libsql file, one process per command,
// the way users do: a second process resumes what the first left waiting.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunEvent } from '@loomflow/graph-schema';
import { everythingServer } from '@loomflow/runtime/testing/mcp-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = resolve(cliDir, '../..');
const scratchDir = mkdtempSync(join(tmpdir(), 'loomflow-run-'));
// A bundle of its own: cli.int.test.ts rebuilds dist/index.js while its processes start, and
// esbuild does not replace the file atomically. It lives under dist/ so that it finds the CLI's
// node_modules (libsql, quickjs-emscripten) exactly as dist/index.js does.
// A fresh clone has no dist/ yet.
mkdirSync(join(cliDir, 'dist'), { recursive: true });
const bundleDir = mkdtempSync(join(cliDir, 'dist', 'run-int-test-'));
const bundle = join(bundleDir, 'index.js');

interface Finished {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function start(args: readonly string[], cwd = repoRoot) {
  const child = spawn(process.execPath, [bundle, ...args], { cwd });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const finished = once(child, 'close').then(([exitCode]) => ({ exitCode: exitCode as number | null, ...output }));
  return { child, output, finished };
}

const loomflow = (...args: string[]): Promise<Finished> => start(args).finished;

/** A fresh database per test, so that tests running side by side do not share threads. */
let databases = 0;
const newDatabase = () => `file:${join(scratchDir, `runs-${(databases += 1)}.db`)}`;

const threadOf = (stderr: string) => /^thread: (.+)$/m.exec(stderr)?.[1] as string;
const parseEvents = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RunEvent);

function writeScratchFlow(name: string, flow: unknown): string {
  const path = join(scratchDir, name);
  writeFileSync(path, JSON.stringify(flow));
  return path;
}

const readExample = (path: string) => JSON.parse(readFileSync(join(repoRoot, 'examples', path), 'utf8')) as Record<string, unknown> & { nodes: { id: string; config: Record<string, unknown> }[] };

const at = { x: 0, y: 0 };
const chainFlow = (id: string, channels: unknown[], middle: { id: string; type: string; config: unknown }) => ({
  schemaVersion: 1,
  id,
  name: id,
  kind: 'agent',
  state: { channels },
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { ...middle, position: at },
    { id: 'end', type: 'agent.end', position: at },
  ],
  edges: [
    { id: 'e1', source: 'start', target: middle.id },
    { id: 'e2', source: middle.id, target: 'end' },
  ],
});

beforeAll(() => {
  execFileSync(process.execPath, ['../../scripts/bundle-node-app.mjs', 'src/index.ts', bundle], { cwd: cliDir, stdio: 'pipe' });
}, 60_000);

afterAll(() => {
  rmSync(scratchDir, { recursive: true, force: true });
  rmSync(bundleDir, { recursive: true, force: true });
});

describe.concurrent('loomflow run on the example flows', { timeout: 30_000 }, () => {
  it('counts to 5 in loop-counter', async () => {
    const { exitCode, stdout, stderr } = await loomflow('run', 'examples/agent/loop-counter.json', '--db', newDatabase());
    expect(exitCode, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ count: 5 });
    expect(stderr).toMatch(/^thread: [\w-]+\n$/);
  });

  it('joins the three branches of parallel-join', async () => {
    const { exitCode, stdout, stderr } = await loomflow('run', 'examples/agent/parallel-join.json', '--input', '{"destination": "Porto", "days": 7}', '--db', newDatabase());
    expect(exitCode, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      summary: 'Trip to Porto\n7 days in Porto: old town on day one, museums and food markets after.\nBudget: 840 EUR\nPack: large suitcase',
    });
  });

  it('prices every item of map-over-list and sums them', async () => {
    const items = [
      { sku: 'A', quantity: 2, unitPrice: 1.25 },
      { sku: 'B', quantity: 1, unitPrice: 10 },
      { sku: 'C', quantity: 3, unitPrice: 0.5 },
    ];
    const { exitCode, stdout, stderr } = await loomflow('run', 'examples/agent/map-over-list.json', '--input', JSON.stringify({ items }), '--db', newDatabase());
    expect(exitCode, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ results: [{ lineTotal: 2.5 }, { lineTotal: 10 }, { lineTotal: 1.5 }], total: 14 });
  });

  it('computes and formats the receipt of code-and-template in the sandbox', async () => {
    const inputFile = join(scratchDir, 'order.json');
    writeFileSync(inputFile, JSON.stringify({ lines: [{ name: 'Tea', quantity: 2, unitPrice: 4.5 }, { name: 'Cup', quantity: 1, unitPrice: 6 }], taxRate: 0.1 }));
    const { exitCode, stdout, stderr } = await loomflow('run', 'examples/agent/code-and-template.json', '--input-file', inputFile, '--db', newDatabase());
    expect(exitCode, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ total: 16.5, receipt: 'Subtotal: 15 EUR\nTax: 1.5 EUR\nTotal: 16.5 EUR' });
  });

  it('prices the order of checkout-with-subflow through the code-and-template sub-flow next to it', async () => {
    const order = { lines: [{ name: 'Tea', quantity: 2, unitPrice: 5 }] };
    const { exitCode, stdout, stderr } = await loomflow('run', 'examples/agent/checkout-with-subflow.json', '--input', JSON.stringify({ customer: 'Ada', order }), '--db', newDatabase());
    expect(exitCode, stderr).toBe(0);
    const receipt = 'Subtotal: 10 EUR\nTax: 2 EUR\nTotal: 12 EUR';
    expect(JSON.parse(stdout)).toEqual({ total: 12, receipt, message: `Thank you, Ada!\n${receipt}` });
  });

  it('takes the fallback of http-with-fallback when the request fails', async () => {
    // The example asks a public API, which would make the test depend on DNS and the network. A
    // loopback address fails the same node without either: the runtime refuses it before any
    // connection (private addresses need the node's allowHosts), and the error port is taken. Not
    // TCP port 9: fetch itself refuses that one (a "bad port") before the guard is asked.
    const flow = readExample('agent/http-with-fallback.json');
    const request = flow.nodes.find((node) => node.id === 'fetch-rate') as { config: Record<string, unknown> };
    request.config.url = 'http://127.0.0.1:8080/latest?from={{from}}&to={{to}}';
    const { exitCode, stdout, stderr } = await loomflow('run', writeScratchFlow('http-offline.json', flow), '--input', '{"from": "GBP"}', '--events', '--db', newDatabase());
    expect(exitCode, stderr).toBe(0);
    const events = parseEvents(stdout);
    expect(events).toContainEqual(expect.objectContaining({ type: 'node.failed', nodeId: 'fetch-rate', error: expect.objectContaining({ code: 'http.blocked' }) }));
    expect(events.filter((event) => event.type === 'node.started').map((event) => event.nodeId)).toEqual(['start', 'fetch-rate', 'fallback', 'end']);
    expect(events.at(-1)).toMatchObject({
      type: 'run.completed',
      state: { rate: 0, answer: 'The GBP/USD rate is not available right now; please try again later.' },
    });
  });

  it('routes a refund question of support-router to its refund agent, with its scripted models', async () => {
    const { exitCode, stdout, stderr } = await loomflow('run', 'examples/agent/support-router.json', '--input', '{"question": "Where is my refund?"}', '--db', newDatabase());
    expect(exitCode, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ intent: 'refund', reason: 'The customer asks for money back.' });
  });

  it('prints every event of a run as NDJSON, numbered from 0, ending with run.completed', async () => {
    const { exitCode, stdout, stderr } = await loomflow('run', 'examples/agent/loop-counter.json', '--events', '--db', newDatabase());
    expect(exitCode, stderr).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.pop()).toBe('');
    const events = lines.map((line) => JSON.parse(line) as RunEvent);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
    expect(new Set(events.map((event) => event.threadId))).toEqual(new Set([threadOf(stderr)]));
    expect(events[0]).toMatchObject({ type: 'run.started', flowId: 'loop-counter' });
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { count: 5 } });
  });

  it('keeps its database in ./data/loomflow.db of the current directory by default', async () => {
    const { exitCode, stdout, stderr } = await start(['run', join(repoRoot, 'examples/agent/loop-counter.json')], scratchDir).finished;
    expect(exitCode, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ count: 5 });
    expect(existsSync(join(scratchDir, 'data/loomflow.db'))).toBe(true);
  });

  it('refuses an invalid flow, naming the node, before anything runs', async () => {
    const { exitCode, stdout, stderr } = await loomflow('run', 'examples/invalid/unreachable-node.json', '--db', newDatabase());
    expect(exitCode).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error {2}unreachable-node {2}node orphan-summary {2}/m);
  });

  it('refuses an --input that is not JSON', async () => {
    const { exitCode, stderr } = await loomflow('run', 'examples/agent/loop-counter.json', '--input', '{count: 1}', '--db', newDatabase());
    expect(exitCode).toBe(1);
    expect(stderr).toBe("loomflow: --input is not valid JSON: Expected property name or '}' at column 2\n");
  });

  it('runs a sub-flow read from the flow file’s folder', async () => {
    const channels = [{ name: 'count', type: 'number', reducer: 'replace', default: 0 }];
    writeScratchFlow('double.json', chainFlow('double', channels, { id: 'double', type: 'agent.assign', config: { assignments: [{ key: 'count', value: 'count * 2' }] } }));
    const parent = writeScratchFlow(
      'calls-double.json',
      chainFlow('calls-double', [...channels, { name: 'doubled', type: 'number', reducer: 'replace', default: 0 }], {
        id: 'call-double',
        type: 'agent.subflow',
        config: { flowId: 'double', inputs: { count: 'count + 1' }, outputs: { doubled: 'count' } },
      }),
    );
    const { exitCode, stdout, stderr } = await loomflow('run', parent, '--input', '{"count": 20}', '--db', newDatabase());
    expect(exitCode, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ count: 20, doubled: 42 });
  });
});

// Each test here starts up to seven CLI processes one after another; a loaded machine takes
// several seconds per start, so the budget is per process, not per test.
describe.concurrent('a thread across processes', { timeout: 90_000 }, () => {
  it('waits for the refund approval, refuses a bad answer, and finishes in another process', async () => {
    const db = newDatabase();
    const first = await loomflow('run', 'examples/agent/human-approval.json', '--input', '{"orderId": "A-17", "amount": 40}', '--db', db);
    expect(first.exitCode).toBe(3);
    expect(first.stdout).toBe('');
    const threadId = threadOf(first.stderr);
    expect(first.stderr).toContain(`loomflow: thread ${threadId} is waiting for an answer at node "approve"\n`);
    expect(first.stderr).toContain('  prompt: Approve this refund? Refund of 40 EUR for order A-17\n');
    expect(first.stderr).toContain('  form:\n    approved "Approve the refund": boolean, required\n    comment "Comment for the customer": string, required\n');
    expect(first.stderr).toContain('  answer schema: {"type":"object","properties":{"approved":');
    expect(first.stderr).toContain(`  to answer: loomflow resume --thread ${threadId} --db ${db} --value '<json>'\n`);

    const refused = await loomflow('resume', '--thread', threadId, '--value', '{"approved": "yes"}', '--db', db);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^loomflow: the answer for node "approve" was refused: .*; the thread keeps waiting\n$/);

    const waiting = await loomflow('state', '--thread', threadId, '--db', db);
    expect(waiting.exitCode, waiting.stderr).toBe(0);
    const state = JSON.parse(waiting.stdout) as { values: unknown; next: string[]; interrupts: { nodeId: string; kind: string }[]; checkpointId: string };
    expect(state).toMatchObject({ values: { orderId: 'A-17', amount: 40, approved: false }, next: ['approve'], interrupts: [{ nodeId: 'approve', kind: 'human' }] });
    expect(state.checkpointId).toEqual(expect.any(String));

    const answered = await loomflow('resume', '--thread', threadId, '--value', '{"approved": true, "comment": "ok"}', '--db', db);
    expect(answered.exitCode, answered.stderr).toBe(0);
    expect(JSON.parse(answered.stdout)).toEqual({ approved: true, comment: 'ok', reply: 'Good news: your refund for order A-17 is on its way. ok' });

    const again = await loomflow('resume', '--thread', threadId, '--value', '{"approved": true, "comment": "ok"}', '--db', db);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toBe(`loomflow: thread ${threadId} is not waiting on anything\n`);

    const history = await loomflow('state', '--thread', threadId, '--db', db, '--history');
    const checkpoints = JSON.parse(history.stdout) as { values: { reply: string }; next: string[] }[];
    expect(checkpoints[0]).toMatchObject({ next: [], values: { reply: 'Good news: your refund for order A-17 is on its way. ok' } });
    expect(checkpoints.length).toBeGreaterThan(3);
  });

  it('pauses at a breakpoint and continues from it in another process', async () => {
    const db = newDatabase();
    const paused = await loomflow('run', 'examples/agent/loop-counter.json', '--breakpoint-before', 'check', '--db', db);
    expect(paused.exitCode).toBe(3);
    const threadId = threadOf(paused.stderr);
    expect(paused.stderr).toContain(`paused at a breakpoint before node "check"\n  to continue: loomflow resume --thread ${threadId} --db ${db}\n`);
    const resumed = await loomflow('resume', '--thread', threadId, '--db', db);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual({ count: 5 });
  });

  it('does not know a thread that no run started in the database', async () => {
    const { exitCode, stderr } = await loomflow('resume', '--thread', 'no-such-thread', '--value', '{}', '--db', newDatabase());
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/^loomflow: unknown thread "no-such-thread": no `loomflow run` started it in file:/);
  });

  it('stops a run on Ctrl-C with exit code 130 and keeps the thread readable', async () => {
    const db = newDatabase();
    const slow = writeScratchFlow(
      'slow.json',
      chainFlow('slow', [{ name: 'done', type: 'boolean', reducer: 'replace', default: false }], {
        id: 'busy',
        type: 'agent.code',
        // Long enough to be still busy when Ctrl-C arrives on a loaded machine; the interrupt ends it early.
        config: { source: 'const until = Date.now() + 10000; while (Date.now() < until) {} return { done: true };', timeoutMs: 15000 },
      }),
    );
    const run = start(['run', slow, '--events', '--db', db]);
    // Complete lines only: the last one may still be arriving.
    const busyStarted = () => parseEvents(run.output.stdout.slice(0, run.output.stdout.lastIndexOf('\n') + 1)).some((event) => event.type === 'node.started' && event.nodeId === 'busy');
    // Seven CLI processes start side by side here: the first event may take a while under load.
    await expect.poll(busyStarted, { timeout: 60_000, interval: 20 }).toBe(true);
    run.child.kill('SIGINT');
    const { exitCode, stdout, stderr } = await run.finished;
    expect(exitCode).toBe(130);
    expect(parseEvents(stdout).at(-1)).toMatchObject({ type: 'run.cancelled' });
    expect(stderr).toContain('loomflow: run cancelled (interrupted by Ctrl-C)');

    const after = await loomflow('state', '--thread', threadOf(stderr), '--db', db);
    expect(after.exitCode, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ values: { done: false }, next: ['busy'] });
  });
});

describe.concurrent('loomflow run with MCP servers', { timeout: 30_000 }, () => {
  const mcpFlow = (id: string, server: unknown) =>
    chainFlow(id, [{ name: 'result', type: 'any' }], { id: 'echo', type: 'agent.mcp', config: { server, tool: 'echo', arguments: { message: '"from the CLI"' } } });

  // The machine's own user runs the CLI: a command line in the flow is started, and ended when
  // the run is over, or the process would not exit.
  it('starts an inline stdio server, calls it and exits', async () => {
    const path = writeScratchFlow('mcp-inline.json', mcpFlow('mcp-inline', everythingServer()));
    const { exitCode, stdout, stderr } = await loomflow('run', path, '--db', newDatabase());
    expect(exitCode, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ result: 'Echo: from the CLI' });
  });

  it('fails a node naming a registered server, which only the server has', async () => {
    const path = writeScratchFlow('mcp-registered.json', mcpFlow('mcp-registered', { transport: 'registered', name: 'files' }));
    const { exitCode, stderr } = await loomflow('run', path, '--db', newDatabase());
    expect(exitCode).not.toBe(0);
    expect(stderr).toContain('this host has no registered MCP servers');
    expect(stderr).toContain('"echo"');
  });
});

// One process after another per test, none side by side: a BPMN process answered task by task
// from the command line takes several CLI starts, more than the concurrent tests' time limit
// allows on a loaded machine.
describe('BPMN processes across processes', { timeout: 120_000 }, () => {
  it('runs the expense approval example to its end, each user task answered by another process', async () => {
    const db = newDatabase();
    const first = await loomflow('run', 'examples/bpmn/expense-approval.json', '--db', db);
    expect(first.exitCode, first.stderr).toBe(3);
    const threadId = threadOf(first.stderr);
    expect(first.stderr).toContain(`loomflow: thread ${threadId} is waiting for an answer at node "submit-expense"\n`);
    expect(first.stderr).toContain('  form:\n    amount "Amount (EUR)": number, required\n    reason "Reason": string, required\n');
    const answer = async (value: unknown, waitingAt: string | undefined) => {
      const resumed = await loomflow('resume', '--thread', threadId, '--value', JSON.stringify(value), '--db', db);
      if (waitingAt === undefined) {
        expect(resumed.exitCode, resumed.stderr).toBe(0);
        return resumed;
      }
      expect(resumed.exitCode, resumed.stderr).toBe(3);
      expect(resumed.stderr).toContain(`is waiting for an answer at node "${waitingAt}"\n`);
      return resumed;
    };
    await answer({ amount: 6400, reason: 'flights' }, 'manager-approval');
    const director = await answer({ approved: true }, 'director-approval');
    expect(director.stderr).toContain('  candidate groups: directors\n');
    const finance = await answer({ approved: true, comment: 'ok' }, 'finance-approval');
    expect(finance.stderr).toContain('  candidate groups: Finance\n');
    const done = await answer({ approved: true }, undefined);
    expect(JSON.parse(done.stdout)).toEqual({
      approved: true,
      comment: 'ok',
      payout: { status: 'paid', amount: 6400, reason: 'flights' },
      notification: { to: 'employee', text: 'Your expense of 6400 EUR was paid.' },
    });
  });

  it('ends the expense approval early when the manager rejects it', async () => {
    const db = newDatabase();
    const first = await loomflow('run', 'examples/bpmn/expense-approval.json', '--db', db, '--events');
    const threadId = threadOf(first.stderr);
    await loomflow('resume', '--thread', threadId, '--value', '{"amount": 300, "reason": "dinner"}', '--db', db);
    const rejected = await loomflow('resume', '--thread', threadId, '--value', '{"approved": false, "comment": "private"}', '--db', db, '--events');
    expect(rejected.exitCode, rejected.stderr).toBe(0);
    const events = parseEvents(rejected.stdout);
    expect(events.filter((event) => event.type === 'node.completed').map((event) => (event as { nodeId: string }).nodeId)).toEqual(['manager-approval', 'gw-approved', 'end-rejected']);
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', state: { approved: false, comment: 'private' } });
  });

  it('says what a process waits for at a timer, and fires it when resumed', async () => {
    const db = newDatabase();
    const flow = writeScratchFlow('timer.json', {
      schemaVersion: 1,
      id: 'timer',
      name: 'Timer',
      kind: 'bpmn',
      state: { channels: [{ name: 'n', type: 'number' }] },
      nodes: [
        { id: 'start', type: 'bpmn.startEvent', position: at },
        { id: 'wait', type: 'bpmn.intermediateCatchEvent', position: at, config: { eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT5M' } } },
        { id: 'count', type: 'bpmn.scriptTask', position: at, config: { scriptFormat: 'feel', script: 'n + 1', resultVariable: 'n' } },
        { id: 'end', type: 'bpmn.endEvent', position: at },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'wait' },
        { id: 'e2', source: 'wait', target: 'count' },
        { id: 'e3', source: 'count', target: 'end' },
      ],
    });
    const waiting = await loomflow('run', flow, '--input', '{"n": 1}', '--db', db);
    expect(waiting.exitCode, waiting.stderr).toBe(3);
    const threadId = threadOf(waiting.stderr);
    expect(waiting.stderr).toMatch(new RegExp(`loomflow: thread ${threadId} is waiting at node "wait" for its timer \\(PT5M\\), due \\d{4}-\\d\\d-\\d\\dT`));
    expect(waiting.stderr).toContain(`  to fire it now: loomflow resume --thread ${threadId} --db ${db}\n`);
    const fired = await loomflow('resume', '--thread', threadId, '--db', db);
    expect(fired.exitCode, fired.stderr).toBe(0);
    expect(JSON.parse(fired.stdout)).toEqual({ n: 2 });
  });
});
