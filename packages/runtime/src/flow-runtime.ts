// The run API: compile a flow once, then run, resume, inspect, fork and cancel its threads. Every
// run is an async iterable of the event union of docs/run-events.md, which the CLI prints as NDJSON
// and the server streams as SSE, unchanged.
import { randomUUID } from 'node:crypto';
import { Command, GraphRecursionError, isNodeTimeoutError, type BaseCheckpointSaver, type StateSnapshot } from '@langchain/langgraph';
import { eventWaitsOf, readFiredEvent, readHumanRequest, readWaitRequest, stampRunEvent, type NodeTypeRegistry, type RunEvent, type RunEventBody } from '@loomflow/graph-schema';
import { validateAnswer } from './answer-schema';
import { CALL_LOG_KEY, RunCalls, type CallLog } from './call-log';
import { INTERNAL_CHANNEL_PREFIX, RUN_MODE_CHANNEL, buildStateGraph, drawnNodeId, type RunMode } from './build-graph';
import { letEventLoopTurn } from './event-loop-turn';
import { drained } from './drained-stream';
import { NodeExecutionError } from './errors';
import type { Executor, RuntimeServices, ServiceTaskHandler, SubflowRunner } from './executors';
import { DEFAULT_HOST_SERVICES, type HostServices } from './host-services';
import type { FlowIR } from './ir';
import { resolveRunLimits, type ResolvedRunLimits, type RunLimitNames, type RunLimits } from './limits';
import { lowerFlow } from './lower';
import { WITHDRAWN, instancesClosedBy } from './loop-activity';
import { withMessageJson } from './message-json';
import { installLightRunContext } from './run-context';
import { EVENT_DELIVERY_KEY, EventDelivery, setRunEventKey, type NodeEventChunk, type RunJournal } from './run-journal';
import { SandboxPool } from './sandbox/sandbox-pool';
import { resolveWithSystem } from './executors/network-guard';
import { cycleDueAt, timerDueAt } from './executors/timer-due';

export interface FlowRuntimeOptions {
  readonly checkpointer: BaseCheckpointSaver;
  readonly registry?: NodeTypeRegistry;
  /** The runtime's own machinery (sandbox, name lookup, flow store); each has a default but the flow store. */
  readonly services?: Partial<RuntimeServices>;
  /**
   * Services executors ask for by name (`ctx.service('models')`): model factory, credential
   * resolver, MCP client pool, retriever, clock. Only the clock has a default (`Date.now`); a node
   * asking for another the host left out fails with `service.unavailable`.
   */
  readonly hostServices?: Partial<HostServices>;
  /**
   * Executors the host adds or replaces, by node type id: a node type registered by the host (its
   * traits in the registry) runs with the host's executor.
   */
  readonly executors?: Readonly<Record<string, Executor>>;
  /**
   * Handlers of the jobs of BPMN service tasks, by job type (a service task's `external` topic,
   * Camunda's task definition type): the application's own code, called with the process variables.
   */
  readonly serviceTasks?: Readonly<Record<string, ServiceTaskHandler>>;
  /** Sizes and step counts no run may exceed (limits.ts has the defaults). */
  readonly limits?: Partial<RunLimits>;
  /** What the host calls each limit, so that an error names the setting that raises it. */
  readonly limitNames?: Partial<RunLimitNames>;
}

/** A run's wall-clock limit, and the setting that gave it (named when the run is stopped). */
export interface RunTimeLimit {
  readonly ms: number;
  readonly setting: string;
}

export interface Breakpoints {
  readonly before?: readonly string[];
  readonly after?: readonly string[];
}

