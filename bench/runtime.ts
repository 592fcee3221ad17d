// Compiled flows vs the same graphs written by hand with @langchain/langgraph, same checkpointer
// (MemorySaver, so storage does not hide the difference) and the same node work (the hand-written
// nodes evaluate the same FEEL expressions with feelin): the ratio shows what compiling a drawing
// adds at run time. Also times the code `loomflow codegen` writes for the same flows against both,
// and compiling generated 1,000- and 10,000-node flows.
import { Annotation, END, MemorySaver, START, Send, StateGraph } from '@langchain/langgraph';
import type { FlowDocumentInput } from '@loomflow/graph-schema';
import { generateProject } from '@loomflow/codegen';
import { FlowRuntime, lowerFlow } from '@loomflow/runtime';
import { mapFlow } from '@loomflow/server/testing/flows';
import { evaluate } from 'feelin';
import { setMaxListeners } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

// LangGraph adds one abort listener per running task to a signal it makes for each step, so the
// hand-written 100-item map (every run) and the wide supersteps printed hundreds of false "memory
// leak" warnings; the server and the CLI raise the bound the same way.
setMaxListeners(1000);

/** The node work of the hand-written graphs: the FEEL a drawn assign node evaluates. */
const feel = (expression: string, context: Record<string, unknown>) => evaluate(expression, context).value as number;

const at = { x: 0, y: 0 };
const ROUNDS = 7;
const RUNS_PER_ROUND = 20;

/**
 * A chain of assignments. For compile times every expression differs, as in a real drawing, so
 * that no cache of parsed expressions flatters the result.
 */
function chainFlow(length: number, expression: (index: number) => string = () => 'count + 1'): FlowDocumentInput {
  const steps = Array.from({ length }, (_, index) => ({
    id: `s${index}`,
    type: 'agent.assign',
    position: at,
    config: { assignments: [{ key: 'count', value: expression(index) }] },
  }));
  const ids = ['start', ...steps.map((step) => step.id), 'end'];
  return {
    schemaVersion: 1,
    id: `chain${length}`,
    name: 'chain',
    kind: 'agent',
    state: { channels: [{ name: 'count', type: 'number', reducer: 'replace' }] },
    nodes: [{ id: 'start', type: 'agent.start', position: at }, ...steps, { id: 'end', type: 'agent.end', position: at }],
    edges: ids.slice(1).map((id, index) => ({ id: `e${index}`, source: ids[index] as string, target: id })),
  };
}

function handChain(length: number) {
  const State = Annotation.Root({ count: Annotation<number>({ reducer: (_, update) => update, default: () => 0 }) });
  const graph = new StateGraph(State);
  graph.addNode('start', () => ({}));
  for (let index = 0; index < length; index += 1) graph.addNode(`s${index}`, (state) => ({ count: feel('count + 1', state) }));
  graph.addNode('end', () => ({}));
  const ids = ['start', ...Array.from({ length }, (_, index) => `s${index}`), 'end'];
  graph.addEdge(START, 'start' as never);
  ids.slice(1).forEach((id, index) => graph.addEdge(ids[index] as never, id as never));
  graph.addEdge('end' as never, END);
  return graph.compile({ checkpointer: new MemorySaver() });
}

const diamondFlow: FlowDocumentInput = {
  schemaVersion: 1,
  id: 'diamond',
  name: 'diamond',
  kind: 'agent',
  state: { channels: [{ name: 'left', type: 'number' }, { name: 'right', type: 'number' }, { name: 'total', type: 'number' }] },
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { id: 'a', type: 'agent.assign', position: at, config: { assignments: [{ key: 'left', value: '1' }] } },
    { id: 'b', type: 'agent.assign', position: at, config: { assignments: [{ key: 'right', value: '2' }] } },
    { id: 'join', type: 'agent.assign', position: at, config: { join: 'all', assignments: [{ key: 'total', value: 'left + right' }] } },
    { id: 'end', type: 'agent.end', position: at },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'a' },
    { id: 'e2', source: 'start', target: 'b' },
    { id: 'e3', source: 'a', target: 'join' },
    { id: 'e4', source: 'b', target: 'join' },
    { id: 'e5', source: 'join', target: 'end' },
  ],
};

/**
 * Diamonds one after another, `count` of them (three nodes each): a fork of two assignments and
 * their join, which normal runs fuse into one chain with its forks (compile times only). Every
 * expression differs, as in chainFlow.
 */
