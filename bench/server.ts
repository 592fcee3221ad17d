// The server under load: 200 runs of a 10-node deterministic flow started at once over HTTP against
// one server process (the real bundle, a file database), each followed over SSE. Baseline: the
// same 200 runs in this process with FlowRuntime and LibsqlSaver on a file database, no HTTP, so
// the ratio is what the server adds (HTTP, run bookkeeping, event storage, SSE). Beside the 202
// latency it reports its floor: the same 200 requests at once answered without starting a run.
// Then the case worker threads are for: /api/health and a 202 asked for while one run's
// 10,000-wide step executes. Both are measured with runs on the server's worker threads (its
// default) and on the HTTP thread (LOOMFLOW_RUN_WORKERS=0). The bursts are sent by node:http with
// keep-alive connections, as a proxy in front of the server would: the same 200 requests through
// fetch cost this 2-core machine's client more than a bare server takes to answer them. A bare
// node:http server answering the same burst gives the machine's own floor. Prints JSON.
// LOOMFLOW_BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the server process there (node's
// --cpu-prof, which NODE_OPTIONS does not accept); LOOMFLOW_BENCH_SERVER_BUNDLE=<file> runs that
// server bundle instead of one built from this checkout (to compare two builds).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { LibsqlSaver, openLibsqlClient } from '@loomflow/checkpoint-libsql';
import { FlowRuntime } from '@loomflow/runtime';
import { chainFlow, mapFlow } from '@loomflow/server/testing/flows';
import { buildServerBundle, startServerProcess } from '@loomflow/server/testing/server-process';
import { readSse } from '@loomflow/server/testing/sse';
import { probeWhileRunning } from '@loomflow/server/testing/while-running';

const RUNS = 200;
const NODES = 10;
const WIDTH = 10_000;
const flow = chainFlow('bench-chain', NODES - 2);
const jsonPost = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** Keeps one connection per request of a burst open between bursts. */
const agent = new Agent({ keepAlive: true, maxSockets: RUNS });

/** POSTs JSON over a kept-alive connection; resolves with the status, the body and the time taken. */
function postJson(url: string, body: unknown): Promise<{ status: number; body: string; ms: number }> {
  const sent = performance.now();
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - sent }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** GETs a response body over a kept-alive connection, as node:http reads it (for an event stream). */
function getStream(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      if (res.statusCode === 200) return resolve(res);
      // Read to its end, so that the connection goes back to the agent.
      res.resume();
      reject(new Error(`GET ${url} answered ${res.statusCode}`));
    });
    req.on('error', reject);
    req.end();
  });
}

/** RUNS POSTs at once to `url`, each expected to answer `status`; twice, the first to warm up. */
async function burst(url: string, status: number): Promise<number[]> {
  let latencies: number[] = [];
  for (let round = 0; round < 2; round += 1) {
    const answers = await Promise.all(Array.from({ length: RUNS }, () => postJson(url, { input: { count: 0 } })));
    const wrong = answers.find((answer) => answer.status !== status);
    if (wrong) throw new Error(`a request of the burst to ${url} got ${wrong.status}, not ${status}: ${wrong.body}`);
    latencies = answers.map((answer) => answer.ms);
  }
  return latencies;
}

/**
 * The machine's floor: a bare node:http server in its own process that reads each body, parses it
 * and answers 404, sent the same burst by the same client.
 */
async function bareFloor() {
  const source = `require('node:http').createServer((req, res) => { let body = ''; req.on('data', (chunk) => (body += chunk)); req.on('end', () => { JSON.parse(body); res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"code":"not_found"}'); }); }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (data: Buffer) => resolve(String(data).trim()));
      child.once('exit', (code) => reject(new Error(`the bare server exited with ${code}`)));
    });
    const latencies = await burst(`http://127.0.0.1:${port}/api/flows/bench-none/runs`, 404);
    return { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) };
  } finally {
    child.kill();
  }
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number((sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0).toFixed(1));
}

/** USER_HZ, the unit of /proc CPU times: 100 on Linux for every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system) a process has used, in ms (Linux /proc). Wall time on a machine shared
 * with other work swings with the load; CPU time per run much less.
 */