export interface RunOptions {
  readonly threadId?: string;
  readonly runId?: string;
  readonly signal?: AbortSignal;
  readonly breakpoints?: Breakpoints;
  /**
   * Pause before whatever node runs next (one superstep at a time), on top of the breakpoints.
   * Only a thread in debug mode steps node by node; a normal thread steps by fused chain.
   */
  readonly step?: boolean;
  readonly recursionLimit?: number;
  /** Stops the run with `run_timeout` when it executes longer; defaults to the flow's `runTimeoutMs`. */
  readonly timeLimit?: RunTimeLimit;
  /**
   * Run every node as its own step, so the thread can be stopped, stepped and forked between any
   * two nodes. Implied by breakpoints. A thread keeps the mode it started with.
   */
  readonly debug?: boolean;
  /**
   * When a step's checkpoint is written: `async` (LangGraph's default) overlaps it with the next
   * step, `sync` finishes it first, so a process killed mid-run never repeats a finished step.
   */
  readonly durability?: 'sync' | 'async' | 'exit';
  /**
   * For a host that stores the events (the server): events it already stored are not emitted
   * again when a step is re-executed after a crash, and a step is committed only after its
   * events are stored (see run-journal.ts).
   */
  readonly journal?: RunJournal;
  /** Records the run's outside calls, or answers them from a recorded run's (call-log.ts). */
  readonly callLog?: CallLog;
}

export interface PendingInterrupt {
  readonly interruptId: string;
  readonly nodeId: string;
  /** `timer`, `message`, `signal`, `events` (an event-based gateway): a BPMN process waits for an event (graph-schema wait-request.ts); resume it when it happens. */
  readonly kind: 'human' | 'breakpoint' | 'timer' | 'message' | 'signal' | 'events';
  readonly payload: unknown;
  readonly schema?: Record<string, unknown>;
}

export interface ThreadState {
  readonly values: Record<string, unknown>;
  /** Node ids that run next; empty when the thread has finished. */
  readonly next: readonly string[];
  readonly interrupts: readonly PendingInterrupt[];
  readonly checkpointId?: string;
  readonly parentCheckpointId?: string;
  readonly step?: number;
  readonly createdAt?: string;
  /**
   * What made the checkpoint (LangGraph's checkpoint metadata): `input` (the run's input), `loop`
   * (a step of the graph), `update` (a state edit or fork), `fork`.
   */
  readonly source?: string;
}

/** The answer given to a waiting human step was refused; the thread still waits, unchanged. */
export class AnswerRejectedError extends Error {
  override readonly name = 'AnswerRejectedError';
}

/** There is nothing to resume: the thread is unknown, finished, or not waiting on that interrupt. */
export class NotWaitingError extends Error {
  override readonly name = 'NotWaitingError';
}

const defaultServices = (): RuntimeServices => ({
  // A worker takes one call at a time; the pool queues the code nodes of parallel branches.
  // A host running many flows at once passes a larger pool.
  sandbox: new SandboxPool(1),
  lookupHost: resolveWithSystem,
  maxResponseBytes: 10 * 1024 * 1024,
});

export class FlowRuntime {
  readonly services: RuntimeServices;
  readonly hostServices: Partial<HostServices>;
  readonly limits: ResolvedRunLimits;

  get executors(): Readonly<Record<string, Executor>> | undefined {
    return this.options.executors;
  }

  constructor(private readonly options: FlowRuntimeOptions) {
    installLightRunContext();
    this.services = { ...defaultServices(), ...options.services, ...(options.serviceTasks ? { serviceTasks: options.serviceTasks } : {}) };
    this.hostServices = { ...DEFAULT_HOST_SERVICES, ...options.hostServices };
    this.limits = resolveRunLimits(options.limits, options.limitNames);
  }

  /** Validates and compiles a flow; throws FlowInvalidError before anything runs. */
  compile(flow: unknown): CompiledFlow {
    return new CompiledFlow(lowerFlow(flow, this.options.registry ? { registry: this.options.registry } : {}), this, this.options.checkpointer, new Set());
  }

