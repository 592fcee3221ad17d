// BPMN activities that run more than once: multi-instance markers (parallel and sequential, over a
// collection or a cardinality, with a completion condition) and standard loops. The builder hands
// such a node here instead of adding it as one graph node; this module adds its graph nodes:
//
//   parallel / sequential multi-instance:  <node> ─Send─► <node>#instance ─► <node>#done ─► successors
//   standard loop:                         <node> ─Command(goto self)─┐ └─► <node>#done ─► successors
//
// Parallel instances are LangGraph Sends from one step (as the agent map fans out), so parallel
// user tasks interrupt at once and each becomes a task of its own. Instances write no process
// variables themselves: each gives its output element, collected in element order into the
// output collection, so parallel instances never race on a variable. A standard loop's iterations
// are the activity itself again, so they write variables as the activity would.
//
// Early completion of parallel user tasks (或签: the first approval wins) is decided when an answer
// comes (`instancesClosedBy`): the other open instances are answered with a withdrawal, so the step
// they wait in can end; LangGraph ends a step only once every task of it has.
import { Annotation, Command, Send, interrupt, type BaseChannel, type LangGraphRunnableConfig } from '@langchain/langgraph';
import { DEFAULT_MAX_LOOP_ITERATIONS, type LoopConfig } from '@loomflow/graph-schema';
import { validateAnswer } from './answer-schema';
import { reducerOf } from './channels';
import { DETERMINISTIC, NodeExecutionError } from './errors';
import { userTaskRequest } from './executors/bpmn';
import type { ExecutionResult, Executor, State } from './executors/executor';
import { evaluateFeel } from './feel-eval';
import type { ChannelIR, FlowIR, NodeIR } from './ir';

type MultiInstance = Extract<LoopConfig, { type: 'multiInstance' }>;
type StandardLoop = Extract<LoopConfig, { type: 'standard' }>;

export const loopOf = (node: NodeIR): LoopConfig | undefined => node.config.loop as LoopConfig | undefined;

/** The graph node control leaves a looping activity from. */
export const loopExit = (graphName: string) => `${graphName}#done`;
const instanceNode = (graphName: string) => `${graphName}#instance`;

/**
 * The answer the runtime gives an open instance that a completion condition closed. Internal
 * (the runtime's channel prefix), so a form never asks for it.
 */
export const WITHDRAWN = { __loomflow_withdrawn: true } as const;
const isWithdrawn = (value: unknown) => typeof value === 'object' && value !== null && (value as Record<string, unknown>).__loomflow_withdrawn === true;

/** What a parallel user task instance adds to its human request, so an answer can be weighed before it is given. */
interface InstanceMark {
  readonly index: number;
  readonly count: number;
  readonly element: unknown;
}

interface InstanceResult {
  readonly index: number;
  readonly count: number;
  readonly value: unknown;
  readonly completed: boolean;
}

interface InstancePacket {
  readonly state: State;
  readonly index: number;
  readonly count: number;
  readonly item: unknown;
  /** Sequential instances carry the rest of the elements to the next one. */
  readonly items?: readonly unknown[];
}

const RESET = { __loomflowReset: true } as const;

/** The internal channels of the flow's looping activities: each multi-instance's results, each loop's iteration count. */
export function loopChannels(ir: FlowIR, prefix: string): Record<string, BaseChannel> {
  const definition: Record<string, BaseChannel> = {};
  for (const node of ir.nodes) {
    const loop = loopOf(node);
    if (loop?.type === 'multiInstance') {
      definition[`${prefix}instances_${node.id}`] = Annotation<InstanceResult[]>({
        reducer: (current, update) => (update === (RESET as unknown) ? [] : [...current, ...update]),
        default: () => [],
      });
    } else if (loop?.type === 'standard') {
      definition[`${prefix}iteration_${node.id}`] = Annotation<number>({ reducer: (_current, update) => update, default: () => 0 });
    }
  }
  return definition;
}

