// Executes runs inside the server process: the one object the routes and the process (main.ts) talk
// to about runs. A run is started (or resumed) by a request that gets its id at once (202); it then
// executes in the background. The work is done by focused modules wired together here:
// - compile-cache.ts: compiled flows by document;
// - executions.ts (with run-slots.ts and leases.ts): the concurrency cap, pumping events into the
//   journal, cancelling, and renewing this process's leases while runs execute;
// - event-publisher.ts: journals per execution, and live listeners (SSE) of the stored batches;
// - human-tasks.ts: tasks created from human interrupts, and completing a task as a resume;
// - recovery.ts: taking over runs that no live process holds, and continuing them.
// Refusals are thrown as DomainErrors, which app.onError answers.
import type { Client } from '@libsql/client';
import type { FlowDocument, RunEvent } from '@loomflow/graph-schema';
import { AnswerRejectedError, NotWaitingError, type Breakpoints, type Clock, type CompiledFlow, type FlowRuntime } from '@loomflow/runtime';
import { randomUUID } from 'node:crypto';
import { serverDatabase } from '../db/database';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors';
import type { FlowStore } from '../flows/flow-store';
import type { TaskStore } from '../tasks/task-store';
import { CompileCache } from './compile-cache';
import { EventPublisher, type RunListener } from './event-publisher';
import { Executions } from './executions';
import { loadFlowJson } from './run-engine';
import { InProcessRunHost, type CommandOptions, type RunCommand, type RunHost } from './run-host';
import { BpmnWaits, type MessageDelivery, type SignalBroadcast } from './bpmn-waits';
import { HumanTasks } from './human-tasks';
import { TimerStarts } from './timer-starts';
import { DEFAULT_RUN_LEASE_MS, defaultOwnerId } from './leases';
import { DEFAULT_MAX_STALLED_RECOVERIES, Recovery } from './recovery';
import { jsonText, type NewRun, type RunRow, type RunStore, type StoredRunOptions, type ThreadRun } from './run-store';

/** How often the scheduler looks for due timers: a timer fires at most this late. */
export const DEFAULT_TIMER_INTERVAL_MS = 1000;
const DEFAULT_CLOCK: Clock = { now: () => Date.now() };

export interface StartRunRequest {
  readonly flowId: string;
  readonly version?: number | undefined;
  readonly input: Record<string, unknown>;
  readonly threadId?: string | undefined;
  readonly breakpoints?: Breakpoints | undefined;
  readonly debug?: boolean | undefined;
  /** Pause before the first node. */
  readonly step?: boolean | undefined;
}

/** What a thread is continued with: the answer to what it waits on, and how to go on. */
export interface ResumeRequest {
  readonly value: unknown;
  readonly interruptId?: string | undefined;
  /** Continue from this earlier checkpoint (a new branch) rather than the latest. */
  readonly checkpointId?: string | undefined;
  readonly step?: boolean | undefined;
  /** Replaces the thread's breakpoints from now on. */
  readonly breakpoints?: Breakpoints | undefined;
}

export interface RunManagerOptions {
  /** Runs executing at once in this process; more wait as `queued` (DEFAULT_MAX_CONCURRENT_RUNS). */
  readonly maxConcurrentRuns?: number | undefined;
  readonly leaseMs?: number | undefined;
  /** Takeovers in a row that may find a run no further before it fails (DEFAULT_MAX_STALLED_RECOVERIES). */
  readonly maxStalledRecoveries?: number | undefined;
  /** The setting that raises it, named in the failure. */
  readonly maxStalledRecoveriesSetting?: string | undefined;
  /** This process's id in `runs.owner`; unique per process (host, pid and a random part by default). */
  readonly ownerId?: string | undefined;
  /** The runs' clock, for timers (the host services' clock in tests); the system's by default. */
  readonly clock?: Clock | undefined;
  /**
   * Where runs execute: this event loop by default, with `runtime`. A host with an engine of its
   * own (worker threads) leaves `runtime` to compiling and reading threads here.
   */
  readonly host?: RunHost | undefined;
}

