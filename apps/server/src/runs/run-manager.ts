// Executes runs inside the server process. A run is started (or resumed) by a request that gets its
// id at once (202); its events go through an EventJournal into run_events, and live listeners (SSE)
// get each batch once it is stored, so a reader who replays the table and then follows never
// misses one. Several server processes may share one database: each queued or running run is held
// by one of them (a lease it renews), and a process takes over only runs whose lease ran out.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Client } from '@libsql/client';
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import { RUN_EVENT_VERSION, type FlowDocument, type NodeTypeRegistry, type RunEvent, type RunEventBody } from '@loomflow/graph-schema';
import {
  AnswerRejectedError,
  FlowInvalidError,
  FlowRuntime,
  NodeExecutionError,
  NotWaitingError,
  type Breakpoints,
  type CodeSandbox,
  type CompiledFlow,
  type RunLimitNames,
  type RunLimits,
  type RunOptions,
} from '@loomflow/runtime';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors';
import type { FlowStore } from '../flows/flow-store';
import type { TaskStore } from '../tasks/task-store';
import { EventJournal, RunTakenOverError } from './event-journal';
import type { NewRun, RunRow, RunStore } from './run-store';

/**
 * Each step's checkpoint is written before the next step starts, so a server killed mid-run
 * never repeats a step that had finished (LangGraph's default overlaps the two).
 */
const SERVER_DURABILITY = 'sync' as const;

/** Receives a run's events in stored batches, then `end` when the run stops executing here. */
export type RunListener = (batch: readonly RunEvent[] | 'end') => void;

export interface StartRunRequest {
  readonly flowId: string;
  readonly version?: number | undefined;
  readonly input: Record<string, unknown>;
  readonly threadId?: string | undefined;
  readonly breakpoints?: Breakpoints | undefined;
  readonly debug?: boolean | undefined;
}

/** Compiled flows kept for reuse; compiling costs more than a small run. */
const COMPILED_CACHE_SIZE = 100;

/**
 * Runs executing at once; the rest wait as `queued`. Node steps share one event loop and a file
 * database writes synchronously, so more runs at once do not finish sooner: they all finish late
 * together, and requests (SSE among them) wait behind them.
 */
export const DEFAULT_MAX_CONCURRENT_RUNS = 8;

/**
 * How long a process's hold on a run lasts without renewal. A process that dies mid-run leaves
 * its runs to the others (or to its own restart) this long after its last renewal; one whose
 * event loop stalls longer than this loses its runs to another process.
 */
export const DEFAULT_RUN_LEASE_MS = 15_000;

export interface RunManagerOptions {
  /** Runs executing at once in this process; more wait as `queued`. */
  readonly maxConcurrentRuns?: number | undefined;
  readonly leaseMs?: number | undefined;
  /** This process's id in `runs.owner`; unique per process (host, pid and a random part by default). */
  readonly ownerId?: string | undefined;
  /** Runs code nodes (a QuickJS worker by default). */
  readonly sandbox?: CodeSandbox | undefined;
  readonly limits?: Partial<RunLimits> | undefined;
  readonly limitNames?: Partial<RunLimitNames> | undefined;
}

/** What `runs.options` holds: the run's own options, and for an answer the interrupt it answers. */
type StoredRunOptions = Pick<RunOptions, 'breakpoints' | 'debug'> & { readonly answers?: string };

export class RunManager {
  readonly ownerId: string;
  readonly #runtime: FlowRuntime;
  readonly #maxConcurrentRuns: number;
  readonly #leaseMs: number;
  readonly #compiled = new Map<string, CompiledFlow>();
  readonly #active = new Map<string, { readonly abort: AbortController; readonly done: Promise<void> }>();
  readonly #listeners = new Map<string, Set<RunListener>>();
  readonly #waitingForSlot: (() => void)[] = [];
  #executing = 0;
  #closing = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #sweeper: NodeJS.Timeout | undefined;
  #sweeping: Promise<number> | undefined;

