// ReAct against the local OpenAI-protocol server with instant replies: what Loomflow's agent.react
// costs per iteration (one model turn, and the tool call it asks for) against the same loop
// written by hand with LangGraph, with the same model client (ChatOpenAI, streamed) and the same
// tool work (one GET to a loopback endpoint, on a connection of its own). The servers run in a
// child process (react-server.ts), so that neither side's time includes serving the other's
// requests or its own on the same event loop.
import { AIMessage, type AIMessageChunk, HumanMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { END, MemorySaver, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { ToolNode, toolsCondition } from '@langchain/langgraph/prebuilt';
import { ChatOpenAI } from '@langchain/openai';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import type { ScriptedReply } from '@loomflow/openai-test-server';
import { FlowRuntime, createModelFactory } from '@loomflow/runtime';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Agent, fetch } from 'undici';
import type { QueueMessage, ServerMessage } from './react-server';

const ITERATIONS = [2, 5, 10] as const;
const ROUNDS = 7;
/** Model turns per side per round, whatever N: short runs are repeated more. */
const TURNS_PER_ROUND = 40;
const MODEL = 'test-model';
const KEY = 'sk-bench-key';
const at = { x: 0, y: 0 };

const parameters = { type: 'object' as const, properties: { city: { type: 'string' as const } }, required: ['city'] };
const DESCRIPTION = 'The forecast for a city';

/** N-1 turns that call the tool, then the answer. */
const script = (iterations: number): ScriptedReply[] => [
  ...Array.from({ length: iterations - 1 }, (_, index) => ({ toolCalls: [{ name: 'get_weather', args: { city: `City ${index}` }, id: `call_${index}` }] })),
  { text: 'Sunny everywhere, 21 degrees.' },
];

/** start → agent.react (openai-compatible, a credential whose provider gives the address, one HTTP tool) → end. */
function reactFlow(toolUrl: string): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id: 'bench-react',
    name: 'ReAct',
    kind: 'agent',
    state: { channels: [{ name: 'question', type: 'string' }, { name: 'messages', type: 'messages', reducer: 'messages' }] },
    nodes: [
      { id: 'start', type: 'agent.start', position: at },
      {
        id: 'agent',
        type: 'agent.react',
        position: at,
        config: {
          model: { provider: 'openai-compatible', model: MODEL, credential: 'local' },
          systemPrompt: '',
          prompt: '{{question}}',
          tools: [{ kind: 'http', name: 'get_weather', description: DESCRIPTION, parameters, url: toolUrl, allowHosts: ['127.0.0.1'] }],
          maxIterations: 20,
        },
      },
      { id: 'end', type: 'agent.end', position: at },
    ],
    edges: [
      { id: 'e0', source: 'start', target: 'agent' },
      { id: 'e1', source: 'agent', target: 'end' },
    ],
  };
}

/**
 * The same loop by hand: a model node and LangGraph's ToolNode, routed by toolsCondition (the
 * graph createReactAgent builds, which agent.react runs as its subgraph). The model streams,
 * as agent.react's does, and the reply is the chunks put together.
 */
function handReact(baseUrl: string, toolUrl: string) {
  const getWeather = tool(
    async ({ city }: { city: string }) => {
      // A connection of its own per request, as the http tool's guarded dispatcher makes.
      const dispatcher = new Agent();
      try {
        const url = new URL(toolUrl);
        url.searchParams.set('city', city);
        const response = await fetch(url, { signal: AbortSignal.timeout(10_000), dispatcher });
        return JSON.stringify(await response.json());
      } finally {
        await dispatcher.destroy();
      }
    },
    { name: 'get_weather', description: DESCRIPTION, schema: parameters },
  );
  const model = new ChatOpenAI({ model: MODEL, apiKey: KEY, configuration: { baseURL: baseUrl }, maxRetries: 0, streaming: true, streamUsage: true }).bindTools([getWeather]);
  return new StateGraph(MessagesAnnotation)
    .addNode('agent', async (state) => {
      let reply: AIMessageChunk | undefined;
      for await (const chunk of await model.stream(state.messages)) reply = reply ? reply.concat(chunk) : chunk;
      // Without the reply's id: the test server gives every reply the same one, and the messages
      // reducer would take the next reply for an edit of the first.
      return { messages: [new AIMessage({ content: reply?.content ?? '', tool_calls: reply?.tool_calls ?? [], ...(reply?.usage_metadata ? { usage_metadata: reply.usage_metadata } : {}) })] };
    })
    .addNode('tools', new ToolNode([getWeather]))
    .addEdge(START, 'agent')
    .addConditionalEdges('agent', toolsCondition, ['tools', END])
    .addEdge('tools', 'agent')
    .compile({ checkpointer: new MemorySaver() });
}