export class RunManager {
  readonly ownerId: string;
  readonly #leaseMs: number;
  readonly #runtime: FlowRuntime;
  readonly #cache: CompileCache;
  readonly #publisher: EventPublisher;
  readonly #humanTasks: HumanTasks;
  readonly #waits: BpmnWaits;
  readonly #timerStarts: TimerStarts;
  #timerSchedule: NodeJS.Timeout | undefined;
  readonly #executions: Executions;
  readonly #host: RunHost;
  readonly #recovery: Recovery;
  #closing = false;

  constructor(
    client: Client,
    runtime: FlowRuntime,
    private readonly flows: FlowStore,
    private readonly runs: RunStore,
    tasks: TaskStore,
    options: RunManagerOptions = {},
  ) {
    this.ownerId = options.ownerId ?? defaultOwnerId();
    this.#leaseMs = options.leaseMs ?? DEFAULT_RUN_LEASE_MS;
    this.#runtime = runtime;
    this.#cache = new CompileCache(this.#runtime);
    this.#humanTasks = new HumanTasks(tasks);
    // The runs' own clock, so a timer is due by the same time its run computed it with.
    this.#waits = new BpmnWaits(serverDatabase(client), options.clock ?? DEFAULT_CLOCK);
    this.#timerStarts = new TimerStarts({
      db: serverDatabase(client),
      clock: options.clock ?? DEFAULT_CLOCK,
      flows,
      compile: (flow) => this.#compiledOrNone(flow),
      start: (flowId) => this.start({ flowId, input: {} }),
    });
    this.#publisher = new EventPublisher({
      runs,
      ownerId: this.ownerId,
      beforeWrite: async (runId, events) => {
        await this.#humanTasks.createFor(runId, events);
        await this.#waits.createFor(runId, events);
      },
      afterWrite: (_runId, events) => {
        // A signal thrown by a stored node.completed goes out once; other instances catch it.
        for (const name of thrownSignals(events)) {
          this.broadcastSignal({ name, variables: {} }).catch((error: unknown) => console.error(`loomflow: broadcasting signal "${name}" failed: ${error instanceof Error ? error.message : String(error)}`));
        }
        // A sent message (send task, message throw or end event) goes to the instance waiting for it, correlated as POST /api/messages does.
        for (const message of sentMessages(events)) {
          this.deliverMessage(message).catch((error: unknown) =>
            console.error(`loomflow: delivering message "${message.name}"${message.correlationKey === undefined ? '' : ` (key "${message.correlationKey}")`} failed: ${error instanceof Error ? error.message : String(error)}`),
          );
        }
      },
    });
    const closing = () => this.#closing;
    this.#host = options.host ?? new InProcessRunHost(this.#cache);
    this.#executions = new Executions({ runs, ownerId: this.ownerId, leaseMs: this.#leaseMs, maxConcurrentRuns: options.maxConcurrentRuns, publisher: this.#publisher, host: this.#host, closing });
    this.#recovery = new Recovery({
      runs,
      ownerId: this.ownerId,
      leaseMs: this.#leaseMs,
      compileJson: (json) => this.#cache.compileJson(json),
      prepare: (runId, firstSeq, storedKeys, callLog) => this.#executions.prepare(runId, firstSeq, storedKeys, callLog),
      isActive: (runId) => this.#executions.isActive(runId),
      closing,
      maxStalledRecoveries: options.maxStalledRecoveries ?? DEFAULT_MAX_STALLED_RECOVERIES,
      maxStalledRecoveriesSetting: options.maxStalledRecoveriesSetting ?? 'maxStalledRecoveries',
    });
  }

  /** Values larger than this are shown as previews in events and thread states. */
  get valuePreviewBytes(): number {
    return this.#runtime.limits.eventValuePreviewBytes;
  }

  /** Starts a run on a new thread, or on an existing one with that thread's flow. */
  async start(request: StartRunRequest): Promise<{ runId: string; threadId: string }> {
    const previous = request.threadId ? await this.runs.latestOfThread(request.threadId) : undefined;
    if (previous && previous.flowId !== request.flowId) {
      throw new ConflictError('thread_flow_mismatch', `Thread "${previous.threadId}" runs flow "${previous.flowId}", not "${request.flowId}".`, {
        threadId: previous.threadId,
        flowId: previous.flowId,
      });
    }
    if (previous) this.#ensureIdle(previous);
    // A thread keeps the document it started with, so its checkpoints always match its graph.
    // The document stays JSON text here (see FlowStore.documentJson): nothing parses it when its
    // compiled flow is cached, and the run row and the run worker take the text as it is.
    const source = previous ? { json: previous.documentJson, version: previous.version ?? undefined } : await loadFlowJson(this.flows, request.flowId, request.version);
    // A flow that cannot run is refused (422) before any run is recorded; the host compiles it too.
    this.#cache.compileJson(source.json);
    const runId = randomUUID();
    const threadId = request.threadId ?? randomUUID();
    const options: StoredRunOptions = { ...(request.breakpoints ? { breakpoints: request.breakpoints } : {}), ...(request.debug || request.step ? { debug: true } : {}) };
    await this.#insert({
      id: runId,
      flowId: request.flowId,
      version: source.version ?? null,
      document: jsonText(source.json),
      threadId,
      status: 'queued',
      trigger: 'start',
      input: request.input,
      options,
      createdAt: Date.now(),
    });
    this.#executions.prepare(runId, 0, new Set()).launch({ kind: 'start', documentJson: source.json, input: request.input, options: { ...options, threadId, ...(request.step ? { step: true } : {}) } });
    return { runId, threadId };
  }

  /**
   * Runs a recorded run again on a new thread, with the same input, answering its outside calls
   * (model, HTTP, MCP, search) from the record of the run's thread instead of calling out: no
   * tokens spent, the same outputs. With `draft`, the flow's current draft runs instead of the
   * document the run ran, and the replay stops (`replay.diverged`) at the first node that asks
   * something the recorded run never asked.
   */
  async replay(runId: string, options: { draft?: boolean | undefined; checkpointId?: string | undefined } = {}): Promise<{ runId: string; threadId: string }> {
    const original = await this.runs.get(runId);
    if (!original) throw new NotFoundError('run_not_found', `Run "${runId}" does not exist.`);
    if (options.checkpointId !== undefined) return this.#replayFrom(original.threadId, options.checkpointId);
    if (original.trigger !== 'start' && original.trigger !== 'replay') {
      throw new UnprocessableError('replay_unsupported', `Run "${runId}" continued its thread (${original.trigger}); replay the run that started it.`, { trigger: original.trigger });
    }
    const source = options.draft ? await loadFlowJson(this.flows, original.flowId, undefined) : { json: JSON.stringify(original.document), version: original.version ?? undefined };
    this.#cache.compileJson(source.json);
    const recorded = await this.runs.callsOfThread(original.threadId);
    const { answers: _answers, replayOf: _replayOf, ...runOptions } = (original.options ?? {}) as StoredRunOptions;
    const replayId = randomUUID();
    const threadId = randomUUID();
    const input = (original.input ?? {}) as Record<string, unknown>;
    await this.#insert({
      id: replayId,
      flowId: original.flowId,
      version: source.version ?? null,
      document: jsonText(source.json),
      threadId,
      status: 'queued',
      trigger: 'replay',
      input,
      options: { ...runOptions, replayOf: original.threadId },
      createdAt: Date.now(),
    });
    this.#executions.prepare(replayId, 0, new Set(), { recorded }).launch({ kind: 'start', documentJson: source.json, input, options: { ...runOptions, threadId } });
    return { runId: replayId, threadId };
  }

  /**
   * Runs the continuation of a thread from one of its checkpoints again, as a new branch of the
   * thread, answering its outside calls from the thread's record: the steps after that checkpoint
   * are re-executed with no calls out, and the branches already there stay.
   */
  async #replayFrom(threadId: string, checkpointId: string): Promise<{ runId: string; threadId: string }> {
    const previous = await this.#threadRun(threadId);
    this.#ensureIdle(previous);
    const { documentJson } = previous;
    const compiled = this.#cache.compileJson(documentJson);
    const runId = randomUUID();
    const { answers: _answers, ...threadOptions } = (previous.options ?? {}) as StoredRunOptions;
    // A thread that is itself a replay answers from the record of the thread it replays.
    const recordedThread = threadOptions.replayOf ?? threadId;
    const execution = this.#executions.prepare(runId, 0, new Set(), { recorded: await this.runs.callsOfThread(recordedThread) });
    const command = await this.#resumeCommand(compiled, documentJson, threadId, { value: null, checkpointId });
    await this.#insert({
      id: runId,
      flowId: previous.flowId,
      version: previous.version,
      document: jsonText(documentJson),
      threadId,
      status: 'queued',
      trigger: 'replay',
      input: null,
      options: { ...threadOptions, replayOf: recordedThread },
      createdAt: Date.now(),
    });
    execution.launch(command);
    return { runId, threadId };
  }

  /** Answers what a thread waits on (a human step or a breakpoint) in a new run of that thread. */
  async resume(threadId: string, answer: ResumeRequest): Promise<{ runId: string }> {
    const previous = await this.#threadRun(threadId);
    this.#ensureIdle(previous);
    const { documentJson } = previous;
    const compiled = this.#cache.compileJson(documentJson);
    const runId = randomUUID();
    // A replayed thread that waits on a person goes on replaying once answered.
    const { replayOf } = (previous.options ?? {}) as StoredRunOptions;
    const execution = this.#executions.prepare(runId, 0, new Set(), replayOf === undefined ? undefined : { recorded: await this.runs.callsOfThread(replayOf) });
    const { answers: _previousAnswer, ...threadOptions } = (previous.options ?? {}) as StoredRunOptions;
    // Breakpoints stay with the thread, so that Continue stops at the next one too.
    const breakpoints = answer.breakpoints ?? threadOptions.breakpoints;
    const command = await this.#resumeCommand(compiled, documentJson, threadId, { ...answer, breakpoints });
    const waitingOn = (await compiled.getState(threadId, answer.checkpointId)).interrupts;
    const interruptId = answer.interruptId ?? waitingOn[0]?.interruptId;
    // The answer may complete a multi-instance activity and so close its other open instances (或签).
    const waiting = waitingOn.find((pending) => pending.interruptId === interruptId);
    const closed = waiting ? await compiled.instancesClosedBy(threadId, waiting, answer.value, answer.checkpointId) : [];
    const options: StoredRunOptions = { ...threadOptions, ...(breakpoints ? { breakpoints } : {}), ...(interruptId === undefined ? {} : { answers: interruptId }) };
    await this.#insert({
      id: runId,
      flowId: previous.flowId,
      version: previous.version,
      document: jsonText(documentJson),
      threadId,
      status: 'queued',
      trigger: 'resume',
      input: answer.value ?? null,
      options,
      createdAt: Date.now(),
    });
    if (interruptId !== undefined) {
      await this.#humanTasks.answered(threadId, interruptId, answer.value ?? null);
      await this.#waits.withdraw(threadId, interruptId);
    }
    await this.#humanTasks.closed(threadId, closed);
    execution.launch(command);
    return { runId };
  }

  /** Completes a human task, which answers its interrupt in a new run of its thread. */
  async completeTask(taskId: string, variables: Record<string, unknown>): Promise<{ runId: string }> {
    return this.#humanTasks.complete(taskId, variables, (threadId, answer) => this.resume(threadId, answer));
  }

  /**
   * Fires the BPMN timers that are due, each resuming its thread in a new run, and starts the
   * processes whose timer start event is due. The scheduler calls
   * this every interval; tests call it after moving their clock. Returns the runs started.
   */
  async fireDueTimers(): Promise<string[]> {
    const resumed = await this.#waits.fireDue((threadId, answer) => this.resume(threadId, answer));
    return [...resumed, ...(await this.#timerStarts.fireDue())];
  }

  /**
   * Fires due timers every `intervalMs` until close(). Timers live in the database, so those that
   * fell due while no server ran fire on the first round after a start.
   */
  scheduleTimers(intervalMs = DEFAULT_TIMER_INTERVAL_MS): void {
    if (this.#timerSchedule) return;
    this.#timerSchedule = setInterval(() => {
      this.fireDueTimers().catch((error: unknown) => console.error(`loomflow: firing due timers failed: ${error instanceof Error ? error.message : String(error)}`));
    }, intervalMs);
    this.#timerSchedule.unref();
  }

  /**
   * Delivers a BPMN message to the instance waiting for its name and correlation key; when none
   * waits, starts the stored process whose message start event it names, with its variables as
   * input. 404 when neither.
   */
  async deliverMessage(message: MessageDelivery): Promise<{ runId: string; threadId: string }> {
    try {
      return await this.#waits.deliver(message, (threadId, answer) => this.resume(threadId, answer));
    } catch (error) {
      if (!(error instanceof NotFoundError && error.code === 'message_not_correlated')) throw error;
      const flowId = await this.#flowStartedBy(message.name);
      if (flowId === undefined) throw error;
      return this.start({ flowId, input: message.variables });
    }
  }

  /**
   * Broadcasts a BPMN signal: every instance waiting for it (a catch event, a boundary event, an
   * event-based gateway) is resumed with its variables, and every stored process whose signal
   * start event names it starts with them as input. Reaching none is no error.
   */
  async broadcastSignal(signal: SignalBroadcast): Promise<{ runId: string; threadId: string }[]> {
    const resumed = await this.#waits.broadcast(signal, (threadId, answer) => this.resume(threadId, answer));
    const started: { runId: string; threadId: string }[] = [];
    for (const { id, flow } of await this.flows.bpmnDocuments()) {
      if (this.#compiledOrNone(flow)?.startSignal === signal.name) started.push(await this.start({ flowId: id, input: signal.variables }));
    }
    return [...resumed, ...started];
  }

  /** A stored draft that does not compile starts nothing on an event; running it says why. */
  #compiledOrNone(flow: FlowDocument): CompiledFlow | undefined {
    try {
      return this.#cache.compile(flow);
    } catch {
      return undefined;
    }
  }

  /** The first stored process (by id) whose message start event waits for this message. */
  async #flowStartedBy(messageName: string): Promise<string | undefined> {
    for (const { id, flow } of await this.flows.bpmnDocuments()) if (this.#compiledOrNone(flow)?.startMessage === messageName) return id;
    return undefined;
  }


  /** The compiled flow a thread runs, for its state and history. */
  async flowOfThread(threadId: string): Promise<CompiledFlow> {
    return this.#cache.compileJson((await this.#threadRun(threadId)).documentJson);
  }

  /**
   * Writes values into an idle thread as if node `asNode` had returned them, on top of its latest
   * checkpoint or, to fork, of `checkpointId`. Returns the new checkpoint's id.
   */
  /** Writes the values as `asNode`; returns the new checkpoint and the nodes it waits before. */
  async updateThreadState(threadId: string, values: Record<string, unknown>, options: { asNode: string; checkpointId?: string | undefined }): Promise<{ checkpointId: string; next: readonly string[] }> {
    const run = await this.#threadRun(threadId);
    this.#ensureIdle(run);
    const flow = this.#cache.compileJson(run.documentJson);
    if (!flow.hasNode(options.asNode)) throw new UnprocessableError('unknown_node', `Flow "${flow.flowId}" has no node "${options.asNode}".`, { asNode: options.asNode });
    const checkpointId = await flow.updateState(threadId, values, { asNode: options.asNode, ...(options.checkpointId ? { checkpointId: options.checkpointId } : {}) });
    // The editor marks where a fork waits; reading that one checkpoint here spares it the thread's history.
    return { checkpointId, next: (await flow.getState(threadId, checkpointId)).next };
  }

  /** Whether the run executes (or waits for a slot) in this process. */
  isActive(runId: string): boolean {
    return this.#executions.isActive(runId);
  }

  /** Whether the run waits in this process for a free slot (LOOMFLOW_MAX_CONCURRENT_RUNS). */
  isQueued(runId: string): boolean {
    return this.#executions.isQueued(runId);
  }

  /** Runs executing at once in this process; more wait as `queued`. */
  get maxConcurrentRuns(): number {
    return this.#executions.maxConcurrentRuns;
  }

  /** True once `close` began: event streams should end so the server can stop. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Asks a run to stop; false when it is not executing in this process. */
  cancel(runId: string): boolean {
    return this.#executions.cancel(runId);
  }

  subscribe(runId: string, listener: RunListener): () => void {
    return this.#publisher.subscribe(runId, listener);
  }

  /** Takes over the queued and running runs no live process holds; returns how many (recovery.ts). */
  async recover(): Promise<number> {
    return this.#recovery.recover();
  }

  /** Sweeps for runs to take over every half lease, until `close`. */
  sweepPeriodically(): void {
    this.#recovery.sweepPeriodically();
  }

  /**
   * Stops executing without recording an outcome and gives up this process's runs: they stay
   * `running`, and the next process to sweep (this server restarted, or another) continues them.
   */
  async close(): Promise<void> {
    // First, so that a sweep under way takes no more runs and executing runs record nothing more.
    this.#closing = true;
    clearInterval(this.#timerSchedule);
    this.#timerSchedule = undefined;
    await this.#recovery.stop();
    await this.#executions.stopAll('server shutting down');
    await this.#host.close();
    await this.runs.releaseLeases(this.ownerId);
  }

  async #insert(run: NewRun): Promise<void> {
    await this.runs.insert(run, this.ownerId, this.#leaseMs);
  }

  /**
   * The command that answers what the thread waits on, checked here first: an answer its form
   * refuses is a 422 and a thread that waits on nothing a 409, before any run is recorded. The
   * engine's `resume` checks without executing until its events are read, which the host does.
   */
  async #resumeCommand(compiled: CompiledFlow, documentJson: string, threadId: string, answer: ResumeRequest): Promise<RunCommand> {
    const options: CommandOptions = {
      ...(answer.interruptId ? { interruptId: answer.interruptId } : {}),
      ...(answer.checkpointId ? { checkpointId: answer.checkpointId } : {}),
      ...(answer.step ? { step: true } : {}),
      ...(answer.breakpoints ? { breakpoints: answer.breakpoints } : {}),
    };
    try {
      await compiled.resume(threadId, answer.value, options);
    } catch (error) {
      if (error instanceof AnswerRejectedError) throw new UnprocessableError('answer_rejected', error.message);
      if (error instanceof NotWaitingError) throw new ConflictError('not_waiting', error.message);
      throw error;
    }
    return { kind: 'resume', documentJson, threadId, value: answer.value, options };
  }

  async #threadRun(threadId: string): Promise<ThreadRun> {
    const run = await this.runs.latestOfThread(threadId);
    if (!run) throw new NotFoundError('thread_not_found', `No thread with id "${threadId}".`, { threadId });
    return run;
  }

  #ensureIdle(run: Pick<RunRow, 'status' | 'threadId' | 'id'>): void {
    if (run.status === 'queued' || run.status === 'running') {
      throw new ConflictError('thread_busy', `Thread "${run.threadId}" is running (run ${run.id}); wait for it or cancel it.`, { threadId: run.threadId, runId: run.id });
    }
  }
}

