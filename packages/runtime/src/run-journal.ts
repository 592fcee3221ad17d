// Exactly-once run events for hosts that store them (the server). A process that dies in the
// middle of a LangGraph step re-executes that step from the last checkpoint when the run
// continues, and the step emits its events again. Two rules keep the stored log free of both
// duplicates and gaps:
// - Events that re-execution repeats identically carry a deterministic identity (`runEventKey`):
//   the LangGraph task id (derived from the checkpoint and the step), the attempt and the event's
//   index within the task. A continued run is told which identities are stored and does not emit
//   those again.
// - A task returns (and LangGraph commits its writes, after which it is never re-executed) only
//   once the host has stored every event emitted so far (`EventDelivery.settle`), so no event of a
//   committed task can be missing from the log.
import type { RunEvent, RunEventBody } from '@loomflow/graph-schema';

/** What a host that stores a run's events lends the run (`RunOptions.journal`). */
export interface RunJournal {
  /** Identities of this run's events that the host stored already; they are not emitted again. */
  readonly storedKeys: ReadonlySet<string>;
  /** How many events of this run the host stored already (a run continued after a crash): they count against `maxRunEvents`. */
  readonly storedCount: number;
  /** Resolves once every event the run has yielded so far is stored. */
  flush(): Promise<void>;
}

/** What a node writes into LangGraph's custom stream: a run event and, if it has one, its identity. */
export interface NodeEventChunk {
  readonly event: RunEventBody;
  readonly key?: string;
}

/** The configurable key under which a run's delivery tracker reaches its nodes (and sub-flows). */
export const EVENT_DELIVERY_KEY = '__loomflow_event_delivery';

const keys = new WeakMap<RunEvent, string>();

/**
 * The identity of an event a run yielded, when re-executing its step would produce the same event
 * again: events of nodes without side effects, `run.started` and `checkpoint`. Events of nodes
 * with side effects have none: when such a node really runs twice, its log shows both runs.
 */
export function runEventKey(event: RunEvent): string | undefined {
  return keys.get(event);
}

export function setRunEventKey(event: RunEvent, key: string | undefined): void {
  if (key !== undefined) keys.set(event, key);
}

/**
 * Counts a run's node events from emission (inside a node, synchronous) to hand-over (the host
 * asked for the next event). LangGraph's custom stream keeps emission order, so "the first n
 * events were handed over" is a count.
 */
export class EventDelivery {
  #emitted = 0;
  #handedOver = 0;
  #waiting: { readonly upTo: number; readonly resolve: () => void; readonly reject: (error: Error) => void }[] = [];
  #closed: Error | undefined;

  constructor(readonly journal: RunJournal) {}

  emitted(): void {
    this.#emitted += 1;
  }

  handedOver(): void {
    this.#handedOver += 1;
    const ready = this.#waiting.filter((waiter) => waiter.upTo <= this.#handedOver);
    this.#waiting = this.#waiting.filter((waiter) => waiter.upTo > this.#handedOver);
    for (const waiter of ready) waiter.resolve();
  }

  /** Waits until every event emitted so far is stored; a task calls it before it returns. */
  async settle(): Promise<void> {
    const upTo = this.#emitted;
    if (this.#closed) throw this.#closed;
    if (this.#handedOver < upTo) await new Promise<void>((resolve, reject) => this.#waiting.push({ upTo, resolve, reject }));
    await this.journal.flush();
  }

  /**
   * The run stopped handing events over (finished, failed, or its consumer left): waiting tasks
   * fail rather than return, so LangGraph never commits a step whose events were not stored.
   */
  close(): void {
    this.#closed = new Error('the run stopped before its events were stored');
    for (const waiter of this.#waiting) waiter.reject(this.#closed);
    this.#waiting = [];
  }
}