/** Why a loop marker cannot run as drawn; checked when the flow is compiled. */
export function loopRefusal(node: NodeIR): string | undefined {
  const loop = loopOf(node);
  if (loop?.type === 'multiInstance' && (loop.collection === undefined) === (loop.cardinality === undefined)) {
    return 'a multi-instance marker needs exactly one of an input collection and a loop cardinality to know its instances';
  }
  if (loop?.type === 'standard' && loop.condition === undefined && loop.maxIterations === undefined) return 'a standard loop needs a loop condition or a loop maximum, or it would never end';
  // Each instance would wait for the activity's timer or message on its own, where BPMN has one for the whole activity.
  if (loop && node.events?.length) return 'timer, message and signal boundary events on a loop or multi-instance activity do not run yet; only error boundary events do';
  return undefined;
}

/** The elements the instances run over: the collection's list, or 1..cardinality. */
function instanceItems(node: NodeIR, loop: MultiInstance, state: State, maxInstances: number): unknown[] {
  let items: unknown[];
  if (loop.collection !== undefined) {
    const value = evaluateFeel(loop.collection, state, node.id);
    if (!Array.isArray(value)) throw new NodeExecutionError(node.id, 'bpmn.multi_instance', `its input collection "${loop.collection}" must give a list, not ${value === null ? 'null' : typeof value}`, DETERMINISTIC);
    items = value;
  } else {
    const count = evaluateFeel(loop.cardinality as string, state, node.id);
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      throw new NodeExecutionError(node.id, 'bpmn.multi_instance', `its loop cardinality "${loop.cardinality}" must give a whole number of at least 0, not ${JSON.stringify(count)}`, DETERMINISTIC);
    }
    items = Array.from({ length: count }, (_, index) => index + 1);
  }
  if (items.length > maxInstances) {
    throw new NodeExecutionError(node.id, 'bpmn.multi_instance', `it would run ${items.length} instances, over the limit of ${maxInstances} (maxLoopIterations)`, DETERMINISTIC);
  }
  return items;
}

/** What an instance sees: the process variables, its element, and its 1-based number (Camunda 8's loopCounter). */
function instanceScope(loop: MultiInstance, packet: Pick<InstancePacket, 'state' | 'index' | 'item'>): State {
  return { ...packet.state, ...(loop.elementVariable ? { [loop.elementVariable]: packet.item } : {}), loopCounter: packet.index + 1 };
}

/** The variables an instance produced: its output when that is an object of them (a form's answer), else its update. */
function instanceVariables(result: ExecutionResult): Record<string, unknown> {
  const { output } = result;
  return typeof output === 'object' && output !== null && !Array.isArray(output) ? (output as Record<string, unknown>) : result.update;
}

/**
 * The completion condition over the completed instance's scope and the instance counts, under
 * Camunda 8's names (numberOfInstances, numberOfCompletedInstances, numberOfActiveInstances).
 */
function completionHolds(node: NodeIR, loop: MultiInstance, scope: State, counts: { instances: number; completed: number; active: number }): boolean {
  if (loop.completionCondition === undefined) return false;
  const context = { ...scope, numberOfInstances: counts.instances, numberOfCompletedInstances: counts.completed, numberOfActiveInstances: counts.active };
  return evaluateFeel(loop.completionCondition, context, node.id) === true;
}

/** Waits for one person of a parallel or sequential user task; a withdrawal ends the wait with no answer. */
const runUserTaskInstance =
  (mark: InstanceMark): Executor =>
  ({ node, state }) => {
    const request = { ...userTaskRequest(node, state), instance: mark };
    let answer: unknown = interrupt(request);
    if (isWithdrawn(answer)) return { update: {}, output: { withdrawn: true } };
    for (let problem = validateAnswer(request.schema, answer); problem !== undefined; problem = validateAnswer(request.schema, answer)) {
      answer = interrupt({ ...request, rejected: problem });
      if (isWithdrawn(answer)) return { update: {}, output: { withdrawn: true } };
    }
    // The answer is the instance's variables; the output collection carries them on.
    return { update: {}, output: answer };
  };

