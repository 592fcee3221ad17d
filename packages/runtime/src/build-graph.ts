// The builder: translates the IR into a LangGraph StateGraph. It decides nothing about meaning
// (lowering did); it maps nodes to node functions, edges to edges, routes to conditional edges,
// joins to waiting edges or deferred nodes, and fan-outs to Send.
import { Buffer } from 'node:buffer';
import {
  Annotation,
  Command,
  END,
  Send,
  START,
  StateGraph,
  isGraphBubbleUp,
  type BaseChannel,
  type NodeError,
  type LangGraphRunnableConfig,
  type RetryPolicy,
} from '@langchain/langgraph';
import { AIMessage } from '@langchain/core/messages';
import { MAX_RETRY_INTERVAL_MS, type RunEventBody } from '@loomflow/graph-schema';
import { CALL_LOG_KEY, type CallCodec, type CallKind, type RunCalls } from './call-log';
import { buildStateDefinition, reducerOf, updateBetween } from './channels';
import { BpmnError, DETERMINISTIC, EscalationThrown, NodeExecutionError, sameFailure } from './errors';
import { executors as defaultExecutors, refusals, type ExecutionResult, type Executor, type NodeStreamEvent, type RuntimeServices, type State, type SubflowLoader } from './executors';
import { boundaryEventRefusal, EventCaught, FIRED_EVENTS_CHANNEL } from './executors/bpmn-events';
import { letEventLoopTurn } from './event-loop-turn';
import { evaluateFeel } from './feel-eval';
import { serviceLookup, type HostServices } from './host-services';
import { routeTargets, type ChannelIR, type FanOutIR, type FlowIR, type NodeIR, type RouteIR } from './ir';
import { formatBytes, jsonBytes, previewLargeValues, type ResolvedRunLimits } from './limits';
import { addLoopActivity, loopChannels, loopExit, loopOf, loopRefusal } from './loop-activity';
import { EVENT_DELIVERY_KEY, type EventDelivery, type NodeEventChunk } from './run-journal';
import { SecretGuard } from './secret-guard';

export interface BuildOptions {
  readonly services: RuntimeServices;
  readonly executors?: Readonly<Record<string, Executor>>;
  /** The services executors ask for by name (`ctx.service`). */
  readonly hostServices: Partial<HostServices>;
  /** Compiles the flows nodes run as sub-flows; without it such a node fails when it runs. */
  readonly loadSubflow?: SubflowLoader;
  /** Run each of the IR's chains as one LangGraph node (normal runs) or keep every node apart (debugging). */
  readonly fuseChains: boolean;
  /** With fuseChains, run the forks inside chains in them too (FlowIR.forkedChains): the layout of threads in mode `fused`. */
  readonly fuseForks: boolean;
  readonly limits: ResolvedRunLimits;
}

/** The state as events show it: without the runtime's own channels. */
function visibleState(state: State): Record<string, unknown> {
  return Object.fromEntries(Object.entries(state).filter(([key]) => !key.startsWith(INTERNAL_CHANNEL_PREFIX)));
}

function executionInfoOf(config: LangGraphRunnableConfig): { taskId?: string; nodeAttempt?: number } | undefined {
  return (config as { executionInfo?: { taskId?: string; nodeAttempt?: number } }).executionInfo;
}

function attemptOf(config: LangGraphRunnableConfig): number {
  return executionInfoOf(config)?.nodeAttempt ?? 1;
}

function deliveryOf(config: LangGraphRunnableConfig): EventDelivery | undefined {
  return config.configurable?.[EVENT_DELIVERY_KEY] as EventDelivery | undefined;
}

/** Emits one run event of a task; `pure` when the node emitting it has no side effects. */
type Emit = (event: RunEventBody, pure: boolean) => void;

/**
 * Sends one task's run events through LangGraph's custom stream; the run stamps them with their
 * envelope. Events of pure nodes get an identity that a re-execution of the task repeats: LangGraph
 * derives the task id from the checkpoint the step starts from, and a pure node emits the same
 * events in the same order.
 */
function taskEmitter(config: LangGraphRunnableConfig, part?: number | string): Emit {
  const ownTaskId = executionInfoOf(config)?.taskId;
  // One task of a map runs several items; each item's events get their own identity.
  const taskId = part === undefined || ownTaskId === undefined ? ownTaskId : `${ownTaskId}.${part}`;
  const attempt = attemptOf(config);
  const delivery = deliveryOf(config);
  let index = 0;
  return (event, pure) => {
    const key = pure && taskId !== undefined ? `task:${taskId}:${attempt}:${index}` : undefined;
    index += 1;
    delivery?.emitted();
    config.writer?.({ event, ...(key === undefined ? {} : { key }) } satisfies NodeEventChunk);
  };
}

/**
 * Makes a graph node return only after the host stored the events emitted so far (when the run
 * has a journal): LangGraph commits a task's writes once it returns and never re-executes it,
 * so its events must be stored first. Failures and interrupts wait too; they are committed as well.
 */
function settled<Input, Output>(nodeFunction: (input: Input, config: LangGraphRunnableConfig) => Promise<Output>) {
  return async (input: Input, config: LangGraphRunnableConfig): Promise<Output> => {
    try {
      return await nodeFunction(input, config);
    } finally {
      await deliveryOf(config)?.settle();
    }
  };
}