  /** Compiles a sub-flow, refusing a chain of sub-flows that leads back to one already running. */
  async compileSubflow(flowId: string, version: number | undefined, nodeId: string, ancestors: ReadonlySet<string>): Promise<CompiledFlow> {
    if (!this.services.loadFlow) throw new NodeExecutionError(nodeId, 'subflow', 'no flow store is available to load sub-flows from');
    if (ancestors.has(flowId)) throw new NodeExecutionError(nodeId, 'subflow', `sub-flow "${flowId}" would run inside itself`);
    const flow = await this.services.loadFlow(flowId, version);
    return new CompiledFlow(lowerFlow(flow, this.options.registry ? { registry: this.options.registry } : {}), this, this.options.checkpointer, new Set([...ancestors, flowId]));
  }
}

type BuiltGraph = ReturnType<typeof buildStateGraph>;

/** A compiled LangGraph graph and the naming between its nodes and the drawn ones. */
interface ModeGraph {
  readonly compiled: ReturnType<BuiltGraph['graph']['compile']>;
  readonly graphName: BuiltGraph['graphName'];
  readonly asNodeUpdate: BuiltGraph['asNodeUpdate'];
  /** The drawn node a LangGraph node name runs, read from the node's metadata. */
  readonly nodeIdOf: (name: string) => string;
}

export class CompiledFlow implements SubflowRunner {
  readonly #graphs = new Map<RunMode, ModeGraph>();

  constructor(
    readonly ir: FlowIR,
    private readonly runtime: FlowRuntime,
    private readonly checkpointer: BaseCheckpointSaver,
    private readonly ancestors: ReadonlySet<string>,
  ) {
    // Building the graph now surfaces unsupported nodes at compile time, not at run time: the one
    // its runs start with, and a sub-flow's (one with ancestors), which runs through invoke only.
    this.#graph(ancestors.size === 0 ? 'fused' : 'normal');
  }

  /** The id of the flow this was compiled from. */
  get flowId(): string {
    return this.ir.flowId;
  }

  /** The message whose arrival starts a new run of this flow (a BPMN message start event), if any. */
  get startMessage(): string | undefined {
    return this.ir.startMessage;
  }

  /** The signal whose broadcast starts a new run of this flow (a BPMN signal start event), if any. */
  get startSignal(): string | undefined {
    return this.ir.startSignal;
  }

  /** The timer of its timer start event, if any: a host starts runs when it is due (`nextTimerStart`). */
  get startTimer(): FlowIR['startTimer'] {
    return this.ir.startTimer;
  }

  /**
   * When its timer start event next starts a run, having started `started` runs, the last at about
   * `now`: a date once, a duration once counted from `now` (when the host first saw the process),
   * a cycle as often as it repeats. Undefined when it starts no more (or has no timer start).
   */
  nextTimerStart(now: number, started: number): number | undefined {
    const timer = this.ir.startTimer;
    if (!timer) return undefined;
    if (timer.timerType === 'cycle') return cycleDueAt(this.ir.entry, timer.value, now, started);
    return started > 0 ? undefined : timerDueAt(this.ir.entry, timer.timerType, timer.value, now);
  }

  /** Whether the flow draws a node with this id (what `updateState`'s `asNode` may name). */
  hasNode(nodeId: string): boolean {
    return this.ir.nodes.some((node) => node.id === nodeId);
  }

  /**
   * What `run.completed` reports of a thread's final values: the flow's declared outputs, or every
   * channel when it declares none. Hosts that write a run's outcome themselves (a server finishing
   * a run its dead process left) use this, so both say the same.
   */
  finalOutput(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
    return Object.fromEntries((this.ir.output ?? this.ir.channels.map((channel) => channel.name)).map((name) => [name, values[name]]));
  }