/** What the builder lends this module to add one looping activity. */
export interface LoopActivityBuild {
  // LangGraph types node names as literals it cannot know here (as the builder does).
  readonly graph: {
    addNode(name: string, action: (input: never, config: LangGraphRunnableConfig) => unknown, options?: Record<string, unknown>): unknown;
  };
  readonly node: NodeIR;
  readonly graphName: string;
  /** Runs the activity once (the node's executor, or its sub-process). */
  readonly executor: Executor;
  /** Runs an executor as this node, with its events and checks (build-graph's `execute`). */
  readonly run: (executor: Executor, state: State, config: LangGraphRunnableConfig) => Promise<ExecutionResult>;
  /** Waits for the node's events to be stored before its step ends (build-graph's `settled`). */
  readonly settled: <Input, Output>(action: (input: Input, config: LangGraphRunnableConfig) => Promise<Output>) => (input: Input, config: LangGraphRunnableConfig) => Promise<Output>;
  /** The node's retry, timeout, error-boundary and join options; `ends` is merged. */
  readonly nodeOptions: { readonly ends?: readonly string[] } & Record<string, unknown>;
  readonly channels: ReadonlyMap<string, ChannelIR>;
  readonly channelPrefix: string;
  readonly terminatedChannel: string;
}

export function addLoopActivity(build: LoopActivityBuild): void {
  const loop = loopOf(build.node) as LoopConfig;
  if (loop.type === 'multiInstance') addMultiInstance(build, loop);
  else addStandardLoop(build, loop);
}

function addMultiInstance(build: LoopActivityBuild, loop: MultiInstance): void {
  const { graph, node, graphName, run, settled, channelPrefix, terminatedChannel } = build;
  const instance = instanceNode(graphName);
  const done = loopExit(graphName);
  const results = `${channelPrefix}instances_${node.id}`;
  const { ends = [], ...options } = build.nodeOptions;
  const isUserTask = node.executor === 'bpmn.userTask';
  const packetFor = (state: State, items: readonly unknown[], index: number): InstancePacket => ({
    state,
    index,
    count: items.length,
    item: items[index],
    ...(loop.sequential ? { items } : {}),
  });

  graph.addNode(
    graphName,
    settled(async (state: State, config: LangGraphRunnableConfig) => {
      if (state[terminatedChannel] === true) return new Command({ goto: done });
      let items: unknown[] = [];
      await run(
        ({ state: current }) => {
          items = instanceItems(node, loop, current, DEFAULT_MAX_LOOP_ITERATIONS);
          return { update: {}, output: { numberOfInstances: items.length, sequential: loop.sequential } };
        },
        state,
        config,
      );
      if (items.length === 0) return new Command({ goto: done });
      const view = Object.fromEntries(Object.entries(state).filter(([key]) => !key.startsWith(channelPrefix)));
      const sends = loop.sequential ? [packetFor(view, items, 0)] : items.map((_, index) => packetFor(view, items, index));
      return new Command({ goto: sends.map((packet) => new Send(instance, packet)) });
    }),
    { ...options, ends: [...ends, instance, done] },
  );

  graph.addNode(
    instance,
    settled(async (packet: InstancePacket, config: LangGraphRunnableConfig) => {
      const scope = instanceScope(loop, packet);
      const executor = isUserTask ? runUserTaskInstance({ index: packet.index, count: packet.count, element: packet.item }) : build.executor;
      const result = await run(executor, scope, config);
      const withdrawn = isUserTask && (result.output as { withdrawn?: boolean } | undefined)?.withdrawn === true;
      const variables = instanceVariables(result);
      const value = withdrawn ? null : loop.outputElement ? evaluateFeel(loop.outputElement, { ...scope, ...variables }, node.id) : variables;
      const entry: InstanceResult = { index: packet.index, count: packet.count, value, completed: !withdrawn };
      if (!loop.sequential || !packet.items) return new Command({ update: { [results]: [entry] }, goto: done });
      const completed = packet.index + 1;
      const finished = completed >= packet.count || completionHolds(node, loop, { ...scope, ...variables }, { instances: packet.count, completed, active: 0 });
      return new Command({ update: { [results]: [entry] }, goto: finished ? done : new Send(instance, packetFor(packet.state, packet.items, completed)) });
    }),
    { ...options, ends: [...ends, instance, done] },
  );

  graph.addNode(
    done,
    settled(async (state: State, config: LangGraphRunnableConfig) => {
      if (state[terminatedChannel] === true) return { [results]: RESET };
      const entries = (state[results] ?? []) as InstanceResult[];
      const { update } = await run(
        () => {
          const collection: unknown[] = Array.from({ length: entries[0]?.count ?? 0 }, () => null);
          for (const entry of entries) collection[entry.index] = entry.value;
          const completed = entries.filter((entry) => entry.completed).length;
          return {
            update: loop.outputCollection ? { [loop.outputCollection]: collection } : {},
            output: { numberOfInstances: collection.length, numberOfCompletedInstances: completed, numberOfClosedInstances: collection.length - completed, outputCollection: collection },
          };
        },
        state,
        config,
      );
      return { ...update, [results]: RESET };
    }),
    { metadata: (options as { metadata?: unknown }).metadata },
  );
}

