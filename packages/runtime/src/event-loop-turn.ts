// Taking turns with the rest of the process: a run's steps share the event loop with the server's
// requests, timers and other runs.

/**
 * Pure nodes with an in-memory checkpointer finish in microtasks only, so a loop of them would
 * never let timers or I/O run: no time limit, cancel request or other run would get a turn. A
 * node that starts after the process went this long without one waits for the next turn first.
 */
const EVENT_LOOP_TURN_MS = 10;
/** When the current turn of the event loop began (a `setImmediate` callback of ours ran). */
let turnStarted = performance.now();
/** Who waits for a turn, first come first served. */
const parked: (() => void)[] = [];
let turnScheduled = false;

/**
 * Each turn wakes one waiter. Woken together, every waiter would pass its check before any did
 * its work (each goes on after a hop through the microtask queue), and then each would work: 30
 * map tasks gave a turn 30 steps, 40 ms, where one waiter's 10 ms was meant.
 */
function scheduleTurn(): void {
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(() => {
    turnScheduled = false;
    turnStarted = performance.now();
    const next = parked.shift();
    if (parked.length > 0) scheduleTurn();
    next?.();
  });
}

export async function letEventLoopTurn(): Promise<void> {
  if (performance.now() - turnStarted < EVENT_LOOP_TURN_MS) return;
  await new Promise<void>((resolve) => {
    parked.push(resolve);
    scheduleTurn();
  });
}