function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof NodeExecutionError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: error.name === 'NodeTimeoutError' ? 'timeout' : 'error', message: error.message };
  return { code: 'error', message: String(error) };
}

/**
 * The same failure with the node's resolved secrets taken out of its message: LangGraph keeps a
 * task's error in the checkpoint and the run reports it, and SDK errors may quote a refused key.
 */
function withoutSecrets(error: unknown, guard: SecretGuard, nodeId: string): unknown {
  const { code, message } = describeError(error);
  if (!guard.leaks(message)) return error;
  const retryable = !(error instanceof NodeExecutionError) || error.retryable;
  return new NodeExecutionError(nodeId, code, guard.redact(message.replace(`node "${nodeId}": `, '')), { retryable });
}

/**
 * The metadata key of a LangGraph node that holds the drawn node it runs (a fused chain: its
 * node with side effects, whose timeout is the chain's, else its first node; a map's fan-out and
 * collector nodes: the map node). Graph names may be prefixed or suffixed by the builder, so they
 * are never parsed back.
 */
const NODE_ID_METADATA = 'loomflowNodeId';

/** A compiled graph's nodes, as far as reading their metadata goes. */
type GraphNodes = Readonly<Record<string, { readonly metadata?: Readonly<Record<string, unknown>> | undefined }>>;

/**
 * The drawn node id of a LangGraph node name (a task's, a timeout's, a breakpoint's next node).
 * A node the builder did not add (none of LangGraph's own reach the API today) keeps its name.
 */
export function drawnNodeId(nodes: GraphNodes, name: string): string {
  const nodeId = nodes[name]?.metadata?.[NODE_ID_METADATA];
  return typeof nodeId === 'string' ? nodeId : name;
}

const nodeMetadata = (nodeId: string) => ({ metadata: { [NODE_ID_METADATA]: nodeId } });

