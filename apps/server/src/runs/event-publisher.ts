// Where a run's events go once the runtime yields them: an EventJournal per run execution writes
// them in batches, then hands each written batch to the run's live listeners (SSE). A listener
// therefore never sees an event the table does not hold yet, so a reader who replays the table
// and then follows misses none.
import type { RunEvent } from '@loomflow/graph-schema';
import { EventJournal } from './event-journal';
import type { RunStore } from './run-store';

/** Receives a run's events in stored batches, then `end` when the run stops executing here. */
export type RunListener = (batch: readonly RunEvent[] | 'end') => void;

export interface EventPublisherOptions {
  readonly runs: RunStore;
  /** This process's owner id: a journal writes only while the run is still held by it. */
  readonly ownerId: string;
  /** Runs before a batch is stored (human tasks of its interrupts). */
  readonly beforeWrite: (runId: string, events: readonly RunEvent[]) => Promise<void>;
  /** Runs once a batch is stored (signals its nodes threw go out to other instances). */
  readonly afterWrite?: (runId: string, events: readonly RunEvent[]) => void;
}

export class EventPublisher {
  readonly #listeners = new Map<string, Set<RunListener>>();

  constructor(private readonly options: EventPublisherOptions) {}

  /** The journal of one execution of a run, numbering its events from `firstSeq`. */
  journal(runId: string, firstSeq: number, storedKeys: ReadonlySet<string>): EventJournal {
    return new EventJournal({
      runId,
      owner: this.options.ownerId,
      store: this.options.runs,
      firstSeq,
      storedKeys,
      beforeWrite: (events) => this.options.beforeWrite(runId, events),
      written: (events) => {
        this.#publish(runId, events);
        this.options.afterWrite?.(runId, events);
      },
    });
  }

  subscribe(runId: string, listener: RunListener): () => void {
    let listeners = this.#listeners.get(runId);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(runId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(runId);
    };
  }

  /** Tells the run's listeners it stopped executing here: they read the table from now on. */
  end(runId: string): void {
    this.#publish(runId, 'end');
  }

  #publish(runId: string, batch: readonly RunEvent[] | 'end'): void {
    for (const listener of this.#listeners.get(runId) ?? []) listener(batch);
  }
}
