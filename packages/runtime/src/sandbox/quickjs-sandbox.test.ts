import { afterAll, describe, expect, it } from 'vitest';
import { SandboxError } from './code-sandbox';
import { QuickJsSandbox } from './quickjs-sandbox';

const sandbox = new QuickJsSandbox();
afterAll(() => sandbox.close());
const limits = { timeoutMs: 500, memoryMb: 16 };

describe('QuickJsSandbox', () => {
  it('runs the body of a function of state and returns plain data', async () => {
    await expect(sandbox.run('return { doubled: state.n * 2, list: [state.n] };', { n: 21 }, limits)).resolves.toEqual({ doubled: 42, list: [21] });
  });

  it('finds nothing of Node from inside', async () => {
    const probe = `
      const found = [];
      try { found.push(typeof this.constructor.constructor('return process')()); } catch (e) { found.push('threw:' + e.name); }
      found.push(typeof require, typeof process, typeof globalThis.process, typeof fetch, typeof setTimeout);
      return { found, keys: Object.getOwnPropertyNames(globalThis).filter((k) => ['process', 'require', 'module', 'Buffer', 'fetch'].includes(k)) };`;
    const result = (await sandbox.run(probe, {}, limits)) as { found: string[]; keys: string[] };
    // The Function constructor exists, but the code it builds runs in the same empty realm.
    expect(result.found).toEqual(['threw:ReferenceError', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
    expect(result.keys).toEqual([]);
  });

  it('stops an endless loop at its time limit', async () => {
    const started = Date.now();
    const failure = await sandbox.run('while (true) {}', {}, { timeoutMs: 200, memoryMb: 16 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SandboxError);
    expect(failure).toMatchObject({ reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it.each(['new ArrayBuffer(2 ** 30)', 'new Array(1e9).fill(0)'])('stops a 1 GB allocation (%s) at its memory limit', async (allocation) => {
    const failure = await sandbox.run(`const big = ${allocation}; return { size: big.length };`, {}, { timeoutMs: 5000, memoryMb: 16 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ reason: 'memory' });
  });

  it('stops memory that grows slowly by its deadline at the latest', async () => {
    const failure = await sandbox.run('const kept = []; for (;;) kept.push(new Array(1e5).fill(1));', {}, { timeoutMs: 300, memoryMb: 16 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SandboxError);
    expect(['timeout', 'memory']).toContain((failure as SandboxError).reason);
  });

  it('keeps the host event loop free while user code spins, and recovers after a stopped worker', async () => {
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 10);
    await sandbox.run('for (;;) {}', {}, { timeoutMs: 300, memoryMb: 16 }).catch(() => undefined);
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(10);
    await expect(sandbox.run('return { ok: true };', {}, limits)).resolves.toEqual({ ok: true });
  });

  it('reports what the code threw, with its type', async () => {
    await expect(sandbox.run('throw new TypeError("bad amount");', {}, limits)).rejects.toThrow('TypeError: bad amount');
  });

  it('refuses a second call while one runs, so no call waits inside the worker with its clock running', async () => {
    const first = sandbox.run('return { first: true };', {}, limits);
    await expect(sandbox.run('return {};', {}, limits)).rejects.toThrow(/one call at a time/);
    await expect(first).resolves.toEqual({ first: true });
  });

  it('keeps running calls apart: nothing leaks from one to the next', async () => {
    await sandbox.run('globalThis.leak = 1; return {};', {}, limits);
    await expect(sandbox.run('return { leak: typeof globalThis.leak };', {}, limits)).resolves.toEqual({ leak: 'undefined' });
  });
});
