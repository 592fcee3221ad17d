// The server's side of a run's journal (the runtime's `RunJournal`): the events a run yields are
// numbered after those already stored, written in batches, and handed to live listeners only once
// written. A batch is what arrived before the event loop turned once more, which is typically one
// LangGraph step: the runtime makes each step wait for its events to be stored before it commits.
import type { RunEvent } from '@loomflow/graph-schema';
import { runEventKey, type RunJournal } from '@loomflow/runtime';
import type { RunStore, StoredEvent } from './run-store';

/** Another server process holds the run now (this one's lease ran out): stop executing it. */
export class RunTakenOverError extends Error {
  override readonly name = 'RunTakenOverError';
}

export interface EventJournalOptions {
  readonly runId: string;
  /** This process's owner id: writes go in only while the run is still its own. */
  readonly owner: string;
  readonly store: RunStore;
  /** The `seq` of the first event this journal stores (after those stored by earlier processes). */
  readonly firstSeq: number;
  readonly storedKeys: ReadonlySet<string>;
  /** Runs before a batch is written, e.g. to create the human tasks its interrupts ask for. */
  readonly beforeWrite: (events: readonly RunEvent[]) => Promise<void>;
  /** Receives each batch once it is written. */
  readonly written: (events: readonly RunEvent[]) => void;
}

export class EventJournal implements RunJournal {
  readonly storedKeys: ReadonlySet<string>;
  readonly storedCount: number;
  #nextSeq: number;
  #buffer: StoredEvent[] = [];
  /** The last write, started or waiting for the one before it. */
  #tail: Promise<void> = Promise.resolve();
  /** A write that has not started yet: it takes everything buffered when it starts. */
  #next: Promise<void> | undefined;
  #failure: unknown;

  constructor(private readonly options: EventJournalOptions) {
    this.#nextSeq = options.firstSeq;
    this.storedKeys = options.storedKeys;
    // Events are numbered from 0, so the first new one's seq is how many came before it.
    this.storedCount = options.firstSeq;
  }

  /**
   * Takes one event the run yielded; it is written with the next batch. Throws once a write failed.
   * An event that crossed from a worker thread brings its identity along (the runtime keeps it
   * beside the event object, which a copy loses).
   */
  push(event: RunEvent, key: string | undefined = runEventKey(event)): void {
    if (this.#failure !== undefined) throw this.#failure;
    this.#buffer.push({ event: { ...event, seq: this.#nextSeq++ } as RunEvent, key });
    // Live listeners should not wait for the step to end; a failure surfaces at the next push or flush.
    if (this.#buffer.length === 1) this.flush().catch(() => undefined);
  }

  /** Resolves once every event pushed so far is written (and handed to listeners). */
  flush(): Promise<void> {
    if (this.#next) return this.#next;
    if (this.#buffer.length === 0) return this.#tail;
    // Writes run one after another, so batches reach the table and the listeners in order. Each
    // starts on a later turn of the event loop: the events of a step arrive as promise callbacks,
    // so they gather into one batch, and requests (SSE among them) get their turn between batches.
    const write = this.#tail.then(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      this.#next = undefined;
      await this.#write(this.#buffer.splice(0));
    });
    this.#next = write;
    this.#tail = write;
    return write;
  }

  async #write(batch: StoredEvent[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      const events = batch.map((stored) => stored.event);
      await this.options.beforeWrite(events);
      if (!(await this.options.store.append(this.options.runId, this.options.owner, batch))) {
        throw new RunTakenOverError(`run ${this.options.runId} is held by another server process now`);
      }
      this.options.written(events);
    } catch (error) {
      this.#failure ??= error;
      throw error;
    }
  }
}
