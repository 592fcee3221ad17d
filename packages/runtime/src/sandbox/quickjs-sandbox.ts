// User code runs in QuickJS compiled to WebAssembly, inside a worker thread:
// - QuickJS has no fs, network, process or host objects, so nothing of Node can be reached;
// - each call gets a fresh QuickJS runtime with its own memory limit and deadline;
// - the worker keeps the host's event loop free while user code runs, and is terminated when the
//   code outlives its deadline in a way QuickJS cannot interrupt (a garbage collector thrashing
//   near the memory limit, one long native call such as a sort), so a time limit always holds;
// - a worker runs one call at a time, and the call's clock starts when it is handed to the idle,
//   loaded worker: no call waits inside a worker behind another, and stopping a worker fails only
//   the call it was running. Callers that share sandboxes go through SandboxPool.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type * as WorkerThreads from 'node:worker_threads';
import type * as QuickJs from 'quickjs-emscripten';
import { SandboxError, type CodeSandbox, type SandboxLimits } from './code-sandbox';

interface SandboxRequest {
  readonly source: string;
  readonly stateJson: string;
  readonly limits: SandboxLimits;
}

type SandboxReply =
  | { readonly ready: true }
  | { readonly ok: true; readonly resultJson: string | undefined }
  | { readonly ok: false; readonly reason: SandboxError['reason']; readonly message: string };

/**
 * The worker's whole program. It is sent to the worker as source text (an `eval` worker), so it
 * must use nothing from this module's scope, only its arguments. `load` is the worker's own
 * CommonJS `require`, passed in by the source text: a bundler rewrites a `require` written here.
 * Keeping the program a typed function rather than a file keeps the bundled apps single-file.
 */
function sandboxWorkerMain(load: NodeJS.Require, quickjsModulePath: string): void {
  const { parentPort } = load('node:worker_threads') as typeof WorkerThreads;
  const quickjs = load(quickjsModulePath) as typeof QuickJs;
  const modulePromise = quickjs.newQuickJSWASMModule();
  // The host starts a call's clock only once the module is loaded, so a cold start never counts
  // against the user's time limit.
  void modulePromise.then(() => parentPort?.postMessage({ ready: true }));

  const classify = (dumped: unknown): { reason: 'error' | 'timeout' | 'memory'; message: string } => {
    const error = (typeof dumped === 'object' && dumped !== null ? dumped : { message: String(dumped) }) as { name?: string; message?: string };
    const message = error.message ?? String(dumped);
    if (/interrupted/i.test(message)) return { reason: 'timeout', message: 'the code ran longer than its time limit and was stopped' };
    if (/out of memory|stack overflow/i.test(message)) return { reason: 'memory', message: `the code exceeded its memory limit (${message})` };
    return { reason: 'error', message: error.name ? `${error.name}: ${message}` : message };
  };

  parentPort?.on('message', (request: SandboxRequest) => {
    void modulePromise.then((module) => {
      const runtime = module.newRuntime();
      runtime.setMemoryLimit(request.limits.memoryMb * 1024 * 1024);
      runtime.setMaxStackSize(1024 * 1024);
      const context = runtime.newContext();
      // The deadline starts after the context is built: on a loaded host that alone can take a
      // good part of a short time limit, and none of it is the user's code.
      runtime.setInterruptHandler(quickjs.shouldInterruptAfterDeadline(Date.now() + request.limits.timeoutMs));
      try {
        // The state crosses as JSON text, so no host object is ever handed to the guest.
        const program = `JSON.stringify((function (state) {\n${request.source}\n})(JSON.parse(${JSON.stringify(request.stateJson)})))`;
        const result = context.evalCode(program, 'code-node.js');
        if (result.error) {
          const dumped: unknown = context.dump(result.error);
          result.error.dispose();
          parentPort?.postMessage({ ok: false, ...classify(dumped) });
          return;
        }
        const text: unknown = context.dump(result.value);
        result.value.dispose();
        parentPort?.postMessage({ ok: true, resultJson: typeof text === 'string' ? text : undefined });
      } finally {
        context.dispose();
        runtime.dispose();
      }
    });
  });
}

