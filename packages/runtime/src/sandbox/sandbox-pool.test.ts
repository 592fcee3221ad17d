import { afterEach, describe, expect, it, vi } from 'vitest';
import { SandboxError } from './code-sandbox';
import { SandboxPool, type PooledSandbox, type SandboxPoolOptions } from './sandbox-pool';

const busy = (ms: number) => `const start = Date.now(); while (Date.now() - start < ${ms}) {} return { start, end: Date.now(), tag: state.tag };`;
const limits = { timeoutMs: 2_000, memoryMb: 16 };
type Span = { start: number; end: number; tag: string };

let pool: SandboxPool | undefined;
afterEach(() => pool?.close());

/** Two calls started together; whether their code ran at the same time. */
async function overlap(size: number): Promise<boolean> {
  pool = new SandboxPool(size);
  // Load the workers first, so that a cold start does not decide the result.
  await Promise.all([pool.run('return {}', {}, limits), pool.run('return {}', {}, limits)]);
  // A second of spinning each: on a host loaded many times over, a worker can take a few hundred
  // milliseconds to get its call going, and the spans must still meet.
  const [first, second] = (await Promise.all([pool.run(busy(1_000), { tag: 'a' }, limits), pool.run(busy(1_000), { tag: 'b' }, limits)])) as Span[];
  expect([first?.tag, second?.tag]).toEqual(['a', 'b']);
  return (first as Span).start < (second as Span).end && (second as Span).start < (first as Span).end;
}

/** A call the test ends by hand, on the sandbox (by creation order) the pool gave it to. */
interface HeldCall {
  readonly source: string;
  readonly sandbox: number;
  finish(): void;
  fail(error: unknown): void;
}

/** A pool of test sandboxes whose calls end only when the test says so. */
function heldPool(size: number, options: SandboxPoolOptions = {}) {
  const calls: HeldCall[] = [];
  const closed: number[] = [];
  let overlapped = false;
  let made = 0;
  const create = (): PooledSandbox => {
    const sandbox = made++;
    let running = false;
    return {
      run: (source) =>
        new Promise((resolve, reject) => {
          overlapped ||= running;
          running = true;
          const end = () => (running = false);
          calls.push({ source, sandbox, finish: () => (end(), resolve({ source })), fail: (error) => (end(), reject(error)) });
        }),
      close: async () => void closed.push(sandbox),
    };
  };
  const held = new SandboxPool(size, { ...options, create });
  pool = held;
  const call = (index: number) => calls[index] as HeldCall;
  /** Resolves once the pool has handed `count` calls to its sandboxes. */
  const started = (count: number) => vi.waitFor(() => expect(calls).toHaveLength(count));
  return { pool: held, calls, call, started, closed, overlapped: () => overlapped };
}