function addStandardLoop(build: LoopActivityBuild, loop: StandardLoop): void {
  const { graph, node, graphName, run, settled, channels, channelPrefix, terminatedChannel } = build;
  const done = loopExit(graphName);
  const iterationChannel = `${channelPrefix}iteration_${node.id}`;
  const { ends = [], ...options } = build.nodeOptions;
  // Without a maximum the default one is a safety limit, and reaching it is a failure, not the end.
  const maximum = loop.maxIterations ?? DEFAULT_MAX_LOOP_ITERATIONS;

  graph.addNode(
    graphName,
    settled(async (state: State, config: LangGraphRunnableConfig) => {
      if (state[terminatedChannel] === true) return new Command({ goto: done });
      const iteration = ((state[iterationChannel] as number | undefined) ?? 0) + 1;
      const result = await run(build.executor, state, config);
      // The condition reads the variables as this iteration left them.
      const after: Record<string, unknown> = { ...state };
      for (const [key, value] of Object.entries(result.update)) {
        const channel = channels.get(key);
        after[key] = channel ? reducerOf(channel)(after[key], value) : value;
      }
      const holds = loop.condition === undefined ? true : evaluateFeel(loop.condition, { ...after, loopCounter: iteration }, node.id) === true;
      if (holds && iteration >= maximum && loop.maxIterations === undefined) {
        throw new NodeExecutionError(node.id, 'bpmn.loop', `its loop condition still holds after ${maximum} iterations, the default loop maximum; set the loop maximum (loop.maxIterations) if it should run longer`, DETERMINISTIC);
      }
      const again = holds && iteration < maximum;
      return new Command({ update: { ...result.update, [iterationChannel]: again ? iteration : 0 }, goto: again ? graphName : done });
    }),
    { ...options, ends: [...ends, graphName, done] },
  );
  graph.addNode(done, async () => ({}), { metadata: (options as { metadata?: unknown }).metadata });
}

/**
 * The open instances an answer closes: when `interruptId` waits in a parallel multi-instance user
 * task, and its completion condition holds once this answer completes it, every other instance
 * of that activity still waiting in the same step. Empty otherwise.
 */
export function instancesClosedBy(
  ir: FlowIR,
  snapshot: { readonly values: unknown; readonly tasks: readonly { readonly name: string; readonly result?: unknown; readonly interrupts: readonly { readonly id?: string | undefined; readonly value?: unknown }[] }[] },
  waiting: { readonly interruptId: string; readonly nodeId: string; readonly payload: unknown },
  answer: unknown,
  graphName: (nodeId: string) => string,
): string[] {
  const node = ir.nodes.find((candidate) => candidate.id === waiting.nodeId);
  const loop = node && loopOf(node);
  const mark = (waiting.payload as { instance?: InstanceMark } | null)?.instance;
  if (!node || loop?.type !== 'multiInstance' || loop.sequential || loop.completionCondition === undefined || !mark) return [];
  const instanceTasks = snapshot.tasks.filter((task) => task.name === instanceNode(graphName(node.id)));
  // An instance of this step with a result has completed (its writes wait for the step's end); its old interrupt stays listed.
  const open = instanceTasks.filter((task) => task.result === undefined);
  const others = open.flatMap((task) => task.interrupts.map((pending) => String(pending.id))).filter((id) => id !== waiting.interruptId);
  const completed = instanceTasks.length - open.length + 1;
  const variables = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
  const scope = { ...instanceScope(loop, { state: snapshot.values as State, index: mark.index, item: mark.element }), ...variables };
  return completionHolds(node, loop, scope, { instances: mark.count, completed, active: mark.count - completed }) ? others : [];
}
