// Executes runs inside the server process. A run is started (or resumed) by a request that gets its
// id at once (202); the events stream into run_events as they come, and live listeners (SSE) get
// each one after it is stored, so a reader who replays the table and then follows never misses one.
import { randomUUID } from 'node:crypto';
import type { Client } from '@libsql/client';
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import type { FlowDocument, NodeTypeRegistry, RunEvent } from '@loomflow/graph-schema';
import { AnswerRejectedError, FlowInvalidError, FlowRuntime, NodeExecutionError, NotWaitingError, type Breakpoints, type CompiledFlow } from '@loomflow/runtime';
import type { FlowStore } from '../flows/flow-store';
import type { TaskStore } from '../tasks/task-store';
import type { RunRow, RunStore } from './run-store';

/**
 * Each step's checkpoint is written before the next step starts, so a server killed mid-run
 * never repeats a step that had finished (LangGraph's default overlaps the two).
 */
const SERVER_DURABILITY = 'sync' as const;

/** Why a run could not be started or resumed; the routes turn it into a status and an error code. */
export class RunRequestError extends Error {
  override readonly name = 'RunRequestError';
  constructor(
    readonly status: 404 | 409 | 422,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

export type RunListener = (event: RunEvent | 'end') => void;

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

export class RunManager {
  readonly #runtime: FlowRuntime;
  readonly #compiled = new Map<string, CompiledFlow>();
  readonly #active = new Map<string, { readonly abort: AbortController; readonly done: Promise<void> }>();
  readonly #listeners = new Map<string, Set<RunListener>>();
  readonly #waitingForSlot: (() => void)[] = [];
  #executing = 0;
  #closing = false;

  constructor(
    client: Client,
    registry: NodeTypeRegistry,
    private readonly flows: FlowStore,
    private readonly runs: RunStore,
    private readonly tasks: TaskStore,
    private readonly maxConcurrentRuns = DEFAULT_MAX_CONCURRENT_RUNS,
  ) {
    this.#runtime = new FlowRuntime({
      checkpointer: new LibsqlSaver(client),
      registry,
      services: {
        loadFlow: async (flowId, version) => (await this.#loadDocument(flowId, version)).flow,
      },
    });
  }

  /** Starts a run on a new thread, or on an existing one with that thread's flow. */
  async start(request: StartRunRequest): Promise<{ runId: string; threadId: string }> {
    const previous = request.threadId ? await this.runs.latestOfThread(request.threadId) : undefined;
    if (previous && previous.flowId !== request.flowId) {
      throw new RunRequestError(409, 'thread_flow_mismatch', `Thread "${previous.threadId}" runs flow "${previous.flowId}", not "${request.flowId}".`, {
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
    const options = { ...(request.breakpoints ? { breakpoints: request.breakpoints } : {}), ...(request.debug ? { debug: true } : {}) };
    await this.runs.insert({
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
    const abort = new AbortController();
    this.#launch(runId, abort, compiled.run(request.input, { ...options, threadId, runId, signal: abort.signal, durability: SERVER_DURABILITY }));
    return { runId, threadId };
  }

  /** Answers what a thread waits on (a human step or a breakpoint) in a new run of that thread. */
  async resume(threadId: string, answer: { value: unknown; interruptId?: string | undefined }): Promise<{ runId: string }> {
    const previous = await this.#threadRun(threadId);
    this.#ensureIdle(previous);
    const compiled = this.#compile(previous.document as FlowDocument);
    const runId = randomUUID();
    const abort = new AbortController();
    const events = await this.#resumeEvents(compiled, threadId, runId, abort.signal, answer);
    await this.runs.insert({
      id: runId,
      flowId: previous.flowId,
      version: previous.version,
      document: previous.document,
      threadId,
      status: 'queued',
      trigger: 'resume',
      input: answer.value ?? null,
      options: previous.options,
      createdAt: Date.now(),
    });
    // An answer given here rather than through the task list still closes the step's task.
    const interruptId = answer.interruptId ?? (await compiled.getState(threadId)).interrupts[0]?.interruptId;
    if (interruptId !== undefined) await this.tasks.completeByInterrupt(threadId, interruptId, answer.value ?? null);
    this.#launch(runId, abort, events);
    return { runId };
  }

  /** The compiled flow a thread runs, for its state, history and forks. */
  async flowOfThread(threadId: string): Promise<CompiledFlow> {
    return this.#compile((await this.#threadRun(threadId)).document as FlowDocument);
  }

  async assertThreadIdle(threadId: string): Promise<void> {
    this.#ensureIdle(await this.#threadRun(threadId));
  }

  isActive(runId: string): boolean {
    return this.#active.has(runId);
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
   * Picks up the runs a previous process left queued or running. LangGraph continues a thread
   * from its last checkpoint when run with no new input: the steps that checkpoint records are not
   * done again, and the writes of tasks that finished in the unfinished step are reused. Each run
   * continues under its own id, its events numbered after the ones already stored.
   */
  async recover(): Promise<number> {
    const stranded = await this.runs.listActive();
    for (const run of stranded) {
      try {
        await this.#recoverRun(run);
      } catch (error) {
        console.error(`loomflow: cannot recover run ${run.id}:`, error);
        await this.runs.setStatus(run.id, 'interrupted', { code: 'recovery_failed', message: 'The server restarted and could not continue this run.' });
      }
    }
    return stranded.length;
  }

  async #recoverRun(run: RunRow): Promise<void> {
    const compiled = this.#compile(run.document as FlowDocument);
    const abort = new AbortController();
    const options = { ...this.#runOptions(run), runId: run.id, signal: abort.signal, durability: SERVER_DURABILITY };
    const firstSeq = (await this.runs.lastSeq(run.id)) + 1;
    if (firstSeq === 0) {
      // Not even `run.started` was stored: the run never reached the engine, so it is started again.
      if (run.trigger === 'resume') {
        this.#launch(run.id, abort, await compiled.resume(run.threadId, run.input, options));
      } else {
        this.#launch(run.id, abort, compiled.run((run.input ?? {}) as Record<string, unknown>, { ...options, threadId: run.threadId }));
      }
      return;
    }
    const state = await compiled.getState(run.threadId);
    if (state.next.length > 0 && state.interrupts.every((pending) => pending.kind === 'breakpoint')) {
      // The runtime reports a thread stopped between steps as waiting on a breakpoint; resuming
      // that is LangGraph's run with no input, which continues from the last checkpoint.
      this.#launch(run.id, abort, await compiled.resume(run.threadId, null, options), firstSeq, true);
      return;
    }
    // The thread finished or waits on a person, but the process died before recording it.
    await this.runs.setStatus(run.id, state.interrupts.length > 0 ? 'waiting' : 'completed');
  }

  /**
   * Stops executing without recording an outcome: the runs stay `running` in the database, so
   * the next start of the server continues them from their last checkpoint.
   */
  async close(): Promise<void> {
    this.#closing = true;
    const active = [...this.#active.values()];
    for (const run of active) run.abort.abort('server shutting down');
    await Promise.all(active.map((run) => run.done));
  }

  #runOptions(run: RunRow): { breakpoints?: Breakpoints; debug?: boolean } {
    return (run.options ?? {}) as { breakpoints?: Breakpoints; debug?: boolean };
  }

  async #resumeEvents(compiled: CompiledFlow, threadId: string, runId: string, signal: AbortSignal, answer: { value: unknown; interruptId?: string | undefined }) {
    try {
      return await compiled.resume(threadId, answer.value, { runId, signal, durability: SERVER_DURABILITY, ...(answer.interruptId ? { interruptId: answer.interruptId } : {}) });
    } catch (error) {
      if (error instanceof AnswerRejectedError) throw new RunRequestError(422, 'answer_rejected', error.message);
      if (error instanceof NotWaitingError) throw new RunRequestError(409, 'not_waiting', error.message);
      throw error;
    }
  }

  async #threadRun(threadId: string): Promise<RunRow> {
    const run = await this.runs.latestOfThread(threadId);
    if (!run) throw new RunRequestError(404, 'thread_not_found', `No thread with id "${threadId}".`, { threadId });
    return run;
  }

  #ensureIdle(run: RunRow): void {
    if (run.status === 'queued' || run.status === 'running') {
      throw new RunRequestError(409, 'thread_busy', `Thread "${run.threadId}" is running (run ${run.id}); wait for it or cancel it.`, { threadId: run.threadId, runId: run.id });
    }
  }

  async #loadDocument(flowId: string, version: number | undefined): Promise<{ flow: FlowDocument; version?: number }> {
    if (version !== undefined) {
      const stored = await this.flows.getVersion(flowId, version);
      if (!stored) throw new RunRequestError(404, 'version_not_found', `Flow "${flowId}" has no version ${version}.`, { flowId, version });
      return { flow: stored.flow, version };
    }
    const draft = await this.flows.get(flowId);
    if (!draft) throw new RunRequestError(404, 'flow_not_found', `No flow with id "${flowId}".`, { id: flowId });
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
      if (error instanceof FlowInvalidError) throw new RunRequestError(422, 'flow_invalid', `Flow "${flow.id}" cannot run: ${error.message}`, { issues: error.issues });
      // A node type whose executor has not arrived yet fails compilation, naming the node.
      if (error instanceof NodeExecutionError) throw new RunRequestError(422, 'flow_unsupported', `Flow "${flow.id}" cannot run: ${error.message}`, { nodeId: error.nodeId });
      throw error;
    }
    if (this.#compiled.size >= COMPILED_CACHE_SIZE) this.#compiled.delete(this.#compiled.keys().next().value as string);
    this.#compiled.set(key, compiled);
    return compiled;
  }

  /**
   * Runs the events of one run to their end in the background. `firstSeq` renumbers a continued
   * run's events after those already stored; `skipStart` drops the second `run.started` of a
   * continued run (its first is stored).
   */
  #launch(runId: string, abort: AbortController, events: AsyncIterable<RunEvent>, firstSeq = 0, skipStart = false): void {
    const done = this.#slot()
      .then(() => this.#pump(runId, events, firstSeq, skipStart))
      .finally(() => {
        // The slot passes straight to the next queued run, so no newcomer can slip in between.
        const next = this.#waitingForSlot.shift();
        if (next) next();
        else this.#executing -= 1;
        this.#active.delete(runId);
        this.#publish(runId, 'end');
      });
    this.#active.set(runId, { abort, done });
  }

  /** Resolves when this run may execute, first come first served. */
  async #slot(): Promise<void> {
    if (this.#executing < this.maxConcurrentRuns) {
      this.#executing += 1;
      return;
    }
    await new Promise<void>((resolve) => this.#waitingForSlot.push(resolve));
  }

  async #pump(runId: string, events: AsyncIterable<RunEvent>, firstSeq: number, skipStart: boolean): Promise<void> {
    let seq = firstSeq;
    try {
      for await (const raw of events) {
        if (this.#closing) return;
        if (skipStart && raw.type === 'run.started') continue;
        const event = { ...raw, seq: seq++ } as RunEvent;
        await this.runs.append(event);
        if (event.type === 'interrupt' && event.kind === 'human') {
          await this.tasks.createFromInterrupt({ runId, threadId: event.threadId, nodeId: event.nodeId, interruptId: event.interruptId, payload: event.payload, schema: event.schema });
        }
        this.#publish(runId, event);
        // A run's steps and a file database's writes can all settle as promise callbacks, which
        // never let the event loop reach I/O: without this, new requests and SSE connections
        // would wait until every queued run had finished.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      if (this.#closing) return;
      // The runtime turns node failures into events; reaching here means storage or the engine broke.
      console.error(`loomflow: run ${runId} failed outside its nodes:`, error);
      await this.runs.setStatus(runId, 'failed', { code: 'internal_error', message: 'The server failed while executing this run.' }).catch(() => undefined);
    }
  }

  #publish(runId: string, event: RunEvent | 'end'): void {
    for (const listener of this.#listeners.get(runId) ?? []) listener(event);
  }
}
