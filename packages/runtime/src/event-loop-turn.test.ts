import { describe, expect, it } from 'vitest';
import { letEventLoopTurn } from './event-loop-turn';

/** Keeps the thread busy for `ms`, as a node's synchronous work does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('letEventLoopTurn', () => {
  it('gives timers a turn every few milliseconds of work, however many tasks resume in the same turn', async () => {
    // 30 tasks (a map's batches) each doing 40 steps of 1 ms, checking for their turn before each.
    let ticks = 0;
    let done = false;
    const tick = () => {
      ticks += 1;
      if (!done) setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
    const task = async () => {
      for (let step = 0; step < 40; step += 1) {
        await letEventLoopTurn();
        busy(1);
      }
    };
    await Promise.all(Array.from({ length: 30 }, task));
    done = true;
    // 1.2 s of work in turns of about 10 ms lets the timer in about a hundred times. A turn per
    // task resuming (the bug this guards against) gave each turn 30 × 10 ms, about four ticks.
    expect(ticks).toBeGreaterThan(30);
  });
});
