// What a run learns from outside itself (a model's reply, an HTTP response, an MCP tool's result,
// a knowledge search), recorded as it happens so the run can be replayed: a replay asks the same
// questions and gets the recorded answers, with no tokens spent and the same outputs. A call is
// known by its node, its kind and a hash of what it asks, so a drawing or an input that changed
// since shows as the first call the recorded run never made.
import { createHash } from 'node:crypto';

export type CallKind = 'model' | 'http' | 'mcp' | 'retrieval';

export interface RecordedCall {
  readonly nodeId: string;
  readonly kind: CallKind;
  /** The node, the kind, a hash of the request, and how many times the run asked the same before. */
  readonly key: string;
  /** The answer, as JSON. */
  readonly result: unknown;
}

/**
 * A host's log of a run's outside calls. Recording: `record` keeps each answer (the step waits for
 * it). Replaying: `recorded` holds the answers of the run being replayed, by key; nothing is called.
 */
export type CallLog = { readonly record: (call: RecordedCall) => Promise<void> | void } | { readonly recorded: ReadonlyMap<string, unknown> };

/** Where a run's call log travels to its nodes, subgraphs included. */
export const CALL_LOG_KEY = '__loomflow_call_log';

/** JSON with its object keys sorted, so equal requests hash equally whatever order they were built in. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : item,
  );
}

/**
 * One run's view of its call log. Keys count repeated requests in the order the run got their
 * answers: a failed attempt, retried, is not counted, so the retry's answer is the one a replay
 * finds under the first ask.
 */
export class RunCalls {
  readonly #answered = new Map<string, number>();

  constructor(readonly log: CallLog) {}

  /** The key of the next answer to this request, and what to call once it is answered. */
  next(nodeId: string, kind: CallKind, request: unknown): { readonly key: string; readonly answered: () => void } {
    const hash = createHash('sha256').update(stableJson(request)).digest('hex').slice(0, 32);
    const base = `${nodeId}:${kind}:${hash}`;
    const times = this.#answered.get(base) ?? 0;
    return { key: `${base}:${times}`, answered: () => this.#answered.set(base, (this.#answered.get(base) ?? 0) + 1) };
  }
}

/** Turns a call's answer into JSON for the log and back; answers that are JSON already need none. */
export interface CallCodec<T> {
  readonly toJson: (value: T) => unknown;
  readonly fromJson: (json: unknown) => T;
}
