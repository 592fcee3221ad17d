// A host that stores a run's events and dies in the middle of a step, for the tests of exactly-once
// events (run-journal.test.ts, chain-tails.int.test.ts).
import type { RunEvent } from '@loomflow/graph-schema';
import { runEventKey, type RunJournal } from '../run-journal';

/**
 * Stores each event as it arrives, until `dies(event)` says the host died right after storing that
 * one: from then on nothing is stored and `flush` never resolves, as in a killed process.
 */
export class DyingJournal implements RunJournal {
  readonly storedKeys = new Set<string>();
  readonly storedCount = 0;
  readonly stored: RunEvent[] = [];
  #dead = false;

  constructor(private readonly dies: (event: RunEvent) => boolean = () => false) {}

  receive(event: RunEvent): boolean {
    if (this.#dead) return false;
    this.stored.push(event);
    const key = runEventKey(event);
    if (key !== undefined) this.storedKeys.add(key);
    this.#dead = this.dies(event);
    return !this.#dead;
  }

  flush(): Promise<void> {
    return this.#dead ? new Promise<void>(() => undefined) : Promise.resolve();
  }
}

/** Hands the run's events to the journal until its host dies. */
export async function consume(events: AsyncIterable<RunEvent>, journal: DyingJournal): Promise<void> {
  for await (const event of events) if (!journal.receive(event)) return;
}