function diamondsFlow(count: number, salt: string): FlowDocumentInput {
  const assign = (id: string, key: string, value: string, join?: 'all') => ({ id, type: 'agent.assign', position: at, config: { ...(join ? { join } : {}), assignments: [{ key, value }] } });
  const nodes: FlowDocumentInput['nodes'] = [{ id: 'start', type: 'agent.start', position: at }];
  const edges: FlowDocumentInput['edges'] = [];
  const edge = (source: string, target: string) => edges.push({ id: `${source}-${target}`, source, target });
  let from = 'start';
  for (let index = 0; index < count; index += 1) {
    nodes.push(assign(`a${index}`, 'left', `total ${salt} ${index}`), assign(`b${index}`, 'right', `total ${salt} ${index + 1}`), assign(`j${index}`, 'total', `left + right ${salt} ${index}`, 'all'));
    edge(from, `a${index}`);
    edge(from, `b${index}`);
    edge(`a${index}`, `j${index}`);
    edge(`b${index}`, `j${index}`);
    from = `j${index}`;
  }
  nodes.push({ id: 'end', type: 'agent.end', position: at });
  edge(from, 'end');
  return { ...diamondFlow, id: `diamonds${count}`, nodes, edges };
}

function handDiamond() {
  const value = () => Annotation<number>({ reducer: (_, update) => update, default: () => 0 });
  const State = Annotation.Root({ left: value(), right: value(), total: value() });
  return new StateGraph(State)
    .addNode('start', () => ({}))
    .addNode('a', (state) => ({ left: feel('1', state) }))
    .addNode('b', (state) => ({ right: feel('2', state) }))
    .addNode('join', (state) => ({ total: feel('left + right', state) }))
    .addNode('end', () => ({}))
    .addEdge(START, 'start')
    .addEdge('start', 'a')
    .addEdge('start', 'b')
    .addEdge(['a', 'b'], 'join')
    .addEdge('join', 'end')
    .addEdge('end', END)
    .compile({ checkpointer: new MemorySaver() });
}

/** The map workload: the same document the server's wide-step test runs. */
const mapDocument = mapFlow('map');

function handMap() {
  const State = Annotation.Root({
    items: Annotation<number[]>({ reducer: (_, update) => update, default: () => [] }),
    parts: Annotation<{ index: number; value: unknown }[]>({ reducer: (current, update) => [...current, ...update], default: () => [] }),
    results: Annotation<unknown[]>({ reducer: (_, update) => update, default: () => [] }),
  });
  return new StateGraph(State)
    .addNode('start', () => ({}))
    .addNode('each', (input: { item: number; index: number }) => ({ parts: [{ index: input.index, value: { doubled: feel('item * 2', input) } }] }))
    .addNode('collect', (state) => ({ results: [...state.parts].sort((left, right) => left.index - right.index).map((part) => part.value) }))
    .addNode('end', () => ({}))
    .addEdge(START, 'start')
    .addConditionalEdges('start', (state) => state.items.map((item, index) => new Send('each', { item, index })))
    .addEdge('each', 'collect')
    .addEdge('collect', 'end')
    .addEdge('end', END)
    .compile({ checkpointer: new MemorySaver() });
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function timeRuns(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < RUNS_PER_ROUND; index += 1) await run();
  return (performance.now() - started) / RUNS_PER_ROUND;
}

/** Alternates the two sides round by round so drift on a shared machine hits both alike. */
async function compare(name: string, loomflow: () => Promise<unknown>, langgraph: () => Promise<unknown>) {
  await loomflow();
  await langgraph();
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    ours.push(await timeRuns(loomflow));
    theirs.push(await timeRuns(langgraph));
  }
  const loomflowMs = median(ours);
  const langgraphMs = median(theirs);
  return [name, { loomflow_ms: round3(loomflowMs), langgraph_ms: round3(langgraphMs), ratio: round3(loomflowMs / langgraphMs) }] as const;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

async function drain(events: AsyncIterable<unknown>): Promise<void> {
  for await (const _event of events) {
    // Consuming the stream is the run.
  }
}

/**
 * The flow written out by the code generator and compiled with the same checkpointer. The project
 * resolves its packages from this folder's node_modules (a symlink); tsx loads its TypeScript.
 */