/** How long past its deadline a call may take before its worker is terminated. */
const DEADLINE_GRACE_MS = 500;

interface RunningCall {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly watchdog: NodeJS.Timeout;
}

/** One worker thread and the call it runs; a stopped worker's late reply finds no call. */
interface SandboxWorker {
  readonly thread: Worker;
  /** Settles once QuickJS is loaded, or fails when the worker is stopped before that. */
  readonly ready: Promise<void>;
  readonly failStart: (error: SandboxError) => void;
  call: RunningCall | undefined;
}

export class QuickJsSandbox implements CodeSandbox {
  #worker: SandboxWorker | undefined;
  #busy = false;

  async run(source: string, state: unknown, limits: SandboxLimits): Promise<unknown> {
    // A second call would wait inside the worker with its clock already running; a pool queues
    // calls where waiting costs the user no time.
    if (this.#busy) throw new Error('a QuickJsSandbox runs one call at a time; share sandboxes through a SandboxPool');
    this.#busy = true;
    try {
      const request: SandboxRequest = { source, stateJson: JSON.stringify(state ?? {}), limits };
      const worker = this.#ensureWorker();
      await worker.ready;
      return await new Promise((resolve, reject) => {
        const watchdog = setTimeout(() => {
          this.#discard(worker, new SandboxError('timeout', 'the code ran past its time limit where it could not be interrupted, so its worker was stopped'));
        }, limits.timeoutMs + DEADLINE_GRACE_MS);
        worker.call = { resolve, reject, watchdog };
        worker.thread.postMessage(request);
      });
    } finally {
      this.#busy = false;
    }
  }

  /** Ends the worker, failing the call it runs; a later call starts a new one. */
  async close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    this.#discard(worker, new SandboxError('error', 'the sandbox was closed'));
    await worker.thread.terminate();
  }

  #ensureWorker(): SandboxWorker {
    if (this.#worker) return this.#worker;
    const quickjsModulePath = createRequire(import.meta.url).resolve('quickjs-emscripten');
    const thread = new Worker(`(${sandboxWorkerMain.toString()})(require, ${JSON.stringify(quickjsModulePath)})`, { eval: true });
    // An idle sandbox must not keep the process alive.
    thread.unref();
    let markReady: () => void = () => undefined;
    let failStart: (error: SandboxError) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    // A worker can fail before any call waits for it; the next call learns of it through `ready`.
    ready.catch(() => undefined);
    const worker: SandboxWorker = { thread, ready, failStart, call: undefined };
    thread.on('message', (reply: SandboxReply) => ('ready' in reply ? markReady() : this.#settle(worker, reply)));
    thread.on('error', (error) => this.#discard(worker, new SandboxError('error', `the sandbox failed: ${error.message}`)));
    thread.on('exit', (code) => this.#discard(worker, new SandboxError('error', `the sandbox worker stopped unexpectedly (exit code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  #settle(worker: SandboxWorker, reply: Exclude<SandboxReply, { ready: true }>): void {
    const call = worker.call;
    if (!call) return;
    worker.call = undefined;
    clearTimeout(call.watchdog);
    if (!reply.ok) {
      call.reject(new SandboxError(reply.reason, reply.message));
      return;
    }
    try {
      call.resolve(reply.resultJson === undefined ? undefined : (JSON.parse(reply.resultJson) as unknown));
    } catch {
      call.reject(new SandboxError('result', 'the code returned something that is not JSON data'));
    }
  }

  /** Stops a worker, failing only the call it runs; the next call starts a new worker. */
  #discard(worker: SandboxWorker, error: SandboxError): void {
    if (this.#worker === worker) this.#worker = undefined;
    worker.failStart(error);
    const call = worker.call;
    worker.call = undefined;
    if (call) {
      clearTimeout(call.watchdog);
      call.reject(error);
    }
    void worker.thread.terminate();
  }
}