  #nodeType(nodeId: string): string {
    return this.ir.nodes.find((node) => node.id === nodeId)?.type ?? 'unknown';
  }

  /** The LangGraph graph of one mode, built on first use. */
  #graph(mode: RunMode): ModeGraph {
    let graph = this.#graphs.get(mode);
    if (!graph) {
      const built = buildStateGraph(this.ir, {
        services: this.runtime.services,
        hostServices: this.runtime.hostServices,
        ...(this.runtime.executors ? { executors: this.runtime.executors } : {}),
        limits: this.runtime.limits,
        fuseChains: mode !== 'debug',
        fuseForks: mode === 'fused',
        loadSubflow: (flowId, version, nodeId) => this.runtime.compileSubflow(flowId, version, nodeId, new Set([...this.ancestors, this.ir.flowId])),
      });
      const compiled = built.graph.compile({ checkpointer: this.checkpointer });
      graph = { compiled, graphName: built.graphName, asNodeUpdate: built.asNodeUpdate, nodeIdOf: (name) => drawnNodeId(compiled.nodes, name) };
      this.#graphs.set(mode, graph);
    }
    return graph;
  }

  /** The mode a thread started in, or undefined for a thread that does not exist yet. */
  async #modeOf(threadId: string): Promise<RunMode | undefined> {
    const tuple = await this.checkpointer.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: '' } });
    if (!tuple) return undefined;
    const mode = tuple.checkpoint.channel_values[RUN_MODE_CHANNEL];
    // A thread that says no mode started before modes were kept, when runs fused chains only.
    return mode === 'fused' || mode === 'debug' ? mode : 'normal';
  }

  async #graphOfThread(threadId: string) {
    // A thread that does not exist yet, edited into being, stores no mode: it is read back as `normal`.
    return this.#graph((await this.#modeOf(threadId)) ?? 'normal');
  }

  /** Starts a run on a new or existing thread. */
  run(input: Record<string, unknown>, options: RunOptions = {}): AsyncIterable<RunEvent> {
    return this.#execute(input, input, options);
  }

  /** The mode a run uses: the thread's own once it exists, else what the options ask for. */
  async #modeForRun(options: RunOptions): Promise<RunMode> {
    const existing = options.threadId === undefined ? undefined : await this.#modeOf(options.threadId);
    return existing ?? (options.debug || options.breakpoints ? 'debug' : 'fused');
  }

  /**
   * Continues a thread that waits on an interrupt; a human answer is checked before anything
   * changes. With `checkpointId`, continues from that earlier checkpoint instead of the latest:
   * LangGraph writes the continuation as a new branch of the thread, the old branch stays.
   */
  async resume(threadId: string, value: unknown, options: Omit<RunOptions, 'threadId'> & { interruptId?: string; checkpointId?: string } = {}): Promise<AsyncIterable<RunEvent>> {
    const state = await this.getState(threadId, options.checkpointId);
    const waiting = options.interruptId ? state.interrupts.find((pending) => pending.interruptId === options.interruptId) : state.interrupts[0];
    if (!waiting) {
      throw new NotWaitingError(options.interruptId ? `thread ${threadId} is not waiting on interrupt ${options.interruptId}` : `thread ${threadId} is not waiting on anything`);
    }
    if (waiting.kind === 'breakpoint') return this.#execute(null, { resumedFrom: waiting.nodeId }, { ...options, threadId });
    // One of the events the interrupt waits for besides its person (a boundary timer) is no answer of theirs.
    const fired = readFiredEvent(value);
    const isEvent = fired !== undefined && eventWaitsOf(waiting.payload).some((event) => event.nodeId === fired.firedEvent);
    const problem = waiting.schema && !isEvent ? validateAnswer(waiting.schema, value) : undefined;
    if (problem) throw new AnswerRejectedError(`the answer for node "${waiting.nodeId}" was refused: ${problem}`);
    // LangGraph refuses an empty resume: a timer that fired or a message without variables resumes with none.
    const answer = waiting.kind !== 'human' && (value === null || value === undefined) ? {} : value;
    // An answer that completes a multi-instance activity closes its other open instances with it.
    const closed = await this.instancesClosedBy(threadId, waiting, answer, options.checkpointId);
    const resume = state.interrupts.length > 1 ? { [waiting.interruptId]: answer, ...Object.fromEntries(closed.map((id) => [id, WITHDRAWN])) } : answer;
    return this.#execute(new Command({ resume }), { resume: value }, { ...options, threadId });
  }

  /**
   * The interrupts an answer to `waiting` closes besides its own: the other open instances of a
   * parallel multi-instance user task whose completion condition the answer makes hold (或签, the
   * first approval wins). A host closes their tasks when it resumes with the answer.
   */
  async instancesClosedBy(threadId: string, waiting: Pick<PendingInterrupt, 'interruptId' | 'nodeId' | 'payload'>, answer: unknown, checkpointId?: string): Promise<string[]> {
    const graph = await this.#graphOfThread(threadId);
    const snapshot = await graph.compiled.getState({ configurable: { thread_id: threadId, ...(checkpointId ? { checkpoint_id: checkpointId } : {}) } });
    return instancesClosedBy(this.ir, snapshot, waiting, answer, graph.graphName);
  }

  /**
   * Invoked when this flow runs as another flow's sub-flow. It checkpoints in its parent's thread,
   * where no mode of its own says which graph it started with, so it keeps the one it always had.
   */
  async invoke(input: Record<string, unknown>, config: Parameters<SubflowRunner['invoke']>[1]): Promise<Record<string, unknown>> {
    return (await this.#graph('normal').compiled.invoke({ ...input, [RUN_MODE_CHANNEL]: 'normal' }, { ...config, recursionLimit: this.#recursionLimit() })) as Record<string, unknown>;
  }

  /** The flow's (or the run's) step limit, within the most the host allows. */
  #recursionLimit(requested?: number): number {
    return Math.min(requested ?? this.ir.recursionLimit, this.runtime.limits.maxRecursionLimit);
  }

  /** The run's own limit, else the flow's or the host's default, within the host's maximum. */
  #timeLimit(options: RunOptions): RunTimeLimit | undefined {
    if (options.timeLimit) return options.timeLimit;
    const { defaultRunTimeoutMs, maxRunTimeoutMs, names } = this.runtime.limits;
    const requested = this.ir.runTimeoutMs ?? defaultRunTimeoutMs;
    if (requested > maxRunTimeoutMs) return { ms: maxRunTimeoutMs, setting: names.maxRunTimeoutMs };
    if (!Number.isFinite(requested)) return undefined;
    return { ms: requested, setting: this.ir.runTimeoutMs === undefined ? names.defaultRunTimeoutMs : "the flow's runTimeoutMs" };
  }

  async getState(threadId: string, checkpointId?: string): Promise<ThreadState> {
    const graph = await this.#graphOfThread(threadId);
    const snapshot = await graph.compiled.getState({ configurable: { thread_id: threadId, ...(checkpointId ? { checkpoint_id: checkpointId } : {}) } });
    return this.#toThreadState(snapshot, graph.nodeIdOf);
  }

  async getHistory(threadId: string, options: { limit?: number } = {}): Promise<ThreadState[]> {
    const graph = await this.#graphOfThread(threadId);
    const states: ThreadState[] = [];
    for await (const snapshot of graph.compiled.getStateHistory({ configurable: { thread_id: threadId } }, options.limit ? { limit: options.limit } : {})) {
      states.push(this.#toThreadState(snapshot, graph.nodeIdOf));
    }
    return states;
  }

  /**
   * Writes values into a thread as if node `asNode` had returned them, on top of the latest
   * checkpoint or, to fork, of `checkpointId`. Returns the new checkpoint's id.
   */
  async updateState(threadId: string, values: Record<string, unknown>, options: { asNode: string; checkpointId?: string }): Promise<string> {
    const graph = await this.#graphOfThread(threadId);
    const config = await graph.compiled.updateState(
      { configurable: { thread_id: threadId, ...(options.checkpointId ? { checkpoint_id: options.checkpointId } : {}) } },
      graph.asNodeUpdate(options.asNode, values),
      graph.graphName(options.asNode),
    );
    return String(config.configurable?.checkpoint_id);
  }

  #toThreadState(snapshot: StateSnapshot, nodeIdOf: (name: string) => string): ThreadState {
    const interrupts: PendingInterrupt[] = [];
    for (const task of snapshot.tasks) {
      // A task answered while others of its step still wait has completed: its old interrupt stays in the checkpoint.
      if (task.result !== undefined) continue;
      for (const pending of task.interrupts) {
        const request = readHumanRequest(pending.value);
        interrupts.push({
          interruptId: String(pending.id),
          nodeId: nodeIdOf(task.name),
          kind: readWaitRequest(pending.value)?.kind ?? 'human',
          payload: pending.value,
          ...(request ? { schema: request.schema } : {}),
        });
      }
    }
    const checkpointId = snapshot.config.configurable?.checkpoint_id as string | undefined;
    // A breakpoint pauses before the next nodes without an interrupt of its own.
    if (interrupts.length === 0 && snapshot.next.length > 0 && checkpointId) {
      const nodeId = nodeIdOf(snapshot.next[0] as string);
      interrupts.push({ interruptId: `breakpoint:${checkpointId}`, nodeId, kind: 'breakpoint', payload: { next: snapshot.next.map(nodeIdOf) } });
    }
    const parentCheckpointId = snapshot.parentConfig?.configurable?.checkpoint_id as string | undefined;
    const values = withMessageJson(Object.fromEntries(Object.entries(snapshot.values as Record<string, unknown>).filter(([key]) => !key.startsWith(INTERNAL_CHANNEL_PREFIX))));
    return {
      values,
      next: [...new Set(snapshot.next.map(nodeIdOf))],
      interrupts,
      ...(checkpointId ? { checkpointId } : {}),
      ...(parentCheckpointId ? { parentCheckpointId } : {}),
      ...(typeof snapshot.metadata?.step === 'number' ? { step: snapshot.metadata.step } : {}),
      ...(snapshot.createdAt ? { createdAt: snapshot.createdAt } : {}),
      ...(typeof snapshot.metadata?.source === 'string' ? { source: snapshot.metadata.source } : {}),
    };
  }

  async *#execute(input: unknown, startedInput: unknown, options: RunOptions & { readonly checkpointId?: string }): AsyncGenerator<RunEvent> {
    const threadId = options.threadId ?? randomUUID();
    const runId = options.runId ?? randomUUID();
    let seq = 0;
    const stamp = (body: RunEventBody, key?: string): RunEvent => {
      const event = stampRunEvent(withMessageJson(body), { runId, threadId, seq: seq++, ts: Date.now() });
      setRunEventKey(event, key);
      return event;
    };
    const stored = (key: string) => options.journal?.storedKeys.has(key) === true;
    const delivery = options.journal ? new EventDelivery(options.journal) : undefined;
    const startedNodes: string[] = [];
    /** Per node, how many of its executions started and did not end: one that paused stays here. */
    const unfinished = new Map<string, number>();
    let lastFailure: { nodeId: string; code: string; message: string } | undefined;
    let finalValues: Record<string, unknown> | undefined;
    let graphUsed: ModeGraph | undefined;

    const recursionLimit = this.#recursionLimit(options.recursionLimit);
    const timeLimit = this.#timeLimit(options);
    const deadline = timeLimit ? AbortSignal.timeout(timeLimit.ms) : undefined;
    const signals = [options.signal, deadline].filter((signal) => signal !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const { maxRunEvents, names } = this.runtime.limits;
    /** Events the run may still yield in this execution; those stored before a crash count too. */
    const eventBudget = maxRunEvents - (options.journal?.storedCount ?? 0);
    /** Set once the run yielded as many events as it may: where it was then. */
    let overflow: { readonly running?: string | undefined; readonly last?: string | undefined } | undefined;
    /**
     * Where the run was when it reached the limit, in nodes of this flow (a sub-flow's events come
     * through the same stream with the child's ids): the node running then (the one whose event
     * went over, if it is one), or between steps the last node to start.
     */
    const whereOverflowed = (candidate: string | undefined) => {
      const own = new Set(this.ir.nodes.map((node) => node.id));
      const running = (nodeId: string) => own.has(nodeId) && (unfinished.get(nodeId) ?? 0) > 0;
      if (candidate !== undefined && running(candidate)) return { running: candidate };
      const other = [...unfinished.keys()].find(running);
      return other === undefined ? { last: startedNodes.findLast((nodeId) => own.has(nodeId)) } : { running: other };
    };
    /** The run ended because it was stopped: cancelled by its host, over its time limit, or over its event limit. */
    const stopped = (): RunEventBody | undefined => {
      if (options.signal?.aborted) return { type: 'run.cancelled', reason: String(options.signal.reason ?? 'cancelled') };
      if (overflow) {
        const { running, last } = overflow;
        const nodeId = running ?? last;
        const naming = running !== undefined ? ` while node "${running}" was running` : last !== undefined ? ` after node "${last}" ran` : '';
        return { type: 'run.failed', error: { code: 'limit.events', message: `the run yielded more than ${maxRunEvents} events (${names.maxRunEvents}) and was stopped${naming}` }, ...(nodeId === undefined ? {} : { nodeId }) };
      }
      if (deadline?.aborted && timeLimit) {
        return { type: 'run.failed', error: { code: 'run_timeout', message: `the run took longer than its time limit of ${timeLimit.ms} ms (${timeLimit.setting}) and was stopped` } };
      }
      return undefined;
    };

    // A run continued after a crash has its `run.started` stored already.
    if (!stored('run.started')) yield stamp({ type: 'run.started', flowId: this.ir.flowId, input: startedInput }, 'run.started');
    try {
      const mode = await this.#modeForRun(options);
      graphUsed = this.#graph(mode);
      const { compiled, graphName } = graphUsed;
      const graphInput = input !== null && typeof input === 'object' && !(input instanceof Command) ? { ...input, [RUN_MODE_CHANNEL]: mode } : input;
      const stream = await compiled.stream(graphInput as never, {
        configurable: {
          thread_id: threadId,
          ...(options.checkpointId ? { checkpoint_id: options.checkpointId } : {}),
          ...(delivery ? { [EVENT_DELIVERY_KEY]: delivery } : {}),
          ...(options.callLog ? { [CALL_LOG_KEY]: new RunCalls(options.callLog) } : {}),
        },
        streamMode: ['custom', 'checkpoints'],
        recursionLimit,
        ...(options.durability ? { durability: options.durability } : {}),
        ...(signal ? { signal } : {}),
        ...(options.step ? { interruptBefore: '*' as const } : options.breakpoints?.before ? { interruptBefore: options.breakpoints.before.map(graphName) as never } : {}),
        ...(options.breakpoints?.after ? { interruptAfter: options.breakpoints.after.map(graphName) as never } : {}),
      });
      // A wide step leaves thousands of chunks waiting here; taking them gives the event loop turns.
      for await (const [mode, chunk] of drained(stream as AsyncIterable<[string, unknown]>, letEventLoopTurn)) {
        if (mode === 'custom') {
          const { event: body, key } = chunk as NodeEventChunk;
          if (body.type === 'node.started') startedNodes.push(body.nodeId);
          if (body.type === 'node.started' || body.type === 'node.completed' || body.type === 'node.failed') {
            unfinished.set(body.nodeId, (unfinished.get(body.nodeId) ?? 0) + (body.type === 'node.started' ? 1 : -1));
          }
          if (body.type === 'node.failed') lastFailure = { nodeId: body.nodeId, ...body.error };
          if (seq >= eventBudget) {
            // Leaving the stream aborts the graph's tasks; the failure is yielded below.
            overflow = whereOverflowed('nodeId' in body ? body.nodeId : undefined);
            break;
          }
          if (key === undefined || !stored(key)) yield stamp(body, key);
          // Back here, the host has taken the event (or stored it before a crash).
          delivery?.handedOver();
        } else if (mode === 'checkpoints') {
          const checkpoint = chunk as {
            config: { configurable?: Record<string, unknown> };
            parentConfig?: { configurable?: Record<string, unknown> };
            metadata?: { step?: number };
            values: Record<string, unknown>;
            next: readonly string[];
          };
          // The last checkpoint holds the final state; one with nodes still to run means the run paused.
          finalValues = checkpoint.next.length > 0 ? undefined : checkpoint.values;
          const checkpointId = String(checkpoint.config.configurable?.checkpoint_id);
          const parentId = checkpoint.parentConfig?.configurable?.checkpoint_id;
          // Continuing a thread reports the checkpoint it continues from again.
          const key = `checkpoint:${checkpointId}`;
          if (stored(key)) continue;
          if (seq >= eventBudget) {
            overflow = whereOverflowed(undefined);
            break;
          }
          yield stamp({ type: 'checkpoint', checkpointId, ...(typeof parentId === 'string' ? { parentId } : {}), step: checkpoint.metadata?.step ?? 0 }, key);
        }
      }
    } catch (error) {
      const stop = stopped();
      if (stop) {
        yield stamp(stop);
        return;
      }
      if (isNodeTimeoutError(error)) {
        // LangGraph abandons a node that outlives its timeout without the node noticing, so the
        // node's own failure event is sent here.
        const nodeId = (graphUsed ?? this.#graph('fused')).nodeIdOf(error.node);
        const failure = { code: 'timeout', message: `node "${nodeId}": took longer than its ${error.timeout} ms timeout` };
        yield stamp({ type: 'node.failed', nodeId, nodeType: this.#nodeType(nodeId), error: failure, attempt: 1, durationMs: error.elapsed });
        yield stamp({ type: 'run.failed', error: failure, nodeId });
        return;
      }
      yield stamp(this.#failure(error, startedNodes, lastFailure, recursionLimit));
      return;
    } finally {
      // Also when the consumer stops reading: a task still waiting for its events fails.
      delivery?.close();
    }
    const stop = stopped();
    if (stop) {
      yield stamp(stop);
      return;
    }
    // The last checkpoint's values are the final state, unless the run paused: then the thread's
    // state says on what. LangGraph sends no interrupt chunk when a step's interrupting task ran beside
    // others (a user task on a parallel branch), so a node that started and never ended counts too.
    const paused = [...unfinished.values()].some((count) => count > 0);
    if (!finalValues || paused) {
      for (const pending of (await this.getState(threadId)).interrupts) yield stamp({ type: 'interrupt', ...pending });
      return;
    }
    yield stamp({ type: 'run.completed', state: this.finalOutput(finalValues) });
  }

  #failure(error: unknown, startedNodes: readonly string[], lastFailure: { nodeId: string; code: string; message: string } | undefined, limit: number): RunEventBody {
    if (error instanceof GraphRecursionError) {
      // Name the loop: the nodes the run kept starting just before it hit the limit.
      const recent = startedNodes.slice(-Math.max(this.ir.nodes.length * 2, 10));
      const loop = [...new Set(recent.filter((nodeId) => recent.indexOf(nodeId) !== recent.lastIndexOf(nodeId)))];
      const loopText = loop.length > 0 ? ` in the loop ${loop.join(' → ')}` : '';
      const capped = limit === this.runtime.limits.maxRecursionLimit ? ` (the most ${this.runtime.limits.names.maxRecursionLimit} allows)` : '';
      return {
        type: 'run.failed',
        error: { code: 'recursion_limit', message: `the run took more than ${limit} steps${capped}${loopText}; a loop that never exits?` },
        ...(loop[0] ? { nodeId: loop[0] } : {}),
      };
    }
    if (error instanceof NodeExecutionError) return { type: 'run.failed', error: { code: error.code, message: error.message }, nodeId: error.nodeId };
    const message = error instanceof Error ? error.message : String(error);
    if (lastFailure) return { type: 'run.failed', error: { code: lastFailure.code, message: lastFailure.message }, nodeId: lastFailure.nodeId };
    return { type: 'run.failed', error: { code: 'error', message } };
  }
}
