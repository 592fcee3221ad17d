// Runs executed on worker threads (run-worker.ts), so that node work and checkpoint writes never
// hold up the event loop that answers HTTP: a POST gets its 202 and an SSE client its events while
// runs execute. The main thread keeps each run's journal; the workers send events and wait on the
// journal's stores through protocol.ts. Each run goes to the worker with the fewest runs.
import { availableParallelism } from 'node:os';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { DEFAULT_ANSWER_BUDGET } from '@loomflow/runtime';
import { RunHostLostError, type HostedExecution, type RunCommand, type RunHost } from '../run-host';
import { DEFAULT_CODE_WORKERS, type RunEngineSettings } from '../run-engine';
import { RUN_WORKER_ROLE, type FromWorker, type RunWorkerData, type ToWorker } from './protocol';

/**
 * Each worker holds an engine of its own (about 130 MB resident with the bundle loaded), so the
 * default stops at four; LOOMFLOW_RUN_WORKERS sets more.
 */
const MAX_DEFAULT_RUN_WORKERS = 4;

/** One core stays with the HTTP thread; the others execute runs (one worker on two cores), up to four. */
export function defaultRunWorkers(): number {
  return Math.min(MAX_DEFAULT_RUN_WORKERS, Math.max(1, availableParallelism() - 1));
}

export interface WorkerRunHostOptions {
  /** The module a worker starts with; it must call `serveRunWorker` when it finds `RunWorkerData` (main.ts does). */
  readonly script: URL;
  readonly workers: number;
  readonly databaseUrl: string;
  /** The process's settings: the code workers and the answer budget are shared out among the run workers. */
  readonly settings: RunEngineSettings;
  /** Node options of the workers; the process's own by default (heap size, profiling). */
  readonly execArgv?: readonly string[] | undefined;
}

/**
 * A worker's share of the process's settings. LOOMFLOW_CODE_WORKERS and LOOMFLOW_CODE_QUEUE bound
 * the whole process, as they do when runs execute on the HTTP thread (each worker keeps one code
 * worker at least). The answer budget is shared out too, but a worker's share never falls below
 * the largest single answer it may read, which the budget would otherwise refuse on its own.
 */
function workerSettings(settings: RunEngineSettings, workers: number): RunEngineSettings {
  const budget = settings.answerBudgetBytes ?? DEFAULT_ANSWER_BUDGET.maxBytes;
  const largestAnswer = Math.max(settings.maxModelResponseBytes ?? 0, settings.maxMcpMessageBytes ?? 0);
  const maxQueued = settings.codeQueue?.maxQueued;
  return {
    ...settings,
    codeWorkers: Math.max(1, Math.floor((settings.codeWorkers ?? DEFAULT_CODE_WORKERS) / workers)),
    codeQueue: { maxQueued: maxQueued === undefined ? undefined : Math.floor(maxQueued / workers), maxWaitMs: settings.codeQueue?.maxWaitMs },
    answerBudgetBytes: Math.max(Math.floor(budget / workers), Math.min(budget, largestAnswer)),
  };
}

interface Hosted {
  readonly execution: HostedExecution;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  /** Why the main thread gave up on the run (its journal failed): the cause the run ends with. */
  failure?: unknown;
}

/** One worker thread and the runs it executes. */
class RunWorker {
  readonly runs = new Map<string, Hosted>();
  readonly ready: Promise<void>;
  readonly #thread: Worker;
  #closed: (() => void) | undefined;
  #closing = false;
  #stopped = false;

