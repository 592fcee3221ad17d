// `pnpm bench:bpmn`: BPMN processes and BPMN files against named peers (issue 12).
// (a) Instances per second of one BPMN file, Loomflow (imported by @loomflow/bpmn, compiled by
//     @loomflow/runtime, checkpointed by LibsqlSaver on a database file with `durability: 'sync'`,
//     as the server runs it; also on MemorySaver for comparison) against
//     bpmn-engine 25, one after another and 100 at once. Target: Loomflow ≥ 2× bpmn-engine.
// (b) Import + export of generated 1,000- and 4,000-node diagrams with DI by @loomflow/bpmn against
//     bpmn-moddle's bare fromXML + toXML of the same files. Target: Loomflow ≤ 1.5× bpmn-moddle.
// The workloads are in bpmn-workloads.ts, checked by bpmn-workloads.test.ts. Prints JSON.
import { MemorySaver } from '@langchain/langgraph';
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import { FlowRuntime } from '@loomflow/runtime';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  bigOrder,
  countFlowElements,
  generatedDiagramXml,
  loomflowProcess,
  loomflowRoundTrip,
  loomflowServiceTasks,
  moddleRoundTrip,
  runBpmnEngine,
  runLoomflow,
  smallOrder,
  type EndEventId,
} from './bpmn-workloads';

const ROUNDS = 5;
const SEQUENTIAL_PER_ROUND = 100;
const CONCURRENT = 100;
const DIAGRAM_SIZES = [1000, 4000];
const DIAGRAM_ROUNDS = 15;
/**
 * Round trips of each side before the measured ones. With one, our import and export (several
 * times moddle's code) were still being optimised by V8 on background threads during the
 * measured rounds: CPU time was 1.6 times wall time at 1,000 nodes, against 1.2 for moddle. That
 * is start-up, not what a round trip costs a running server.
 */
const DIAGRAM_WARM_UP_ROUNDS = 5;

const round3 = (value: number) => Math.round(value * 1000) / 1000;
function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Half the instances take each branch of the gateway. */
const orderOf = (index: number) => (index % 2 === 0 ? bigOrder : smallOrder);

type Runner = (input: Readonly<Record<string, unknown>>) => Promise<EndEventId>;

interface Measure {
  readonly perSecond: number;
  /** CPU time of this process per instance (user + system), steadier than wall time when shared. */
  readonly cpuMsPerInstance: number;
}

async function measure(instances: number, batch: (count: number) => Promise<unknown>): Promise<Measure> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await batch(instances);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { perSecond: instances / seconds, cpuMsPerInstance: (used.user + used.system) / 1000 / instances };
}

const sequential = (run: Runner) => async (count: number) => {
  for (let index = 0; index < count; index += 1) await run(orderOf(index));
};
const concurrent = (run: Runner) => (count: number) => Promise.all(Array.from({ length: count }, (_, index) => run(orderOf(index))));

/** Alternates the sides round by round so that drift on a shared machine hits all of them alike. */
async function rounds(sides: Record<string, (count: number) => Promise<unknown>>, instances: number) {
  const results: Record<string, Measure[]> = Object.fromEntries(Object.keys(sides).map((name) => [name, []]));
  for (const batch of Object.values(sides)) await batch(10);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, batch] of Object.entries(sides)) results[name]?.push(await measure(instances, batch));
  }
  return Object.fromEntries(
    Object.entries(results).map(([name, measures]) => [
      name,
      { instances_per_s: round3(median(measures.map((entry) => entry.perSecond))), cpu_ms_per_instance: round3(median(measures.map((entry) => entry.cpuMsPerInstance))) },
    ]),
  ) as Record<string, { instances_per_s: number; cpu_ms_per_instance: number }>;
}

async function processes() {
  const dir = mkdtempSync(join(tmpdir(), 'loomflow-bench-bpmn-'));
  const saver = await LibsqlSaver.open(`file:${join(dir, 'runs.db')}`);
  try {
    const libsql = await loomflowProcess(new FlowRuntime({ checkpointer: saver, serviceTasks: loomflowServiceTasks }));
    const memory = await loomflowProcess(new FlowRuntime({ checkpointer: new MemorySaver(), serviceTasks: loomflowServiceTasks }));
    const runners: Record<string, Runner> = {
      loomflow_libsql: (input) => runLoomflow(libsql, input, 'sync'),
      loomflow_memory: (input) => runLoomflow(memory, input),
      bpmn_engine: runBpmnEngine,
    };
    const result: Record<string, unknown> = {};
    for (const [mode, make, instances] of [
      ['sequential', sequential, SEQUENTIAL_PER_ROUND],
      ['concurrent_100', concurrent, CONCURRENT],
    ] as const) {
      const sides = await rounds(Object.fromEntries(Object.entries(runners).map(([name, run]) => [name, make(run)])), instances);
      const peer = sides.bpmn_engine?.instances_per_s ?? Number.NaN;
      result[mode] = {
        ...sides,
        ratio: round3((sides.loomflow_libsql?.instances_per_s ?? Number.NaN) / peer),
        ratio_memory_saver: round3((sides.loomflow_memory?.instances_per_s ?? Number.NaN) / peer),
      };
    }
    return result;
  } finally {
    await saver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall and CPU milliseconds of one piece of work (CPU time is steadier on a shared machine). */
async function timeOnce(work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000 };
}

async function diagrams() {
  const result: Record<string, unknown> = {};
  for (const size of DIAGRAM_SIZES) {
    const xml = generatedDiagramXml(size);
    const ours: { wall: number; cpu: number }[] = [];
    const theirs: { wall: number; cpu: number }[] = [];
    for (let round = 0; round < DIAGRAM_WARM_UP_ROUNDS; round += 1) {
      await loomflowRoundTrip(xml);
      await moddleRoundTrip(xml);
    }
    for (let round = 0; round < DIAGRAM_ROUNDS; round += 1) {
      ours.push(await timeOnce(() => loomflowRoundTrip(xml)));
      theirs.push(await timeOnce(() => moddleRoundTrip(xml)));
    }
    const [loomflowMs, moddleMs] = [ours, theirs].map((times) => median(times.map((time) => time.wall))) as [number, number];
    const [loomflowCpu, moddleCpu] = [ours, theirs].map((times) => median(times.map((time) => time.cpu))) as [number, number];
    result[`nodes_${size}`] = {
      elements: countFlowElements(xml),
      xml_bytes: Buffer.byteLength(xml),
      loomflow_ms: round3(loomflowMs),
      bpmn_moddle_ms: round3(moddleMs),
      ratio: round3(loomflowMs / moddleMs),
      loomflow_cpu_ms: round3(loomflowCpu),
      bpmn_moddle_cpu_ms: round3(moddleCpu),
      ratio_cpu: round3(loomflowCpu / moddleCpu),
    };
  }
  return result;
}

async function main(): Promise<void> {
  const instances = await processes();
  const roundTrip = await diagrams();
  console.log(
    JSON.stringify(
      {
        peers: {
          processes: 'bpmn-engine 25.0.1 (in memory, no persistence); ratio = Loomflow on LibsqlSaver (file database, durability sync, as the server) / bpmn-engine, instances per second; target >= 2',
          diagrams: 'bpmn-moddle 10.3.1 bare fromXML + toXML; ratio = Loomflow import + export / bpmn-moddle, milliseconds; target <= 1.5',
        },
        processes: instances,
        diagrams: roundTrip,
      },
      null,
      2,
    ),
  );
}

await main();
