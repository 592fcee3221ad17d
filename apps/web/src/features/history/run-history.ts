// What the history shows of stored runs, as plain functions: a failed run's error, how long a run
// took, the runs of one thread grouped under the newest, the runs a thread had up to one of them,
// and whether a run's document is the flow's draft.
import type { FlowDocument } from '@loomflow/graph-schema';
import type { RunSummary } from './history-api';

export interface RunError {
  readonly code: string;
  readonly message: string;
  readonly nodeId?: string;
}

/** A failed run's stored error (`{ code, message, nodeId? }`), or undefined for anything else. */
export function runErrorOf(error: unknown): RunError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, nodeId } = error as Record<string, unknown>;
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  return { code, message, ...(typeof nodeId === 'string' ? { nodeId } : {}) };
}

/** How long a finished run took; undefined while it has not finished (a pause is not an end). */
export function runDurationMs(run: Pick<RunSummary, 'createdAt' | 'startedAt' | 'finishedAt'>): number | undefined {
  return run.finishedAt === null ? undefined : Math.max(0, run.finishedAt - (run.startedAt ?? run.createdAt));
}

/** A row of the history: a thread's newest run, with the thread's earlier runs under it. */
export type HistoryRow = RunSummary & { readonly children?: readonly RunSummary[] };

/**
 * Groups runs listed newest first by thread: each thread shows once, at its newest run, with its
 * earlier runs (a paused run, then its resumptions) under it, newest first.
 */
export function groupByThread(runs: readonly RunSummary[]): HistoryRow[] {
  const earlier = new Map<string, RunSummary[]>();
  const newest: RunSummary[] = [];
  for (const run of runs) {
    const group = earlier.get(run.threadId);
    if (group) group.push(run);
    else {
      earlier.set(run.threadId, []);
      newest.push(run);
    }
  }
  return newest.map((run) => {
    const children = earlier.get(run.threadId) ?? [];
    return children.length > 0 ? { ...run, children } : run;
  });
}

/**
 * The runs of a thread listed newest first (as the server lists them), up to and including
 * `runId`, oldest first: what the thread had done by then.
 */
export function threadRunsUpTo(threadRuns: readonly RunSummary[], runId: string): RunSummary[] {
  const oldestFirst = [...threadRuns].reverse();
  const index = oldestFirst.findIndex((run) => run.id === runId);
  return index < 0 ? [] : oldestFirst.slice(0, index + 1);
}

/** JSON with object keys in order, so that two documents compare by content, not key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

export function sameDocument(a: FlowDocument, b: FlowDocument): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