/** The BPMN nodes that send a message when they complete: send tasks, and message throw and end events. */
const messageSenders = new Set(['bpmn.sendTask', 'bpmn.intermediateThrowEvent', 'bpmn.endEvent']);

/** The messages sent by the nodes that completed in a batch of events; a send task's context payload gives the receiver its variables. */
function sentMessages(events: readonly RunEvent[]): MessageDelivery[] {
  return events.flatMap((event) => {
    if (event.type !== 'node.completed' || !messageSenders.has(event.nodeType)) return [];
    const message = (event.output as { message?: { name?: unknown; correlationKey?: unknown; payload?: unknown } } | null | undefined)?.message;
    if (typeof message?.name !== 'string') return [];
    const { payload } = message;
    const variables = payload === undefined ? {} : typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : { payload };
    return [{ name: message.name, ...(typeof message.correlationKey === 'string' ? { correlationKey: message.correlationKey } : {}), variables }];
  });
}

/** The signals thrown by the nodes that completed in a batch of events (intermediate throw and end events). */
function thrownSignals(events: readonly RunEvent[]): string[] {
  return events.flatMap((event) => {
    if (event.type !== 'node.completed') return [];
    const signal = (event.output as { signal?: { name?: unknown } } | null | undefined)?.signal;
    return typeof signal?.name === 'string' ? [signal.name] : [];
  });
}
