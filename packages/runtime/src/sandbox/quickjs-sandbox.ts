// User code runs in QuickJS compiled to WebAssembly, inside a worker thread:
// - QuickJS has no fs, network, process or host objects, so nothing of Node can be reached;
// - each call gets a fresh QuickJS runtime with its own memory limit and deadline;
// - the worker keeps the host's event loop free while user code runs, and is terminated when the
//   code outlives its deadline in a way QuickJS cannot interrupt (e.g. a garbage collector
//   thrashing near the memory limit), so a time limit always holds.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type * as WorkerThreads from 'node:worker_threads';
import type * as QuickJs from 'quickjs-emscripten';
import { SandboxError, type CodeSandbox, type SandboxLimits } from './code-sandbox';

interface SandboxRequest {
  readonly id: number;
  readonly source: string;
  readonly stateJson: string;
  readonly limits: SandboxLimits;
}

type SandboxReply =
  | { readonly ready: true }
  | { readonly id: number; readonly ok: true; readonly resultJson: string | undefined }
  | { readonly id: number; readonly ok: false; readonly reason: SandboxError['reason']; readonly message: string };

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
      runtime.setInterruptHandler(quickjs.shouldInterruptAfterDeadline(Date.now() + request.limits.timeoutMs));
      const context = runtime.newContext();
      try {
        // The state crosses as JSON text, so no host object is ever handed to the guest.
        const program = `JSON.stringify((function (state) {\n${request.source}\n})(JSON.parse(${JSON.stringify(request.stateJson)})))`;
        const result = context.evalCode(program, 'code-node.js');
        if (result.error) {
          const dumped: unknown = context.dump(result.error);
          result.error.dispose();
          parentPort?.postMessage({ id: request.id, ok: false, ...classify(dumped) });
          return;
        }
        const text: unknown = context.dump(result.value);
        result.value.dispose();
        parentPort?.postMessage({ id: request.id, ok: true, resultJson: typeof text === 'string' ? text : undefined });
      } finally {
        context.dispose();
        runtime.dispose();
      }
    });
  });
}

/** How long past its deadline a call may take before its worker is terminated. */
const DEADLINE_GRACE_MS = 500;

interface PendingCall {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly watchdog: NodeJS.Timeout;
}

export class QuickJsSandbox implements CodeSandbox {
  #worker: { thread: Worker; ready: Promise<void> } | undefined;
  #nextId = 0;
  readonly #pending = new Map<number, PendingCall>();

  async run(source: string, state: unknown, limits: SandboxLimits): Promise<unknown> {
    const worker = this.#ensureWorker();
    await worker.ready;
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const watchdog = setTimeout(() => {
        // QuickJS could not stop the code in time: stop the whole worker, fail the calls it held.
        this.#discardWorker(new SandboxError('timeout', 'the code ran longer than its time limit and was stopped'));
      }, limits.timeoutMs + DEADLINE_GRACE_MS);
      this.#pending.set(id, { resolve, reject, watchdog });
      const request: SandboxRequest = { id, source, stateJson: JSON.stringify(state ?? {}), limits };
      worker.thread.postMessage(request);
    });
  }

  /** Ends the worker; later calls start a new one. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#discardWorker(new SandboxError('error', 'the sandbox was closed'));
    await worker?.thread.terminate();
  }

  #ensureWorker(): { thread: Worker; ready: Promise<void> } {
    if (this.#worker) return this.#worker;
    const quickjsModulePath = createRequire(import.meta.url).resolve('quickjs-emscripten');
    const thread = new Worker(`(${sandboxWorkerMain.toString()})(require, ${JSON.stringify(quickjsModulePath)})`, { eval: true });
    // An idle sandbox must not keep the process alive.
    thread.unref();
    let markReady: () => void = () => undefined;
    let markFailed: (error: unknown) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    thread.on('message', (reply: SandboxReply) => ('ready' in reply ? markReady() : this.#settle(reply)));
    thread.on('error', (error) => {
      const failure = new SandboxError('error', `the sandbox failed: ${error.message}`);
      markFailed(failure);
      this.#discardWorker(failure);
    });
    this.#worker = { thread, ready };
    return this.#worker;
  }

  #settle(reply: Exclude<SandboxReply, { ready: true }>): void {
    const call = this.#pending.get(reply.id);
    if (!call) return;
    this.#pending.delete(reply.id);
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

  #discardWorker(error: SandboxError): void {
    const worker = this.#worker;
    this.#worker = undefined;
    for (const call of this.#pending.values()) {
      clearTimeout(call.watchdog);
      call.reject(error);
    }
    this.#pending.clear();
    void worker?.thread.terminate();
  }
}