  constructor(
    client: Client,
    registry: NodeTypeRegistry,
    private readonly flows: FlowStore,
    private readonly runs: RunStore,
    private readonly tasks: TaskStore,
    options: RunManagerOptions = {},
  ) {
    this.ownerId = options.ownerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#maxConcurrentRuns = options.maxConcurrentRuns ?? DEFAULT_MAX_CONCURRENT_RUNS;
    this.#leaseMs = options.leaseMs ?? DEFAULT_RUN_LEASE_MS;
    this.#runtime = new FlowRuntime({
      checkpointer: new LibsqlSaver(client),
      registry,
      services: {
        loadFlow: async (flowId, version) => (await this.#loadDocument(flowId, version)).flow,
        ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      },
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.limitNames ? { limitNames: options.limitNames } : {}),
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
    const source = previous
      ? { flow: previous.document as FlowDocument, version: previous.version ?? undefined }
      : await this.#loadDocument(request.flowId, request.version);
    const compiled = this.#compile(source.flow);
    const runId = randomUUID();
    const threadId = request.threadId ?? randomUUID();
    const options: StoredRunOptions = { ...(request.breakpoints ? { breakpoints: request.breakpoints } : {}), ...(request.debug ? { debug: true } : {}) };
    await this.#insert({
      id: runId,
      flowId: request.flowId,
      version: source.version ?? null,
      document: source.flow,
      threadId,
      status: 'queued',
      trigger: 'start',
      input: request.input,
      options,
      createdAt: Date.now(),
    });
    const journal = this.#journal(runId, 0, new Set());
    const abort = new AbortController();
    this.#launch(runId, abort, journal, compiled.run(request.input, { ...options, threadId, runId, signal: abort.signal, durability: SERVER_DURABILITY, journal }));
    return { runId, threadId };
  }

  /** Answers what a thread waits on (a human step or a breakpoint) in a new run of that thread. */
  async resume(threadId: string, answer: { value: unknown; interruptId?: string | undefined }): Promise<{ runId: string }> {
    const previous = await this.#threadRun(threadId);
    this.#ensureIdle(previous);
    const compiled = this.#compile(previous.document as FlowDocument);
    const runId = randomUUID();
    const abort = new AbortController();
    const journal = this.#journal(runId, 0, new Set());
    const events = await this.#resumeEvents(compiled, threadId, { runId, signal: abort.signal, durability: SERVER_DURABILITY, journal }, answer);
    const interruptId = answer.interruptId ?? (await compiled.getState(threadId)).interrupts[0]?.interruptId;
    const { answers: _previousAnswer, ...threadOptions } = (previous.options ?? {}) as StoredRunOptions;
    const options: StoredRunOptions = { ...threadOptions, ...(interruptId === undefined ? {} : { answers: interruptId }) };
    await this.#insert({
      id: runId,
      flowId: previous.flowId,
      version: previous.version,
      document: previous.document,
      threadId,
      status: 'queued',
      trigger: 'resume',
      input: answer.value ?? null,
      options,
      createdAt: Date.now(),
    });
    // An answer given here rather than through the task list still closes the step's task.
    if (interruptId !== undefined) await this.tasks.completeByInterrupt(threadId, interruptId, answer.value ?? null);
    this.#launch(runId, abort, journal, events);
    return { runId };
  }

  /** The compiled flow a thread runs, for its state, history and forks. */
  async flowOfThread(threadId: string): Promise<CompiledFlow> {
    return this.#compile((await this.#threadRun(threadId)).document as FlowDocument);
  }

  async assertThreadIdle(threadId: string): Promise<void> {
    this.#ensureIdle(await this.#threadRun(threadId));
  }

  /** Whether the run executes (or waits for a slot) in this process. */
  isActive(runId: string): boolean {
    return this.#active.has(runId);
  }

  /** True once `close` began: event streams should end so the server can stop. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Asks a run to stop; false when it is not executing in this process. */
  cancel(runId: string): boolean {
    const active = this.#active.get(runId);
    if (!active) return false;
    active.abort.abort('cancelled by request');
    return true;
  }

  subscribe(runId: string, listener: RunListener): () => void {
    let listeners = this.#listeners.get(runId);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(runId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(runId);
    };
  }

  /**
   * Takes over the queued and running runs that no live process holds (their owner died, or shut
   * down and released them) and continues them here. Each is claimed with a conditional UPDATE, so
   * when several processes sweep at once, each run goes to exactly one. Returns how many it took.
   */
  async recover(): Promise<number> {
    // One sweep at a time: a timer tick during a slow sweep waits for it instead of overlapping.
    this.#sweeping ??= this.#sweep().finally(() => (this.#sweeping = undefined));
    return this.#sweeping;
  }

  /** Sweeps for runs to take over every half lease, until `close`. */
  sweepPeriodically(): void {
    this.#sweeper ??= setInterval(() => void this.recover().catch((error: unknown) => console.error('loomflow: looking for runs to take over failed:', error)), this.#leaseMs / 2);
    // Sweeping alone must not keep the process alive.
    this.#sweeper.unref();
  }

  async #sweep(): Promise<number> {
    let taken = 0;
    for (const candidate of await this.runs.listUnclaimed()) {
      // Ours and executing: our renewal is late, not the run abandoned.
      if (this.#closing || this.#active.has(candidate.id)) continue;
      const run = await this.runs.claim(candidate.id, this.ownerId, this.#leaseMs);
      if (!run) continue;
      taken += 1;
      try {
        await this.#recoverRun(run);
      } catch (error) {
        console.error(`loomflow: cannot recover run ${run.id}:`, error);
        await this.runs.setStatus(run.id, 'interrupted', { code: 'recovery_failed', message: 'The server process executing this run stopped, and this run could not be continued.' });
      }
    }
    if (taken > 0) console.log(`loomflow: continuing ${taken} run(s) that no live server process held`);
    return taken;
  }

  /**
   * Continues a run from its thread's last checkpoint. LangGraph re-executes the step that was
   * under way (reusing the writes of its tasks that had finished) and the runtime does not emit
   * again the events this run already stored, so the log shows every step once.
   */
  async #recoverRun(run: RunRow): Promise<void> {
    const compiled = this.#compile(run.document as FlowDocument);
    const abort = new AbortController();
    const firstSeq = (await this.runs.lastSeq(run.id)) + 1;
    const journal = this.#journal(run.id, firstSeq, await this.runs.storedKeys(run.id));
    const { answers, ...runOptions } = (run.options ?? {}) as StoredRunOptions;
    const options = { ...runOptions, runId: run.id, signal: abort.signal, durability: SERVER_DURABILITY, journal };
    const answering = { ...options, ...(answers === undefined ? {} : { interruptId: answers }) };
    if (firstSeq === 0) {
      // Not even `run.started` was stored: the run never reached the engine, so it is started again.
      if (run.trigger === 'resume') {
        this.#launch(run.id, abort, journal, await compiled.resume(run.threadId, run.input, answering));
      } else {
        this.#launch(run.id, abort, journal, compiled.run((run.input ?? {}) as Record<string, unknown>, { ...options, threadId: run.threadId }));
      }
      return;
    }
    const state = await compiled.getState(run.threadId);
    if (run.trigger === 'resume' && state.interrupts.some((pending) => pending.kind === 'human' && pending.interruptId === answers)) {
      // The step that took the answer never committed, so the thread still asks: answer again.
      this.#launch(run.id, abort, journal, await compiled.resume(run.threadId, run.input, answering));
      return;
    }
    if (state.next.length > 0 && state.interrupts.every((pending) => pending.kind === 'breakpoint')) {
      // The runtime reports a thread stopped between steps as waiting on a breakpoint; resuming
      // that is LangGraph's run with no input, which continues from the last checkpoint.
      this.#launch(run.id, abort, journal, await compiled.resume(run.threadId, null, options));
      return;
    }
    // The thread finished or waits on a person, but the process died before storing that.
    const envelope = { v: RUN_EVENT_VERSION, runId: run.id, threadId: run.threadId, seq: 0, ts: Date.now() };
    const outcome: RunEventBody[] =
      state.interrupts.length > 0
        ? state.interrupts.map((pending) => ({ type: 'interrupt', ...pending }))
        : [{ type: 'run.completed', state: Object.fromEntries((compiled.ir.output ?? compiled.ir.channels.map((channel) => channel.name)).map((name) => [name, state.values[name]])) }];
    for (const body of outcome) journal.push({ ...body, ...envelope } as RunEvent);
    await journal.flush();
  }

  /**
   * Stops executing without recording an outcome and gives up this process's runs: they stay
   * `running`, and the next process to sweep (this server restarted, or another) continues them.
   */
  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#sweeper);
    await this.#sweeping;
    const active = [...this.#active.values()];
    for (const run of active) run.abort.abort('server shutting down');
    await Promise.all(active.map((run) => run.done));
    await this.runs.releaseLeases(this.ownerId);
  }

  async #insert(run: NewRun): Promise<void> {
    await this.runs.insert(run, this.ownerId, this.#leaseMs);
  }

  #journal(runId: string, firstSeq: number, storedKeys: ReadonlySet<string>): EventJournal {
    return new EventJournal({
      runId,
      owner: this.ownerId,
      store: this.runs,
      firstSeq,
      storedKeys,
      // Before the interrupt is stored: a crash in between leaves a task for a run that recovery
      // then finds waiting, never a waiting run without its task. Creating a task twice keeps one.
      beforeWrite: async (events) => {
        for (const event of events) {
          if (event.type === 'interrupt' && event.kind === 'human') {
            await this.tasks.createFromInterrupt({ runId, threadId: event.threadId, nodeId: event.nodeId, interruptId: event.interruptId, payload: event.payload, schema: event.schema });
          }
        }
      },
      written: (events) => this.#publish(runId, events),
    });
  }

  async #resumeEvents(compiled: CompiledFlow, threadId: string, options: Omit<RunOptions, 'threadId'>, answer: { value: unknown; interruptId?: string | undefined }) {
    try {
      return await compiled.resume(threadId, answer.value, { ...options, ...(answer.interruptId ? { interruptId: answer.interruptId } : {}) });
    } catch (error) {
      if (error instanceof AnswerRejectedError) throw new UnprocessableError('answer_rejected', error.message);
      if (error instanceof NotWaitingError) throw new ConflictError('not_waiting', error.message);
      throw error;
    }
  }

  async #threadRun(threadId: string): Promise<RunRow> {
    const run = await this.runs.latestOfThread(threadId);
    if (!run) throw new NotFoundError('thread_not_found', `No thread with id "${threadId}".`, { threadId });
    return run;
  }

  #ensureIdle(run: RunRow): void {
    if (run.status === 'queued' || run.status === 'running') {
      throw new ConflictError('thread_busy', `Thread "${run.threadId}" is running (run ${run.id}); wait for it or cancel it.`, { threadId: run.threadId, runId: run.id });
    }
  }

  async #loadDocument(flowId: string, version: number | undefined): Promise<{ flow: FlowDocument; version?: number }> {
    if (version !== undefined) {
      const stored = await this.flows.getVersion(flowId, version);
      if (!stored) throw new NotFoundError('version_not_found', `Flow "${flowId}" has no version ${version}.`, { flowId, version });
      return { flow: stored.flow, version };
    }
    const draft = await this.flows.get(flowId);
    if (!draft) throw new NotFoundError('flow_not_found', `No flow with id "${flowId}".`, { id: flowId });
    return { flow: draft.flow };
  }

  #compile(flow: FlowDocument): CompiledFlow {
    const key = JSON.stringify(flow);
    const cached = this.#compiled.get(key);
    if (cached) return cached;
    let compiled: CompiledFlow;
    try {
      compiled = this.#runtime.compile(flow);
    } catch (error) {
      if (error instanceof FlowInvalidError) throw new UnprocessableError('flow_invalid', `Flow "${flow.id}" cannot run: ${error.message}`, { issues: error.issues });
      // A node type whose executor has not arrived yet fails compilation, naming the node.
      if (error instanceof NodeExecutionError) throw new UnprocessableError('flow_unsupported', `Flow "${flow.id}" cannot run: ${error.message}`, { nodeId: error.nodeId });
      throw error;
    }
    if (this.#compiled.size >= COMPILED_CACHE_SIZE) this.#compiled.delete(this.#compiled.keys().next().value as string);
    this.#compiled.set(key, compiled);
    return compiled;
  }

  /** Runs the events of one run to their end in the background. */
  #launch(runId: string, abort: AbortController, journal: EventJournal, events: AsyncIterable<RunEvent>): void {
    const done = this.#slot()
      .then(() => this.#pump(runId, events, journal))
      .finally(() => {
        // The slot passes straight to the next queued run, so no newcomer can slip in between.
        const next = this.#waitingForSlot.shift();
        if (next) next();
        else this.#executing -= 1;
        this.#active.delete(runId);
        this.#keepLeases();
        this.#publish(runId, 'end');
      });
    this.#active.set(runId, { abort, done });
    this.#keepLeases();
  }

  /** Resolves when this run may execute, first come first served. */
  async #slot(): Promise<void> {
    if (this.#executing < this.#maxConcurrentRuns) {
      this.#executing += 1;
      return;
    }
    await new Promise<void>((resolve) => this.#waitingForSlot.push(resolve));
  }

  async #pump(runId: string, events: AsyncIterable<RunEvent>, journal: EventJournal): Promise<void> {
    try {
      for await (const event of events) {
        if (this.#closing) break;
        journal.push(event);
      }
      await journal.flush();
    } catch (error) {
      if (this.#closing) return;
      if (error instanceof RunTakenOverError) {
        // Another process continues the run; whatever this one still did is not recorded.
        console.error(`loomflow: ${error.message}; stopped executing it here`);
        this.#active.get(runId)?.abort.abort('another server process took the run over');
        return;
      }
      // The runtime turns node failures into events; reaching here means storage or the engine broke.
      console.error(`loomflow: run ${runId} failed outside its nodes:`, error);
      await this.runs.setStatus(runId, 'failed', { code: 'internal_error', message: 'The server failed while executing this run.' }).catch(() => undefined);
    }
  }

  /**
   * Renews this process's leases a few times per lease while it has runs, and notices runs that
   * another process took over meanwhile (this one stalled past its lease): those stop here.
   */
  #keepLeases(): void {
    if (this.#active.size === 0) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
      return;
    }
    this.#heartbeat ??= setInterval(() => {
      this.runs.renewLeases(this.ownerId, this.#leaseMs).then(
        (held) => {
          for (const [runId, run] of this.#active) if (!held.has(runId)) run.abort.abort('another server process took the run over');
        },
        (error: unknown) => console.error('loomflow: renewing run leases failed:', error),
      );
    }, this.#leaseMs / 3);
    // Renewal serves the runs; it must not keep a process alive that is done with them.
    this.#heartbeat.unref();
  }

  #publish(runId: string, batch: readonly RunEvent[] | 'end'): void {
    for (const listener of this.#listeners.get(runId) ?? []) listener(batch);
  }
}
