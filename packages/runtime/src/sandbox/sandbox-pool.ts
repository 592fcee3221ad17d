// Code nodes of many runs share a few QuickJS workers. A call's time limit counts from the moment
// its script starts, so a call must never wait inside a busy worker: the pool hands each call to a
// free worker, and when all are busy the call waits here, in arrival order. The wait is bounded in
// length and in time, so an overloaded host fails calls with a reason the user can read instead
// of letting them pile up without end.
import { SandboxError, type CodeSandbox, type SandboxLimits } from './code-sandbox';
import { QuickJsSandbox } from './quickjs-sandbox';

/** A sandbox the pool owns: the pool gives it one call at a time and closes it with itself. */
export type PooledSandbox = CodeSandbox & { close(): Promise<void> };

export interface SandboxPoolOptions {
  /**
   * How many calls may wait for a free sandbox; the next one fails at once with reason `busy`.
   * 0 means a call never waits. Default: SANDBOX_POOL_DEFAULTS.maxQueued.
   */
  readonly maxQueued?: number | undefined;
  /**
   * How long a call may wait for a free sandbox before it fails with reason `busy`; the wait does
   * not count against the code's own time limit. Default: SANDBOX_POOL_DEFAULTS.maxWaitMs.
   */
  readonly maxWaitMs?: number | undefined;
  /** Makes each sandbox of the pool; a QuickJS worker by default, started on its first call. */
  readonly create?: (() => PooledSandbox) | undefined;
}

export const SANDBOX_POOL_DEFAULTS = {
  // Bounds the states held while waiting. A map without `maxConcurrency` calls the code of all
  // its items at once: a few thousand items must still queue, not fail; more need more.
  maxQueued: 4096,
  // Enough to wait out several long scripts (a code node's limit is 1 s by default, 60 s at
  // most); a call stuck longer is better failed, with a reason, than left to stall its run.
  maxWaitMs: 30_000,
} as const;

/** setTimeout treats a longer delay as 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Member {
  readonly sandbox: PooledSandbox;
  busy: boolean;
}

interface WaitingCall {
  readonly start: (member: Member) => void;
  readonly fail: (error: SandboxError) => void;
  readonly timer: NodeJS.Timeout;
}

export class SandboxPool implements CodeSandbox {
  readonly #members: Member[];
  readonly #queue: WaitingCall[] = [];
  readonly #maxQueued: number;
  readonly #maxWaitMs: number;

  /** `size` sandboxes that run code at the same time; more calls wait for one of them to be free. */
  constructor(size: number, options: SandboxPoolOptions = {}) {
    const { maxQueued = SANDBOX_POOL_DEFAULTS.maxQueued, maxWaitMs = SANDBOX_POOL_DEFAULTS.maxWaitMs, create = () => new QuickJsSandbox() } = options;
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a sandbox pool needs at least one sandbox, not ${size}`);
    if (!Number.isInteger(maxQueued) || maxQueued < 0) throw new RangeError(`maxQueued must be a whole number of calls, 0 or more, not ${maxQueued}`);
    if (!Number.isInteger(maxWaitMs) || maxWaitMs < 1 || maxWaitMs > MAX_TIMER_MS) {
      throw new RangeError(`maxWaitMs must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, not ${maxWaitMs}`);
    }
    this.#maxQueued = maxQueued;
    this.#maxWaitMs = maxWaitMs;
    this.#members = Array.from({ length: size }, () => ({ sandbox: create(), busy: false }));
  }

  async run(source: string, state: unknown, limits: SandboxLimits): Promise<unknown> {
    const member = this.#claimFree() ?? (await this.#waitForFree());
    try {
      return await member.sandbox.run(source, state, limits);
    } finally {
      this.#release(member);
    }
  }

  /** Fails the calls still waiting, then closes the sandboxes, failing the calls they run. */
  async close(): Promise<void> {
    for (const waiting of this.#queue.splice(0)) {
      clearTimeout(waiting.timer);
      waiting.fail(new SandboxError('error', 'the code did not start: the sandbox pool was closed'));
    }
    await Promise.all(this.#members.map((member) => member.sandbox.close()));
  }

  /** The first free sandbox, so that a second worker starts only when the first is busy. */
  #claimFree(): Member | undefined {
    const member = this.#members.find((candidate) => !candidate.busy);
    if (member) member.busy = true;
    return member;
  }

  #waitForFree(): Promise<Member> {
    if (this.#queue.length >= this.#maxQueued) {
      return Promise.reject(
        new SandboxError('busy', `the code did not start: all ${this.#members.length} code workers are busy and the queue is full (maxQueued: ${this.#maxQueued} calls)`),
      );
    }
    return new Promise((start, fail) => {
      const waiting: WaitingCall = {
        start,
        fail,
        timer: setTimeout(() => {
          this.#queue.splice(this.#queue.indexOf(waiting), 1);
          fail(new SandboxError('busy', `the code did not start: no code worker became free in time (maxWaitMs: ${this.#maxWaitMs} ms)`));
        }, this.#maxWaitMs),
      };
      this.#queue.push(waiting);
    });
  }

  /** A finished sandbox goes straight to the longest-waiting call, so a newcomer cannot overtake it. */
  #release(member: Member): void {
    const next = this.#queue.shift();
    if (!next) {
      member.busy = false;
      return;
    }
    clearTimeout(next.timer);
    next.start(member);
  }
}