async function generatedGraph(workspace: string, flow: FlowDocumentInput) {
  const dir = join(workspace, flow.id);
  for (const [path, text] of Object.entries(await generateProject(flow))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  symlinkSync(join(import.meta.dirname, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const { builder } = (await import(join(dir, 'src/graph.ts'))) as { builder: { compile(options: { checkpointer: MemorySaver }): { invoke(input: unknown, config: unknown): Promise<unknown> } } };
  return builder.compile({ checkpointer: new MemorySaver() });
}

/** Three sides, alternated round by round like `compare`. */
async function compareGenerated(name: string, generated: () => Promise<unknown>, loomflow: () => Promise<unknown>, langgraph: () => Promise<unknown>) {
  const sides = [generated, loomflow, langgraph];
  for (const side of sides) await side();
  const times: number[][] = [[], [], []];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [index, side] of sides.entries()) times[index]?.push(await timeRuns(side));
  }
  const [generatedMs, loomflowMs, langgraphMs] = times.map(median) as [number, number, number];
  return [
    name,
    {
      generated_ms: round3(generatedMs),
      loomflow_ms: round3(loomflowMs),
      langgraph_ms: round3(langgraphMs),
      generated_vs_loomflow: round3(generatedMs / loomflowMs),
      generated_vs_handwritten: round3(generatedMs / langgraphMs),
    },
  ] as const;
}

/**
 * One superstep of N parallel tasks: the map above over N items, one run per size (the largest
 * takes seconds). Linear time means the 10,000-item run takes at most 20× the 500-item one.
 */
async function wideSuperstep(runtime: FlowRuntime) {
  const compiled = runtime.compile(mapDocument);
  const sizes = [500, 2000, 10000] as const;
  await drain(compiled.run({ items: [1, 2, 3] }));
  const times: Record<string, number> = {};
  for (const size of sizes) {
    const started = performance.now();
    await drain(compiled.run({ items: Array.from({ length: size }, (_, index) => index) }));
    times[`items_${size}_ms`] = round3(performance.now() - started);
  }
  const ratio = (times.items_10000_ms as number) / (times.items_500_ms as number);
  return { ...times, ratio_10000_vs_500: round3(ratio), ratio_target: 20 };
}

let thread = 0;
const nextThread = () => ({ configurable: { thread_id: `bench-${(thread += 1)}` }, recursionLimit: 1000 });

async function main(): Promise<void> {
  const runtime = new FlowRuntime({ checkpointer: new MemorySaver() });
  const items = Array.from({ length: 100 }, (_, index) => index);
  const workloads = [
    ['chain_10', chainFlow(10), handChain(10), { count: 0 }],
    ['chain_50', chainFlow(50), handChain(50), { count: 0 }],
    ['diamond_join', diamondFlow, handDiamond(), {}],
    ['map_100', mapDocument, handMap(), { items }],
  ] as const;

  const results: Record<string, unknown> = {};
  for (const [name, flow, hand, input] of workloads) {
    const compiled = runtime.compile(flow);
    const [key, value] = await compare(
      name,
      () => drain(compiled.run({ ...input })),
      () => hand.invoke({ ...input } as never, nextThread()),
    );
    results[key] = value;
  }

  const workspace = mkdtempSync(join(tmpdir(), 'loomflow-bench-codegen-'));
  const generatedResults: Record<string, unknown> = {};
  try {
    for (const [name, flow, hand, input] of workloads) {
      const compiled = runtime.compile(flow);
      const generated = await generatedGraph(workspace, flow);
      const [key, value] = await compareGenerated(
        name,
        () => generated.invoke({ ...input }, nextThread()),
        () => drain(compiled.run({ ...input })),
        () => hand.invoke({ ...input } as never, nextThread()),
      );
      generatedResults[key] = value;
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }

  // Each measurement gets expressions no earlier one parsed.
  const compileTimes: Record<string, number> = {};
  for (const size of [1000, 10000]) {
    let started = performance.now();
    runtime.compile(chainFlow(size, (index) => `count + ${index}`));
    compileTimes[`nodes_${size}`] = round3(performance.now() - started);
    started = performance.now();
    lowerFlow(chainFlow(size, (index) => `count - ${index}`));
    compileTimes[`nodes_${size}_validate_and_lower`] = round3(performance.now() - started);
  }
  // About 10,000 nodes in forks: lowering looks for forks too, and the graph runs them in one chain.
  let started = performance.now();
  runtime.compile(diamondsFlow(3333, '+'));
  compileTimes.forks_10000 = round3(performance.now() - started);
  started = performance.now();
  lowerFlow(diamondsFlow(3333, '-'));
  compileTimes.forks_10000_validate_and_lower = round3(performance.now() - started);

  const wide = await wideSuperstep(runtime);

  console.log(JSON.stringify({ peer: '@langchain/langgraph hand-written StateGraph, MemorySaver', runtime: results, wide_superstep: wide, generated_code: generatedResults, compile_ms: compileTimes }, null, 2));
}

await main();