const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('SandboxPool', () => {
  it('runs the code of concurrent calls at the same time on two workers', { timeout: 30_000 }, async () => {
    expect(await overlap(2)).toBe(true);
  });

  it('runs them one after the other on one worker', { timeout: 30_000 }, async () => {
    expect(await overlap(1)).toBe(false);
  });

  it('keeps the other worker when a call overruns its deadline', async () => {
    pool = new SandboxPool(2);
    const runaway = pool.run('while (true) {}', {}, { timeoutMs: 200, memoryMb: 16 });
    const meanwhile = pool.run(busy(50), { tag: 'ok' }, limits);
    await expect(runaway).rejects.toBeInstanceOf(SandboxError);
    await expect(meanwhile).resolves.toMatchObject({ tag: 'ok' });
  });

  it('starts the clock of a waiting call when its code starts: short calls behind two long ones all succeed', { timeout: 30_000 }, async () => {
    const shared = new SandboxPool(2);
    pool = shared;
    const settled: string[] = [];
    const track = (tag: string, promise: Promise<unknown>) => promise.finally(() => settled.push(tag));
    // Both spin until QuickJS stops them at their own deadline, holding both workers for a second.
    const long = ['long1', 'long2'].map((tag) => track(tag, shared.run('for (;;) {}', {}, { timeoutMs: 1_000, memoryMb: 16 })));
    const short = ['short1', 'short2', 'short3', 'short4'].map((tag) => track(tag, shared.run('return { tag: state.tag };', { tag }, { timeoutMs: 300, memoryMb: 16 })));
    const outcomes = await Promise.allSettled([...long, ...short]);
    expect(outcomes).toEqual([
      ...['long1', 'long2'].map(() => ({ status: 'rejected', reason: expect.objectContaining({ reason: 'timeout' }) })),
      ...['short1', 'short2', 'short3', 'short4'].map((tag) => ({ status: 'fulfilled', value: { tag } })),
    ]);
    // The short calls waited for a worker longer than their own limit: nothing counted that wait.
    expect(settled.indexOf('short1')).toBeGreaterThan(Math.min(settled.indexOf('long1'), settled.indexOf('long2')));
  });

  it('fails only the call whose code QuickJS cannot interrupt; the call waiting behind it runs on a new worker', { timeout: 30_000 }, async () => {
    pool = new SandboxPool(1);
    // Sorting 100,000 copies of a 100,000-character string is one native call that takes minutes
    // and never lets QuickJS check its deadline, so only stopping the worker (at 1,000 + 500 ms)
    // ends it. The setup before the sort is tiny, so it is done well before the deadline.
    const runaway = pool.run('return { n: new Array(1e5).fill("x".repeat(1e5)).sort().length };', {}, { timeoutMs: 1_000, memoryMb: 16 });
    const behind = pool.run('return { ok: true };', {}, { timeoutMs: 300, memoryMb: 16 });
    const [stopped, after] = await Promise.allSettled([runaway, behind]);
    expect(stopped).toMatchObject({ status: 'rejected', reason: { reason: 'timeout', message: expect.stringContaining('worker was stopped') } });
    expect(after).toEqual({ status: 'fulfilled', value: { ok: true } });
  });

  it('gives a sandbox one call at a time and hands freed sandboxes to waiting calls in arrival order', async () => {
    const { pool, calls, call, started, overlapped } = heldPool(2);
    const results = ['a', 'b', 'c', 'd', 'e'].map((source) => pool.run(source, {}, limits));
    await started(2);
    call(1).finish();
    await started(3);
    call(0).finish();
    await started(4);
    call(3).finish();
    await started(5);
    for (const index of [2, 4]) call(index).finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd', 'e'].map((source) => ({ source })));
    expect(calls.map((held) => [held.source, held.sandbox])).toEqual([['a', 0], ['b', 1], ['c', 1], ['d', 0], ['e', 0]]);
    expect(overlapped()).toBe(false);
  });

  it('fails only the call whose sandbox failed; the next waiting call gets that sandbox', async () => {
    const { pool, call, started } = heldPool(1);
    const failing = pool.run('runaway', {}, limits);
    const behind = pool.run('after', {}, limits);
    await started(1);
    call(0).fail(new SandboxError('timeout', 'stopped'));
    await expect(failing).rejects.toMatchObject({ reason: 'timeout' });
    await started(2);
    call(1).finish();
    await expect(behind).resolves.toEqual({ source: 'after' });
  });

  it('refuses a call at once when the queue is full, naming the limit', async () => {
    const { pool, call, started } = heldPool(1, { maxQueued: 1 });
    const running = pool.run('running', {}, limits);
    const waiting = pool.run('waiting', {}, limits);
    const refused = await failureOf(pool.run('refused', {}, limits));
    expect(refused).toBeInstanceOf(SandboxError);
    expect(refused).toMatchObject({ reason: 'busy', message: expect.stringContaining('maxQueued: 1 calls') });
    await started(1);
    call(0).finish();
    await started(2);
    call(1).finish();
    await expect(Promise.all([running, waiting])).resolves.toEqual([{ source: 'running' }, { source: 'waiting' }]);
  });

  it('fails a call that waits longer than the wait limit, naming it, and gives the sandbox to the next', async () => {
    const { pool, call, started } = heldPool(1, { maxWaitMs: 50 });
    const running = pool.run('running', {}, limits);
    const expired = await failureOf(pool.run('expired', {}, limits));
    expect(expired).toBeInstanceOf(SandboxError);
    expect(expired).toMatchObject({ reason: 'busy', message: expect.stringContaining('maxWaitMs: 50 ms') });
    const next = pool.run('next', {}, limits);
    await started(1);
    call(0).finish();
    await started(2);
    expect(call(1).source).toBe('next');
    call(1).finish();
    await expect(Promise.all([running, next])).resolves.toEqual([{ source: 'running' }, { source: 'next' }]);
  });

  it('fails waiting calls when closed, and closes every sandbox', async () => {
    const { pool, calls, call, started, closed } = heldPool(2);
    const running = ['a', 'b'].map((source) => pool.run(source, {}, limits));
    const waiting = ['c', 'd'].map((source) => failureOf(pool.run(source, {}, limits)));
    await started(2);
    await pool.close();
    for (const failure of await Promise.all(waiting)) {
      expect(failure).toBeInstanceOf(SandboxError);
      expect(failure).toMatchObject({ message: expect.stringContaining('the sandbox pool was closed') });
    }
    expect(closed.sort()).toEqual([0, 1]);
    // Running calls end as their sandboxes' close makes them end; the failed waiters never start.
    for (const index of [0, 1]) call(index).finish();
    await Promise.all(running);
    expect(calls).toHaveLength(2);
  });

  it('refuses a size below one and limits that cannot work', () => {
    expect(() => new SandboxPool(0)).toThrow(RangeError);
    expect(() => new SandboxPool(1, { maxQueued: -1 })).toThrow(/maxQueued/);
    expect(() => new SandboxPool(1, { maxWaitMs: 0 })).toThrow(/maxWaitMs/);
    expect(() => new SandboxPool(1, { maxWaitMs: 2 ** 31 })).toThrow(/maxWaitMs/);
  });
});