/** Strings in the order of their code points, as LangGraph orders a step's tasks to apply their writes. */
function byCodePoint(left: string, right: string): number {
  const [a, b] = [[...left], [...right]];
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
    const difference = (a[index]?.codePointAt(0) ?? 0) - (b[index]?.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

/** Channels the runtime adds for itself; never shown to users and never written by nodes. */
export const INTERNAL_CHANNEL_PREFIX = '__loomflow_';
const mapResultsChannel = (fanOut: FanOutIR) => `${INTERNAL_CHANNEL_PREFIX}map_${fanOut.mapNode}`;

/**
 * How a thread runs, kept in its own state so that every later call (resume, state, fork) builds
 * the same graph the thread started with: fused chains and one node per chain member checkpoint
 * under different node names. `fused` runs chains and the forks inside them as one node each;
 * `normal` fuses chains only, as threads started before forks were fused did; `debug` fuses nothing.
 */
export type RunMode = 'fused' | 'normal' | 'debug';
export const RUN_MODE_CHANNEL = `${INTERNAL_CHANNEL_PREFIX}mode`;
const RESET_MAP_RESULTS = { __loomflowReset: true } as const;
/**
 * Set by a node whose result ends the whole run (a BPMN terminate end event): every node that
 * would run after it is skipped and every route leads to the end, so no other branch goes on.
 */
const TERMINATED_CHANNEL = `${INTERNAL_CHANNEL_PREFIX}terminated`;

interface MapResult {
  readonly index: number;
  readonly value: unknown;
}

/**
 * The most LangGraph tasks one map step starts. LangGraph's runner costs time in the number of
 * tasks still running each time one of them settles (it races them all again, and filters the
 * step's pending writes per task), so a step of N tasks takes time in N²: 10,000 one-item tasks
 * took 145 s. Items are grouped so that a step never has more tasks than this; the work per item
 * stays the same, so a map's time grows linearly with its items.
 */
const MAX_MAP_TASKS = 256;
/**
 * Items per task of a map whose worker is pure: LangGraph's own cost per task (config, tracing
 * run, checkpoint write) outweighs an expression's. A worker with side effects runs one item per
 * task up to MAX_MAP_TASKS items, so that a run continued after a crash repeats as few of its
 * calls as it can.
 */
const PURE_MAP_ITEMS_PER_TASK = 64;

/** The items of a map split into the batches its tasks run, in order. */
function mapBatches<T>(items: readonly T[], pure: boolean): T[][] {
  const size = Math.max(pure ? PURE_MAP_ITEMS_PER_TASK : 1, Math.ceil(items.length / MAX_MAP_TASKS));
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

/** A small counting semaphore, for a map's `maxConcurrency`. */
function createLimiter(limit: number | undefined): <T>(task: () => Promise<T>) => Promise<T> {
  if (!limit) return (task) => task();
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

// Node names are known only at run time, while LangGraph's builder types them as literals: the
// `never` casts below hand it names and node functions it cannot check statically.
export function buildStateGraph(ir: FlowIR, options: BuildOptions) {
  const table = { ...defaultExecutors, ...options.executors };
  const channels = new Map<string, ChannelIR>(ir.channels.map((channel) => [channel.name, channel]));
  const nodesById = new Map(ir.nodes.map((node) => [node.id, node]));

  const forkedChains = options.fuseChains && options.fuseForks ? ir.forkedChains : undefined;
  const chains = options.fuseChains ? (forkedChains?.chains ?? ir.chains) : [];
  /** The forks fused chains run inside them, by the member that forks. */
  const forks = new Map(Object.entries(forkedChains?.forks ?? {}));
  /** Each fork's edges into its lines and along them, by source, and the joins its waiting edges lead to. */
  const forkEdges = new Map<string, Set<string>>();
  const forkJoins = new Set([...forks.values()].map((fork) => fork.join));
  for (const [from, { lines }] of forks) {
    for (const line of lines) {
      line.forEach((nodeId, index) => {
        const source = index === 0 ? from : (line[index - 1] as string);
        forkEdges.set(source, (forkEdges.get(source) ?? new Set()).add(nodeId));
      });
    }
  }
  const chainOf = new Map(chains.flatMap((chain) => chain.map((nodeId) => [nodeId, chain] as const)));
  /** Routes taken inside the chain that ends at their source (lower.ts findChainTails), by source. */
  const chainTails = new Map(options.fuseChains ? Object.entries(ir.chainTails ?? {}) : []);
  /** The `#route` node of each chain that takes its route itself, by the chain's graph name. */
  const routesAgain = new Map<string, string>();
  // LangGraph refuses a node named like a channel; such nodes get a prefixed graph name. A fused
  // chain is one graph node named after its first node.
  const ownName = (nodeId: string) => (channels.has(nodeId) || nodeId.startsWith('__') ? `node#${nodeId}` : nodeId);
  const graphName = (nodeId: string) => ownName(chainOf.get(nodeId)?.[0] ?? nodeId);
  const fanOutByMap = new Map(ir.fanOuts.map((fanOut) => [fanOut.mapNode, fanOut]));
  const looping = new Set(ir.nodes.filter((node) => loopOf(node) !== undefined).map((node) => node.id));
  /** Where control leaves a node: a map continues from its collector, a looping activity once its loop is done. */
  const exitOf = (nodeId: string) => (fanOutByMap.has(nodeId) ? `${graphName(nodeId)}#collect` : looping.has(nodeId) ? loopExit(graphName(nodeId)) : graphName(nodeId));
  /** Edges between the nodes of a fused chain run inside its graph node: from each to the next, and a fork's. */
  const isInsideChain = (source: string, target: string) => {
    const chain = chainOf.get(source);
    return chain !== undefined && chain === chainOf.get(target) && (chain.indexOf(target) === chain.indexOf(source) + 1 || forkEdges.get(source)?.has(target) === true);
  };

  const definition: Record<string, BaseChannel> = buildStateDefinition(ir.channels);
  definition[RUN_MODE_CHANNEL] = Annotation<RunMode | undefined>({ reducer: (_current, update) => update, default: () => undefined });
  definition[TERMINATED_CHANNEL] = Annotation<boolean>({ reducer: (current, update) => current || update, default: () => false });
  definition[FIRED_EVENTS_CHANNEL] = Annotation<Record<string, number>>({ reducer: (current, update) => ({ ...current, ...update }), default: () => ({}) });
  for (const fanOut of ir.fanOuts) {
    definition[mapResultsChannel(fanOut)] = Annotation<MapResult[]>({
      reducer: (current, update) => (update === (RESET_MAP_RESULTS as unknown) ? [] : [...current, ...update]),
      default: () => [],
    });
  }
  Object.assign(definition, loopChannels(ir, INTERNAL_CHANNEL_PREFIX));
  const stateAnnotation = Annotation.Root(definition);
  const pick = (channelNames: readonly string[] | undefined) =>
    channelNames ? Annotation.Root(Object.fromEntries(channelNames.map((name) => [name, definition[name] as BaseChannel]))) : stateAnnotation;
  const graph = new StateGraph({ stateSchema: stateAnnotation, input: pick(ir.input && [...ir.input, RUN_MODE_CHANNEL]), output: pick(ir.output) });

  const executorFor = (node: NodeIR): Executor => {
    // A host's own executor for the type decides for itself what it can run.
    const refusal = options.executors?.[node.executor] ? undefined : (refusals[node.executor]?.(node) ?? boundaryEventRefusal(node));
    if (refusal) throw new NodeExecutionError(node.id, 'unsupported', refusal, DETERMINISTIC);
    const executor = table[node.executor];
    if (!executor) throw new NodeExecutionError(node.id, 'unsupported', `nodes of type ${node.type} cannot run in this version of Loomflow`);
    return executor;
  };

  /**
   * A sub-process's content runs as a subgraph inside the sub-process's node, over the same
   * channels: invoked with the node's config, it checkpoints in the node's namespace of the run's
   * thread, so a user task inside pauses and resumes the whole process. Its update is what the
   * content changed.
   */
  const scopeExecutor = (node: NodeIR, body: FlowIR): Executor => {
    if (body.entry === undefined) throw new NodeExecutionError(node.id, 'unsupported', 'a sub-process needs exactly one start event inside it to run', DETERMINISTIC);
    const refusal = boundaryEventRefusal(node);
    if (refusal) throw new NodeExecutionError(node.id, 'unsupported', refusal, DETERMINISTIC);
    const compiled = buildStateGraph(body, options).graph.compile();
    const recursionLimit = Math.min(body.recursionLimit, limits.maxRecursionLimit);
    return async ({ state, config }) => {
      const after = (await compiled.invoke(state as never, { ...config, recursionLimit })) as State;
      return { update: updateBetween(ir.channels, state, after) };
    };
  };

  const { limits } = options;
  /**
   * Refuses an update that is too large, or that would make the state too large, before LangGraph
   * writes it anywhere. A replaced channel's old value leaves the state; other reducers keep it.
   */
  const checkSize = (node: NodeIR, state: State, update: Record<string, unknown>): void => {
    const outputBytes = jsonBytes(update);
    if (outputBytes > limits.maxNodeOutputBytes) {
      throw new NodeExecutionError(
        node.id,
        'limit.output',
        `its output is ${outputBytes} bytes as JSON, over the limit of ${formatBytes(limits.maxNodeOutputBytes)} per node (${limits.names.maxNodeOutputBytes})`,
        DETERMINISTIC,
      );
    }
    let stateBytes = outputBytes;
    for (const [key, value] of Object.entries(state)) {
      if (key.startsWith(INTERNAL_CHANNEL_PREFIX) || (key in update && channels.get(key)?.reducer === 'replace')) continue;
      stateBytes += jsonBytes(value);
    }
    if (stateBytes > limits.maxStateBytes) {
      throw new NodeExecutionError(
        node.id,
        'limit.state',
        `its output would make the run's state about ${stateBytes} bytes as JSON, over the limit of ${formatBytes(limits.maxStateBytes)} (${limits.names.maxStateBytes})`,
        DETERMINISTIC,
      );
    }
  };
  const shown = (values: Record<string, unknown>) => previewLargeValues(values, limits.eventValuePreviewBytes);
  /** A streamed event as the run sends it: named after its node, tool values previewed like node values. */
  const shownStreamEvent = (nodeId: string, event: NodeStreamEvent): RunEventBody => {
    switch (event.type) {
      case 'llm.token':
        return { ...event, nodeId };
      case 'tool.call':
        return { ...event, nodeId, args: shown({ args: event.args }).args };
      case 'tool.result':
        return { ...event, nodeId, result: shown({ result: event.result }).result };
    }
  };

  /** Runs one node's executor with its events and the checks every update gets. */
  const execute = async (node: NodeIR, executor: Executor, state: State, config: LangGraphRunnableConfig, emitTaskEvent: Emit): Promise<ExecutionResult> => {
    await letEventLoopTurn();
    // A run stopped (cancelled, out of time) while the node waited for its turn does not start it.
    config.signal?.throwIfAborted();
    const started = performance.now();
    const attempt = attemptOf(config);
    const input = shown(visibleState(state));
    // A map node's own step only evaluates its items expression.
    const pure = node.pure || fanOutByMap.has(node.id);
    const emit = (event: RunEventBody) => emitTaskEvent(event, pure);
    const step = config.metadata?.langgraph_step;
    emit({ type: 'node.started', nodeId: node.id, nodeType: node.type, input, attempt, ...(typeof step === 'number' ? { step } : {}) });
    let running = true;
    const secrets = new SecretGuard();
    /** What this execution streamed as tokens, in UTF-8 bytes: never more than its output would hold. */
    let streamedTokenBytes = 0;
    const stream = (event: NodeStreamEvent) => {
      if (!running) return;
      if (secrets.leaks(event)) throw new NodeExecutionError(node.id, 'secret.leak', `its ${event.type} event holds a secret it resolved; secrets must stay inside the executor`, DETERMINISTIC);
      if (event.type === 'llm.token') {
        // A reply larger than a node's output can never be its output (limit.output fails the node
        // when it ends), so its tokens stop being streamed at that size, the piece that would pass
        // it included: a provider sending one huge piece cannot make the host store it as an event.
        streamedTokenBytes += Buffer.byteLength(event.token, 'utf8');
        if (streamedTokenBytes > limits.maxNodeOutputBytes) return;
      }
      emit(shownStreamEvent(node.id, event));
    };
    try {
      const result = await executor({
        node,
        state,
        channels,
        services: options.services,
        config,
        loadSubflow: options.loadSubflow,
        service: secrets.guard(serviceLookup(options.hostServices, node.id)),
        emit: stream,
        fromOutside: (kind, request, call, codec) => throughCallLog(node.id, config, kind, request, call, codec),
      });
      running = false;
      if (secrets.leaks(result.update) || secrets.leaks(result.output)) {
        throw new NodeExecutionError(node.id, 'secret.leak', 'its output holds a secret it resolved; secrets must stay inside the executor', DETERMINISTIC);
      }
      const unknown = Object.keys(result.update).filter((key) => !channels.has(key));
      if (unknown.length > 0) {
        throw new NodeExecutionError(node.id, 'state', `the node wrote ${unknown.map((key) => `"${key}"`).join(', ')}, which the flow does not declare as state channels`, DETERMINISTIC);
      }
      checkSize(node, state, result.update);
      const update = shown(result.update);
      emit({
        type: 'node.completed',
        nodeId: node.id,
        nodeType: node.type,
        input,
        output: result.output === undefined ? update : shown({ output: result.output }).output,
        update,
        durationMs: performance.now() - started,
      });
      return result;
    } catch (error) {
      running = false;
      // An interrupt is a pause, not a failure.
      if (isGraphBubbleUp(error)) throw error;
      // Nor is an event that came while the node waited: its wait ends here, and the error handler goes on from the catching node.
      if (error instanceof EventCaught) {
        const { target, interrupting } = error.caught;
        emit({ type: 'node.completed', nodeId: node.id, nodeType: node.type, input, output: { event: target, interrupting }, update: {}, durationMs: performance.now() - started });
        throw error;
      }
      // Nor is the escalation a throw or end event raises: the node did its work; the boundary event catching it goes on.
      if (error instanceof EscalationThrown && error.nodeId === node.id) {
        const output = { escalation: { ...(error.escalationCode ? { code: error.escalationCode } : {}), caughtBy: error.boundary } };
        emit({ type: 'node.completed', nodeId: node.id, nodeType: node.type, input, output, update: {}, durationMs: performance.now() - started });
        throw error;
      }
      const failure = withoutSecrets(error, secrets, node.id);
      emit({ type: 'node.failed', nodeId: node.id, nodeType: node.type, error: describeError(failure), attempt, durationMs: performance.now() - started });
      throw failure;
    }
  };

  /**
   * Where an event that came while the node waited leads: to the catching node, with the event's
   * variables written to the channels of their names; back to the node as well when the event
   * does not interrupt it, counted so that a timer fires only as often as it may.
   */
  const eventCommand = (node: NodeIR, state: State, caught: EventCaught): Command => {
    const { target, interrupting } = caught.caught;
    const update: Record<string, unknown> = Object.fromEntries(Object.entries(caught.variables).filter(([key]) => channels.has(key)));
    if (interrupting) return new Command({ goto: graphName(target), update });
    const fired = (state[FIRED_EVENTS_CHANNEL] ?? {}) as Record<string, number>;
    return new Command({ goto: [graphName(target), waitsAgain(node.id)], update: { ...update, [FIRED_EVENTS_CHANNEL]: { [target]: (fired[target] ?? 0) + 1 } } });
  };
  /**
   * A node with non-interrupting events waits again, after an event came, as a deferred copy of
   * itself: LangGraph pauses a run after any step with an interrupt, so waiting again in the step
   * the event's path starts would stop that path there. Deferred, the copy waits once the path has
   * run as far as it goes. It leaves the way the node does.
   */
  const waitsAgain = (nodeId: string) => `${graphName(nodeId)}#again`;
  const waitingAgain = ir.nodes.filter((node) => node.events?.some((event) => !event.interrupting));
  /** A node whose wait ended forgets how often its non-interrupting events fired, for its next wait. */
  const waitEnded = (node: NodeIR): Record<string, unknown> => {
    const counted = node.events?.filter((event) => !event.interrupting) ?? [];
    return counted.length === 0 ? {} : { [FIRED_EVENTS_CHANNEL]: Object.fromEntries(counted.map((event) => [event.target, 0])) };
  };

  const nodeOptions = (node: NodeIR, deferred: boolean) => {
    const retryPolicy: RetryPolicy | undefined = node.retry && {
      maxAttempts: node.retry.maxAttempts,
      initialInterval: node.retry.initialIntervalMs,
      backoffFactor: node.retry.backoffFactor,
      // Said rather than left to LangGraph's default, so retryDelayMs describes these waits exactly.
      maxInterval: MAX_RETRY_INTERVAL_MS,
      jitter: false,
      logWarning: false,
      retryOn: (error: unknown) => !(error instanceof NodeExecutionError && !error.retryable),
    };
    const errorTargets = node.onErrorGoto?.map(graphName);
    const boundaries = node.errorBoundaries;
    // An error boundary catches a BPMN error of its code, or any failure when it names no code;
    // the error port catches what no boundary did; anything else fails the run.
    const errorHandler = (state: State, failure: NodeError) => {
      if (failure.error instanceof EventCaught) return eventCommand(node, state, failure.error);
      // An escalation knows the boundary event it goes to; error boundaries and error ports let it pass.
      if (failure.error instanceof EscalationThrown) {
        const { boundary } = failure.error;
        if (boundaries?.some((candidate) => candidate.escalation && candidate.target === boundary)) return new Command({ goto: graphName(boundary) });
        throw sameFailure(failure.error);
      }
      const code = failure.error instanceof BpmnError ? failure.error.errorCode : undefined;
      const caught = boundaries?.find((boundary) => !boundary.escalation && (boundary.errorCode === undefined || (code !== undefined && boundary.errorCode === code)));
      if (caught) return new Command({ goto: graphName(caught.target) });
      if (errorTargets) return new Command({ goto: errorTargets });
      throw sameFailure(failure.error);
    };
    const eventTargets = (node.events ?? []).map((event) => graphName(event.target));
    // A non-interrupting event runs its path and the node waits again: it goes to itself too.
    const again = node.events?.some((event) => !event.interrupting) ? [waitsAgain(node.id)] : [];
    const ends = [...(boundaries ?? []).map((boundary) => graphName(boundary.target)), ...(errorTargets ?? []), ...eventTargets, ...again];
    return {
      ...nodeMetadata(node.id),
      ...(retryPolicy ? { retryPolicy } : {}),
      ...(node.timeoutMs ? { timeout: node.timeoutMs } : {}),
      ...(deferred ? { defer: true } : {}),
      ...(ends.length > 0 ? { errorHandler, ends } : {}),
    };
  };

  const waitingTargets = new Set(ir.edges.filter((edge) => edge.sources.length > 1).map((edge) => edge.target));
  const workers = new Set(ir.fanOuts.map((fanOut) => fanOut.worker));
  const hasIncoming = new Set([
    ir.entry,
    ...ir.edges.map((edge) => edge.target),
    ...ir.routes.flatMap(routeTargets),
    ...ir.nodes.flatMap((node) => [...(node.onErrorGoto ?? []), ...[...(node.errorBoundaries ?? []), ...(node.events ?? [])].map((to) => to.target)]),
  ]);

  for (const chain of chains) addChain(chain.map((nodeId) => nodesById.get(nodeId) as NodeIR));
  for (const node of ir.nodes) {
    // A map's worker runs inside the map; it is a node of its own only if edges also lead to it.
    if (workers.has(node.id) && !hasIncoming.has(node.id)) continue;
    if (chainOf.has(node.id)) continue;
    const deferred = node.join === 'taken' || (node.join === 'all' && !waitingTargets.has(node.id));
    const fanOut = fanOutByMap.get(node.id);
    if (fanOut) {
      addFanOut(node, fanOut, nodeOptions(node, deferred));
      continue;
    }
    const executor = node.body ? scopeExecutor(node, node.body) : executorFor(node);
    if (looping.has(node.id)) {
      const refusal = loopRefusal(node);
      if (refusal) throw new NodeExecutionError(node.id, 'unsupported', refusal, DETERMINISTIC);
      addLoopActivity({
        graph: graph as never,
        node,
        graphName: graphName(node.id),
        executor,
        run: (run, state, config) => execute(node, run, state, config, taskEmitter(config)),
        settled,
        nodeOptions: nodeOptions(node, deferred),
        channels,
        channelPrefix: INTERNAL_CHANNEL_PREFIX,
        terminatedChannel: TERMINATED_CHANNEL,
        limit: { max: options.limits.maxLoopIterations, setting: options.limits.names.maxLoopIterations },
      });
      continue;
    }
    const nodeFunction = settled(async (state: State, config: LangGraphRunnableConfig) => {
      if (state[TERMINATED_CHANNEL] === true) return {};
      const result = await execute(node, executor, state, config, taskEmitter(config));
      const update = { ...result.update, ...waitEnded(node) };
      return result.terminates ? { ...update, [TERMINATED_CHANNEL]: true } : update;
    });
    graph.addNode(graphName(node.id), nodeFunction, nodeOptions(node, deferred));
    if (waitingAgain.includes(node)) graph.addNode(waitsAgain(node.id), nodeFunction, nodeOptions(node, true));
  }

  /**
   * A chain runs its nodes one after another inside one graph node. Each node sees the state as
   * the previous ones left it (their updates applied through the reducers), and the chain writes
   * each channel once: the updates to it combined in order by its reducer.
   */
  function addChain(members: NodeIR[]): void {
    const steps = members.map((member) => ({ member, executor: executorFor(member) }));
    const first = members[0] as NodeIR;
    const last = members.at(-1) as NodeIR;
    const route = ir.routes.find((each) => each.source === last.id);
    const tails = route && chainTails.get(last.id);
    const tailSteps = new Map(Object.entries(tails ?? {}).map(([target, tail]) => [target, tail.map((nodeId) => nodesById.get(nodeId) as NodeIR).map((member) => ({ member, executor: executorFor(member) }))]));
    // The chain's one node with side effects, if any (lower.ts findChains): its retries and
    // timeout are the chain's (it has none when pure nodes come before it, so a retry never runs
    // them again), and a timeout of the step is reported as its.
    const effectfulAt = members.findIndex((member) => !member.pure);
    /**
     * The stages of each fork in the chain, by the member that forks: in each, the positions in
     * the chain of the branches' nodes LangGraph would run in that step, in the order it applies
     * their writes (its tasks sorted by node name, in code points).
     */
    const forkStages = new Map(
      members.flatMap((member, at) => {
        const lines = forks.get(member.id)?.lines;
        if (!lines) return [];
        let next = at + 1;
        const positions = lines.map((line) => line.map(() => (next += 1) - 1));
        const depth = Math.max(...lines.map((line) => line.length));
        const stages = Array.from({ length: depth }, (_, stage) =>
          positions
            .flatMap((line) => (stage < line.length ? [line[stage] as number] : []))
            .sort((left, right) => byCodePoint(ownName((members[left] as NodeIR).id), ownName((members[right] as NodeIR).id))),
        );
        return [[member.id, stages] as const];
      }),
    );
    const runChain = async (state: State, config: LangGraphRunnableConfig) => {
      const emit = taskEmitter(config);
      // After the node with side effects, the pure nodes' events get keys of their own, so that
      // running it again with a different number of events cannot shift them.
      const emitAfter = taskEmitter(config, 1);
      const emitOf = (index: number) => (effectfulAt >= 0 && index > effectfulAt ? emitAfter : emit);
      let view: Record<string, unknown> = { ...state };
      const combined: Record<string, unknown> = {};
      const apply = ({ update, terminates }: ExecutionResult) => {
        if (terminates) {
          combined[TERMINATED_CHANNEL] = true;
          view = { ...view, [TERMINATED_CHANNEL]: true };
        }
        for (const [key, value] of Object.entries(update)) {
          const channel = channels.get(key) as ChannelIR;
          const reduce = reducerOf(channel);
          // A first write stands for what it appends: a lone item, null included, is a list of one.
          const first = channel.reducer === 'append' && !Array.isArray(value) ? [value] : value;
          combined[key] = key in combined ? reduce(combined[key], value) : first;
          view = { ...view, [key]: reduce(view[key], value) };
        }
      };
      /** Runs `run` in order; a member that forks is followed by the stages of its fork (positions in `run`). */
      const runSteps = async (run: readonly { member: NodeIR; executor: Executor }[], emitFor: (index: number) => Emit, stagesAfter: ReadonlyMap<string, readonly (readonly number[])[]> = new Map()) => {
        for (let index = 0; index < run.length; index += 1) {
          if (view[TERMINATED_CHANNEL] === true) break;
          const { member, executor } = run[index] as (typeof run)[number];
          apply(await execute(member, executor, view, config, emitFor(index)));
          const stages = stagesAfter.get(member.id);
          if (!stages) continue;
          // A fork's stage is a step of its branches: each of its nodes sees the state as the
          // stage began, and their updates apply together, in LangGraph's order of the tasks.
          for (const stage of stages) {
            const before = view;
            const results: ExecutionResult[] = [];
            for (const at of stage) {
              const step = run[at] as (typeof run)[number];
              results.push(await execute(step.member, step.executor, before, config, emitFor(at)));
            }
            results.forEach(apply);
          }
          index += stages.flat().length;
        }
      };
      await runSteps(steps, emitOf, forkStages);
      if (!route || !tails) return combined;
      // The chain takes its last node's route itself: a target with a tail runs here, up to the
      // end of the run; any other is where the run goes on.
      if (view[TERMINATED_CHANNEL] === true) return new Command({ update: combined, goto: END });
      let targets: string[];
      try {
        targets = chooseTargets(route, view);
      } catch {
        // Failing here would fail the chain's step, and a run without a journal could lose the
        // step's events; the route fails in a step of its own, as it did between steps.
        return new Command({ update: combined, goto: routeAgain });
      }
      const target = targets.length === 1 ? (targets[0] as string) : undefined;
      const tail = target === undefined ? undefined : tailSteps.get(target);
      if (!tail) return new Command({ update: combined, goto: targets.map(graphName) });
      // A branch's events have identities of their own: run again after a crash, the task with
      // side effects may answer otherwise and the route take the other branch, whose events must
      // not pass for the first one's, which the journal already holds.
      const emitTail = taskEmitter(config, `tail-${target}`);
      await runSteps(tail, () => emitTail);
      return new Command({ update: combined, goto: END });
    };
    const routeAgain = `${graphName(first.id)}#route`;
    const goesTo = route && tails ? [...new Set([...routeTargets(route).map(graphName), END])] : [];
    graph.addNode(graphName(first.id), settled(runChain) as never, { ...nodeOptions(members[effectfulAt] ?? first, false), ...(route && tails ? { ends: [...goesTo, routeAgain] } : {}) });
    if (route && tails) {
      routesAgain.set(graphName(first.id), routeAgain);
      graph.addNode(routeAgain, ((state: State) => new Command({ goto: chooseTargets(route, state).map(graphName) })) as never, { ...nodeMetadata(last.id), ends: goesTo });
    }
  }

  function addFanOut(node: NodeIR, fanOut: FanOutIR, options: ReturnType<typeof nodeOptions>): void {
    const worker = nodesById.get(fanOut.worker) as NodeIR;
    const workerExecutor = executorFor(worker);
    const each = `${graphName(node.id)}#each`;
    const collect = `${graphName(node.id)}#collect`;
    const resultsChannel = mapResultsChannel(fanOut);
    const limit = createLimiter(fanOut.maxConcurrency);

    const fanOutNode = async (state: State, config: LangGraphRunnableConfig) => {
      const mapExecutor: Executor = ({ state: current }) => {
        const items = evaluateFeel(fanOut.items, current, node.id);
        if (!Array.isArray(items)) throw new NodeExecutionError(node.id, 'feel', `"${fanOut.items}" must give a list, not ${items === null ? 'null' : typeof items}`, DETERMINISTIC);
        return { update: {}, output: { count: items.length, items } };
      };
      const { output } = await execute(node, mapExecutor, state, config, taskEmitter(config));
      const { items } = output as { items: unknown[] };
      if (items.length === 0) return new Command({ goto: collect });
      const view = fanOut.reads ? Object.fromEntries(fanOut.reads.map((name) => [name, state[name]])) : state;
      const batches = mapBatches(items.map((item, index) => ({ item, index })), worker.pure);
      return new Command({ goto: batches.map((batch) => new Send(each, { state: view, batch })) });
    };
    graph.addNode(graphName(node.id), settled(fanOutNode) as never, { ...options, ends: [each, collect] });
    graph.addNode(
      each,
      settled(async (input: { state: State; batch: readonly { item: unknown; index: number }[] }, config: LangGraphRunnableConfig) => {
        const run = ({ item, index }: { item: unknown; index: number }) => limit(() => execute(worker, workerExecutor, { ...input.state, [fanOut.as]: item }, config, taskEmitter(config, index)));
        // A pure worker's items run one after another: started together, they would all pass
        // their turn check (execute's letEventLoopTurn) at once and hold the event loop for the
        // whole step. Other items run side by side, as they would as tasks of their own. Every
        // item ends before the task does, so no sibling's event follows a committed failure.
        const outcomes: PromiseSettledResult<ExecutionResult>[] = [];
        if (worker.pure) {
          for (const entry of input.batch) outcomes.push(...(await Promise.allSettled([run(entry)])));
        } else {
          outcomes.push(...(await Promise.allSettled(input.batch.map(run))));
        }
        const failed = outcomes.find((outcome) => outcome.status === 'rejected');
        if (failed) throw failed.reason;
        const results = outcomes.map((outcome, position) => ({ index: input.batch[position]?.index as number, value: (outcome as PromiseFulfilledResult<ExecutionResult>).value.update }));
        return { [resultsChannel]: results };
      }),
      nodeMetadata(node.id),
    );
    graph.addNode(collect, (state: State) => {
      const results = [...((state[resultsChannel] ?? []) as MapResult[])].sort((left, right) => left.index - right.index);
      const collected = { [fanOut.collect]: results.map((result) => result.value) };
      // The results were checked one by one; together they may still be too large.
      checkSize(node, state, collected);
      return { ...collected, [resultsChannel]: RESET_MAP_RESULTS };
    }, nodeMetadata(node.id));
    graph.addEdge(each as never, collect as never);
  }

  graph.addEdge(START, graphName(ir.entry) as never);
  for (const edge of ir.edges) {
    if (edge.sources.length === 1 ? isInsideChain(edge.sources[0] as string, edge.target) : forkJoins.has(edge.target)) continue;
    const sources = edge.sources.map(exitOf);
    graph.addEdge((sources.length === 1 ? sources[0] : sources) as never, graphName(edge.target) as never);
  }
  for (const route of ir.routes) {
    // A chain that takes the route itself goes on by Command (addChain).
    if (chainOf.get(route.source)?.at(-1) === route.source && chainTails.has(route.source)) continue;
    const choose = (state: State) => (state[TERMINATED_CHANNEL] === true ? [END] : chooseTargets(route, state).map(graphName));
    graph.addConditionalEdges(exitOf(route.source) as never, choose);
    if (waitingAgain.some((node) => node.id === route.source)) graph.addConditionalEdges(waitsAgain(route.source) as never, choose);
  }
  // A node waiting again leaves by its node's edges; into a join, as another way in of the same branch.
  for (const node of waitingAgain) {
    for (const edge of ir.edges.filter((each) => each.sources.includes(node.id))) {
      const sources = edge.sources.map((source) => (source === node.id ? waitsAgain(source) : exitOf(source)));
      graph.addEdge((sources.length === 1 ? sources[0] : sources) as never, graphName(edge.target) as never);
    }
  }
  for (const finish of ir.finishes) graph.addEdge(exitOf(finish) as never, END);

  /**
   * What an edit of the thread "as" `nodeId` writes: a chain that takes its route itself has no
   * route after it between steps, so the edit goes on to its `#route` node, which takes the route
   * on the edited state.
   */
  const asNodeUpdate = (nodeId: string, values: Record<string, unknown>): Record<string, unknown> | Command => {
    const routeAgain = routesAgain.get(graphName(nodeId));
    return routeAgain === undefined ? values : new Command({ update: values, goto: routeAgain });
  };
  return { graph, graphName, asNodeUpdate };
}

/** An outside call of a node, recorded or replayed when the run has a call log (call-log.ts). */
async function throughCallLog<T>(nodeId: string, config: LangGraphRunnableConfig, kind: CallKind, request: unknown, call: () => Promise<T>, codec?: CallCodec<T>): Promise<T> {
  const calls = config.configurable?.[CALL_LOG_KEY] as RunCalls | undefined;
  if (!calls) return call();
  const { key, answered } = calls.next(nodeId, kind, request);
  if ('recorded' in calls.log) {
    if (!calls.log.recorded.has(key)) {
      throw new NodeExecutionError(nodeId, 'replay.diverged', `the replay diverges here: this ${kind} call is not one the recorded run made (the drawing, the input or an earlier answer changed)`, DETERMINISTIC);
    }
    answered();
    const json = calls.log.recorded.get(key);
    return codec ? codec.fromJson(json) : (json as T);
  }
  const result = await call();
  answered();
  await calls.log.record({ nodeId, kind, key, result: codec ? codec.toJson(result) : result });
  return result;
}

/** Whether the last message of a conversation is a model's that calls tools (LangGraph's toolsCondition). */
function callsTools(messages: unknown): boolean {
  const last: unknown = Array.isArray(messages) ? messages.at(-1) : undefined;
  return AIMessage.isInstance(last) && (last.tool_calls?.length ?? 0) > 0;
}

/** Picks the targets of a route after its node ran, or fails naming the node. */
function chooseTargets(route: RouteIR, state: State): string[] {
  if (route.kind === 'port') {
    const chosen = route.select === 'tool-calls' ? (callsTools(state[route.channel]) ? 'tools' : 'out') : String(state[route.channel] ?? '');
    const targets = route.ports[chosen] ?? route.ports[route.fallbackPort];
    if (!targets || targets.length === 0) {
      throw new NodeExecutionError(route.source, 'route', `chose "${chosen}", and neither that port nor "${route.fallbackPort}" has an edge`, DETERMINISTIC);
    }
    return [...targets];
  }
  const taken: string[] = [];
  for (const branch of route.branches) {
    if (branch.condition === undefined) {
      taken.push(branch.target);
      continue;
    }
    const holds = evaluateFeel(branch.condition, state, route.source) === true;
    if (!holds) continue;
    taken.push(branch.target);
    if (route.match === 'first') return taken;
  }
  if (taken.length > 0) return taken;
  if (route.fallback) return [route.fallback.target];
  throw new NodeExecutionError(route.source, 'route', 'no condition of its outgoing edges holds and it has no default edge', DETERMINISTIC);
}