function cpuMsOf(pid: number, thread?: number): number {
  // utime and stime: fields 14 and 15 of /proc/<pid>/stat, counted after the command name. A
  // thread's own are in /proc/<pid>/task/<tid>/stat; the main thread's tid is the pid.
  const path = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
  const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Peak and current resident memory of a process, in MB (Linux /proc). */
function memoryOf(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
}

async function overHttp(dir: string, bundle: string, runWorkers: string | undefined) {
  const profileDir = process.env.LOOMFLOW_BENCH_CPU_PROF;
  const child = await startServerProcess({
    bundle,
    databaseUrl: pathToFileURL(join(dir, `server-${runWorkers ?? 'default'}.db`)).href,
    ...(runWorkers === undefined ? {} : { env: { LOOMFLOW_RUN_WORKERS: runWorkers } }),
    ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
  });
  try {
    const created = await fetch(`${child.url}/api/flows`, jsonPost(flow));
    if (created.status !== 201) throw new Error(`creating the flow failed: ${created.status} ${await created.text()}`);
    // The floor: the same 200 POSTs at once for a flow that does not exist. Each passes the same
    // guards, validation and flow lookup and is answered 404, with no run behind it, so what the
    // 202s take beyond this is what the runs cost them. Once to warm the server up, once measured.
    const floor = await burst(`${child.url}/api/flows/bench-none/runs`, 404);
    const idleMemory = memoryOf(child.child.pid as number);
    // A server lives long: the first burst warms it (its code compiled, its caches filled), the
    // second is measured, as the in-process side does.
    await runBurst(child.url, child.child.pid as number);
    const measured = await runBurst(child.url, child.child.pid as number);
    const { accepted, firstEvent, completed, seconds } = measured;
    const duringWideStep = await whileWideStepRuns(child.url);
    return {
      runsPerSecond: Number((RUNS / seconds).toFixed(1)),
      wallSeconds: Number(seconds.toFixed(2)),
      serverCpuMsPerRun: Number((measured.serverCpuMs / RUNS).toFixed(2)),
      serverMainThreadCpuMsPerRun: Number((measured.mainThreadCpuMs / RUNS).toFixed(2)),
      // The client shares this machine's two cores with the server: what it takes, the server lacks.
      clientCpuMsPerRun: Number((measured.clientCpuMs / RUNS).toFixed(2)),
      acceptedMs: { p50: percentile(accepted, 0.5), p95: percentile(accepted, 0.95) },
      floorMs: { p50: percentile(floor, 0.5), p95: percentile(floor, 0.95) },
      firstEventMs: { p50: percentile(firstEvent, 0.5), p95: percentile(firstEvent, 0.95) },
      completedMs: { p50: percentile(completed, 0.5), p95: percentile(completed, 0.95) },
      serverMemory: { idle: idleMemory, afterRuns: memoryOf(child.child.pid as number) },
      duringWideStep,
    };
  } finally {
    await child.stop();
  }
}

/**
 * RUNS runs started at once over HTTP, each followed over SSE from its POST to `run.completed`;
 * with the server's CPU time (all of it, and its HTTP thread's) and this client's.
 */
async function runBurst(url: string, pid: number) {
  const cpuBefore = cpuMsOf(pid);
  const mainThreadBefore = cpuMsOf(pid, pid);
  const clientCpuBefore = process.cpuUsage();
  const accepted: number[] = [];
  const firstEvent: number[] = [];
  const completed: number[] = [];
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: RUNS }, async () => {
      const posted = performance.now();
      const started = await postJson(`${url}/api/flows/bench-chain/runs`, { input: { count: 0 } });
      if (started.status !== 202) throw new Error(`starting a run failed: ${started.status} ${started.body}`);
      accepted.push(started.ms);
      const { runId } = JSON.parse(started.body) as { runId: string };
      let first = true;
      for await (const message of readSse(await getStream(`${url}/api/runs/${runId}/events`))) {
        // A queued run's stream opens with `run.queued`, which is no run event (it has no id).
        if (message.id === undefined) continue;
        if (first) firstEvent.push(performance.now() - posted);
        first = false;
        if (message.event === 'run.completed') completed.push(performance.now() - posted);
        if (message.event === 'run.failed') throw new Error(`a run failed: ${message.data}`);
      }
    }),
  );
  const seconds = (performance.now() - startedAt) / 1000;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  if (completed.length !== RUNS) throw new Error(`${completed.length} of ${RUNS} runs completed`);
  return {
    accepted,
    firstEvent,
    completed,
    seconds,
    serverCpuMs: cpuMsOf(pid) - cpuBefore,
    mainThreadCpuMs: cpuMsOf(pid, pid) - mainThreadBefore,
    clientCpuMs: (clientCpu.user + clientCpu.system) / 1000,
  };
}

/**
 * One run whose one step is WIDTH tasks wide; while it runs, one client asks for /api/health and
 * then starts a small run, in turn, and each answer counts if the wide run was still running.
 */
