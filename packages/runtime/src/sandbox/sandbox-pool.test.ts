import { afterEach, describe, expect, it } from 'vitest';
import { SandboxError } from './code-sandbox';
import { SandboxPool } from './sandbox-pool';

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
  const [first, second] = (await Promise.all([pool.run(busy(300), { tag: 'a' }, limits), pool.run(busy(300), { tag: 'b' }, limits)])) as Span[];
  expect([first?.tag, second?.tag]).toEqual(['a', 'b']);
  return (first as Span).start < (second as Span).end && (second as Span).start < (first as Span).end;
}

describe('SandboxPool', () => {
  it('runs the code of concurrent calls at the same time on two workers', async () => {
    expect(await overlap(2)).toBe(true);
  });

  it('queues them behind each other on one worker', async () => {
    expect(await overlap(1)).toBe(false);
  });

  it('keeps the other worker when a call overruns its deadline', async () => {
    pool = new SandboxPool(2);
    const runaway = pool.run('while (true) {}', {}, { timeoutMs: 200, memoryMb: 16 });
    const meanwhile = pool.run(busy(50), { tag: 'ok' }, limits);
    await expect(runaway).rejects.toBeInstanceOf(SandboxError);
    await expect(meanwhile).resolves.toMatchObject({ tag: 'ok' });
  });

  it('refuses a size below one', () => {
    expect(() => new SandboxPool(0)).toThrow(RangeError);
  });
});