/** The servers' process, and a way to queue one run's replies in it. */
async function startServers() {
  const child = fork(fileURLToPath(new URL('./react-server.ts', import.meta.url)), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [ready] = (await once(child, 'message')) as [Extract<ServerMessage, { type: 'ready' }>];
  let expected = 0;
  return {
    ...ready,
    /** Queues a run's replies, after checking that the previous run asked for exactly its own. */
    async queue(replies: ScriptedReply[]): Promise<void> {
      child.send({ replies } satisfies QueueMessage);
      const [answer] = (await once(child, 'message')) as [Extract<ServerMessage, { type: 'queued' }>];
      if (answer.requestsSinceLast !== expected) throw new Error(`a run made ${answer.requestsSinceLast} model requests, not ${expected}`);
      expected = replies.length;
    },
    close: () => child.disconnect(),
  };
}

const median = (values: readonly number[]) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)] as number;
const round3 = (value: number) => Math.round(value * 1000) / 1000;

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Runs that each take `iterations` turns, each queued before its clock starts; time and CPU per turn. */
async function timeRuns(queue: (replies: ScriptedReply[]) => Promise<void>, iterations: number, run: () => Promise<void>): Promise<Sample> {
  const runs = Math.ceil(TURNS_PER_ROUND / iterations);
  let wallMs = 0;
  let cpuMicros = 0;
  for (let index = 0; index < runs; index += 1) {
    await queue(script(iterations));
    const cpu = process.cpuUsage();
    const started = performance.now();
    await run();
    wallMs += performance.now() - started;
    const used = process.cpuUsage(cpu);
    cpuMicros += used.user + used.system;
  }
  const turns = runs * iterations;
  return { wallMs: wallMs / turns, cpuMs: cpuMicros / 1000 / turns };
}

export async function benchReact() {
  const servers = await startServers();
  try {
    const runtime = new FlowRuntime({
      checkpointer: new MemorySaver(),
      hostServices: {
        models: createModelFactory({ resolveProvider: async (name) => (name === 'local' ? { baseUrl: servers.baseUrl } : undefined) }),
        credentials: { resolve: async (name) => (name === 'local' ? KEY : undefined) },
      },
    });
    const compiled = runtime.compile(reactFlow(servers.toolUrl));
    const hand = handReact(servers.baseUrl, servers.toolUrl);
    let thread = 0;

    const loomflow = async () => {
      let last: RunEvent | undefined;
      let toolErrors = 0;
      for await (const event of compiled.run({ question: 'What is the weather?' })) {
        last = event;
        if (event.type === 'tool.result' && event.isError) toolErrors += 1;
      }
      if (last?.type !== 'run.completed' || toolErrors > 0) throw new Error(`the Loomflow run did not complete cleanly: ${JSON.stringify(last)}`);
    };
    const langgraph = async () => {
      const result = await hand.invoke({ messages: [new HumanMessage('What is the weather?')] }, { configurable: { thread_id: `bench-react-${(thread += 1)}` }, recursionLimit: 100 });
      if (result.messages.some((message) => message.getType() === 'tool' && String(message.content).startsWith('Error'))) throw new Error('a hand-written tool call failed');
    };

    const medians = new Map<number, { ours: Sample; theirs: Sample }>();
    for (const iterations of ITERATIONS) {
      // Once each first, so that neither side pays for loading and warming alone.
      await timeRuns(servers.queue, iterations, loomflow);
      await timeRuns(servers.queue, iterations, langgraph);
      const ours: Sample[] = [];
      const theirs: Sample[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        ours.push(await timeRuns(servers.queue, iterations, loomflow));
        theirs.push(await timeRuns(servers.queue, iterations, langgraph));
      }
      const middle = (samples: Sample[]): Sample => ({ wallMs: median(samples.map((each) => each.wallMs)), cpuMs: median(samples.map((each) => each.cpuMs)) });
      medians.set(iterations, { ours: middle(ours), theirs: middle(theirs) });
    }
    const figures = (ours: Sample, theirs: Sample) => ({
      loomflow_ms_per_iteration: round3(ours.wallMs),
      langgraph_ms_per_iteration: round3(theirs.wallMs),
      ratio: round3(ours.wallMs / theirs.wallMs),
      loomflow_cpu_ms_per_iteration: round3(ours.cpuMs),
      langgraph_cpu_ms_per_iteration: round3(theirs.cpuMs),
      cpu_ratio: round3(ours.cpuMs / theirs.cpuMs),
    });
    // What one more iteration costs, the run's fixed part (start and end, building the agent)
    // left out: the slope between the shortest and the longest runs.
    const [fewest, most] = [ITERATIONS[0], ITERATIONS[ITERATIONS.length - 1]] as [number, number];
    const slope = (side: 'ours' | 'theirs', key: keyof Sample) => {
      const run = (iterations: number) => (medians.get(iterations)?.[side][key] ?? 0) * iterations;
      return (run(most) - run(fewest)) / (most - fewest);
    };
    return {
      peer: '@langchain/langgraph hand-written StateGraph (model node streaming ChatOpenAI, prebuilt ToolNode, toolsCondition), MemorySaver',
      tool: 'GET to a loopback endpoint on a connection of its own (Loomflow: an http tool)',
      ...figures({ wallMs: slope('ours', 'wallMs'), cpuMs: slope('ours', 'cpuMs') }, { wallMs: slope('theirs', 'wallMs'), cpuMs: slope('theirs', 'cpuMs') }),
      by_iterations: Object.fromEntries([...medians].map(([iterations, { ours, theirs }]) => [iterations, figures(ours, theirs)])),
    };
  } finally {
    servers.close();
  }
}