async function whileWideStepRuns(url: string) {
  const created = await fetch(`${url}/api/flows`, jsonPost(mapFlow('bench-wide')));
  if (created.status !== 201) throw new Error(`creating the wide flow failed: ${created.status} ${await created.text()}`);
  const started = await fetch(`${url}/api/flows/bench-wide/runs`, jsonPost({ input: { items: Array.from({ length: WIDTH }, (_, index) => index) } }));
  const { runId } = (await started.json()) as { runId: string };
  const health: number[] = [];
  const accepted: number[] = [];
  const { status, latencies } = await probeWhileRunning(url, runId, async () => {
    let sent = performance.now();
    await (await fetch(`${url}/api/health`)).arrayBuffer();
    health.push(performance.now() - sent);
    sent = performance.now();
    const res = await fetch(`${url}/api/flows/bench-chain/runs`, jsonPost({ input: { count: 0 } }));
    if (res.status !== 202) throw new Error(`starting a run beside the wide one failed: ${res.status}`);
    await res.arrayBuffer();
    accepted.push(performance.now() - sent);
  });
  if (status !== 'completed') throw new Error(`the wide run ended ${status}`);
  // The probes that counted are the first ones: the last is dropped when the run had ended by then.
  health.length = latencies.length;
  accepted.length = latencies.length;
  return {
    answers: health.length,
    healthMs: { p50: percentile(health, 0.5), p95: percentile(health, 0.95), max: percentile(health, 1) },
    acceptedMs: { p50: percentile(accepted, 0.5), p95: percentile(accepted, 0.95), max: percentile(accepted, 1) },
  };
}

async function inProcess(dir: string) {
  const client = await openLibsqlClient(pathToFileURL(join(dir, 'in-process.db')).href);
  try {
    const compiled = new FlowRuntime({ checkpointer: new LibsqlSaver(client) }).compile(flow);
    const burstOfRuns = async () => {
      const completed: number[] = [];
      const cpuBefore = process.cpuUsage();
      const startedAt = performance.now();
      await Promise.all(
        Array.from({ length: RUNS }, async () => {
          const begun = performance.now();
          for await (const event of compiled.run({ count: 0 })) {
            if (event.type === 'run.completed') completed.push(performance.now() - begun);
            if (event.type === 'run.failed') throw new Error(`a run failed: ${event.error.message}`);
          }
        }),
      );
      return { completed, seconds: (performance.now() - startedAt) / 1000, cpu: process.cpuUsage(cpuBefore) };
    };
    // Warmed up by one burst, as the server is.
    await burstOfRuns();
    const { completed, seconds, cpu } = await burstOfRuns();
    return {
      runsPerSecond: Number((RUNS / seconds).toFixed(1)),
      wallSeconds: Number(seconds.toFixed(2)),
      cpuMsPerRun: Number(((cpu.user + cpu.system) / 1000 / RUNS).toFixed(2)),
      completedMs: { p50: percentile(completed, 0.5), p95: percentile(completed, 0.95) },
    };
  } finally {
    client.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'loomflow-bench-server-'));
const given = process.env.LOOMFLOW_BENCH_SERVER_BUNDLE;
const server = given ? { bundle: given, dispose: () => undefined } : buildServerBundle();
try {
  const machineFloorMs = await bareFloor();
  const http = await overHttp(dir, server.bundle, undefined);
  const httpThread = await overHttp(dir, server.bundle, '0');
  const baseline = await inProcess(dir);
  console.log(
    JSON.stringify(
      {
        benchmark: 'server',
        runs: RUNS,
        nodesPerFlow: NODES,
        http,
        runsOnHttpThread: httpThread,
        inProcessFlowRuntime: baseline,
        bareServerFloorMs: machineFloorMs,
        ratio: {
          runsPerSecondVsInProcess: Number((http.runsPerSecond / baseline.runsPerSecond).toFixed(2)),
          p50CompletedVsInProcess: Number((http.completedMs.p50 / baseline.completedMs.p50).toFixed(2)),
          cpuPerRunVsInProcess: Number((http.serverCpuMsPerRun / baseline.cpuMsPerRun).toFixed(2)),
          acceptedP95VsFloorP95: Number((http.acceptedMs.p95 / http.floorMs.p95).toFixed(2)),
          acceptedP95VsBareServerP95: Number((http.acceptedMs.p95 / machineFloorMs.p95).toFixed(2)),
          runsPerSecondWorkersVsHttpThread: Number((http.runsPerSecond / httpThread.runsPerSecond).toFixed(2)),
          duringWideStepHealthP95WorkersVsHttpThread: Number((http.duringWideStep.healthMs.p95 / httpThread.duringWideStep.healthMs.p95).toFixed(2)),
          duringWideStepAcceptedP95WorkersVsHttpThread: Number((http.duringWideStep.acceptedMs.p95 / httpThread.duringWideStep.acceptedMs.p95).toFixed(2)),
        },
        node: process.version,
      },
      null,
      2,
    ),
  );
} finally {
  agent.destroy();
  server.dispose();
  rmSync(dir, { recursive: true, force: true });
}