  constructor(options: WorkerRunHostOptions, onStop: (worker: RunWorker) => void) {
    const data: RunWorkerData = { role: RUN_WORKER_ROLE, databaseUrl: options.databaseUrl, settings: workerSettings(options.settings, options.workers) };
    this.#thread = new Worker(options.script, {
      workerData: data,
      env: SHARE_ENV,
      ...(options.execArgv ? { execArgv: [...options.execArgv] } : {}),
    });
    this.ready = new Promise((resolve, reject) => {
      this.#thread.on('message', (message: FromWorker) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'start-failed') reject(new Error(`a run worker thread could not start: ${message.message}`));
        else this.#receive(message);
      });
      // A worker that dies (a bug, or memory) stops its runs where their last steps committed: they
      // are continued as after a process that died. The host starts another worker for the next run.
      const stop = (why: string) => {
        if (this.#stopped) return;
        this.#stopped = true;
        reject(new Error(`the run worker thread stopped: ${why}`));
        this.#endRuns(new RunHostLostError(`the run worker thread executing it stopped: ${why}`));
        this.#closed?.();
        onStop(this);
      };
      this.#thread.on('error', (error) => stop(error.message));
      this.#thread.on('exit', (code) => stop(`it exited with code ${code}`));
    });
    // Nobody may be waiting yet; a start failure is reported to the first execution.
    this.ready.catch(() => undefined);
  }

  /**
   * Executes a run here once the worker is ready. It counts against this worker at once, so the
   * runs of a burst (a sweep, freed slots) spread over the workers.
   */
  run(runId: string, command: RunCommand, execution: HostedExecution): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#closing || this.#stopped) {
        reject(new RunHostLostError('the run worker thread is closing'));
        return;
      }
      const hosted: Hosted = { execution, resolve, reject };
      this.runs.set(runId, hosted);
      this.ready.then(
        () => {
          if (this.runs.get(runId) !== hosted) return;
          const { callLog, journal } = execution;
          this.#send({
            type: 'execute',
            runId,
            command,
            storedKeys: [...journal.storedKeys],
            storedCount: journal.storedCount,
            recorded: 'recorded' in callLog ? callLog.recorded : undefined,
          });
          const cancel = () => this.#send({ type: 'cancel', runId, reason: String(execution.signal.reason) });
          if (execution.signal.aborted) cancel();
          else execution.signal.addEventListener('abort', cancel, { once: true });
        },
        // A worker that could not start fails the run with the reason (a worker that died first has ended it already).
        (error: unknown) => {
          if (this.runs.get(runId) !== hosted) return;
          this.runs.delete(runId);
          reject(error);
        },
      );
    });
  }

  /** Asks the worker to release its engine and client, and resolves once it ended. */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.#stopped) return;
    const closed = new Promise<void>((resolve) => (this.#closed = resolve));
    this.#send({ type: 'close' });
    await closed;
    await this.#thread.terminate();
  }

  #endRuns(error: RunHostLostError): void {
    for (const hosted of this.runs.values()) hosted.reject(hosted.failure ?? error);
    this.runs.clear();
  }

  #send(message: ToWorker): void {
    this.#thread.postMessage(message);
  }

  #answer(token: number, done: Promise<unknown>, hosted: Hosted | undefined): void {
    done.then(
      () => this.#send({ type: 'answer', token }),
      (error: unknown) => {
        if (hosted) hosted.failure ??= error;
        this.#send({ type: 'answer', token, error: error instanceof Error ? error.message : String(error) });
      },
    );
  }

  #receive(message: Exclude<FromWorker, { type: 'ready' | 'start-failed' }>): void {
    if (message.type === 'closed') {
      this.#stopped = true;
      // A run that reached the worker after the run manager stopped its runs: continued after the restart.
      this.#endRuns(new RunHostLostError('the run host closed'));
      this.#closed?.();
      return;
    }
    const hosted = this.runs.get(message.runId);
    switch (message.type) {
      case 'events': {
        if (!hosted || hosted.failure !== undefined) return;
        if (hosted.execution.closing()) {
          // Shutting down: what the run still does is not recorded, so its later flushes must fail
          // too, or its step would commit without its events. It is continued after the restart.
          hosted.failure = new Error('the server is shutting down');
          this.#send({ type: 'cancel', runId: message.runId, reason: 'server shutting down' });
          return;
        }
        try {
          for (const { event, key } of message.events) hosted.execution.journal.push(event, key);
        } catch (error) {
          // The journal refuses more (a write failed, or another process took the run): stop the run.
          hosted.failure = error;
          this.#send({ type: 'cancel', runId: message.runId, reason: error instanceof Error ? error.message : String(error) });
        }
        return;
      }
      case 'flush': {
        if (!hosted) this.#answer(message.token, Promise.reject(new Error(`run ${message.runId} is not executing here`)), hosted);
        else this.#answer(message.token, hosted.failure === undefined ? hosted.execution.journal.flush() : Promise.reject(hosted.failure), hosted);
        return;
      }
      case 'record': {
        const { callLog } = hosted?.execution ?? {};
        const recorded = hosted?.failure !== undefined ? Promise.reject(hosted.failure) : callLog && 'record' in callLog ? Promise.resolve(callLog.record(message.call)) : Promise.reject(new Error(`run ${message.runId} records no calls here`));
        this.#answer(message.token, recorded, hosted);
        return;
      }
      case 'done': {
        if (!hosted) return;
        this.runs.delete(message.runId);
        if (hosted.failure !== undefined) hosted.reject(hosted.failure);
        else if (message.error !== undefined) hosted.reject(new Error(message.error));
        else hosted.execution.journal.flush().then(hosted.resolve, hosted.reject);
        return;
      }
    }
  }
}

export class WorkerRunHost implements RunHost {
  readonly #workers: RunWorker[] = [];
  #closing = false;

  constructor(private readonly options: WorkerRunHostOptions) {
    // Started now, so the first run does not wait for a worker to load the engine.
    this.#fill();
  }

  /** How many runs each worker holds (executing, or waiting for it to start). */
  get runsPerWorker(): number[] {
    return this.#workers.map((worker) => worker.runs.size);
  }

  /** Resolves once every worker has its engine open; rejects with why one could not start. */
  async ready(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.ready));
  }

  async execute(command: RunCommand, execution: HostedExecution): Promise<void> {
    // A worker that stopped is replaced when the next run comes, not in a loop: one that cannot start fails that run only.
    this.#fill();
    if (this.#workers.length === 0) throw new Error('the run host is closed');
    const worker = this.#workers.reduce((least, candidate) => (candidate.runs.size < least.runs.size ? candidate : least));
    await worker.run(execution.runId, command, execution);
  }

  async close(): Promise<void> {
    this.#closing = true;
    const workers = this.#workers.splice(0);
    await Promise.all(workers.map((worker) => worker.close()));
  }

  #fill(): void {
    while (!this.#closing && this.#workers.length < this.options.workers) {
      this.#workers.push(
        new RunWorker(this.options, (stopped) => {
          const index = this.#workers.indexOf(stopped);
          if (index >= 0) this.#workers.splice(index, 1);
        }),
      );
    }
  }
}
