// One node's run data, read from a run's events: what it saw, what it produced, how it failed. The
// run state (features/run/run-state.ts) keeps each node's status only; the values stay in the events.
import type { RunEvent } from '@loomflow/graph-schema';

export interface NodeRunData {
  /** The state the node saw, at its last start. */
  readonly input?: unknown;
  /** What it produced, when it completed. */
  readonly output?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
  /** Times it started (retries and loops run a node again); 0: it did not run. */
  readonly starts: number;
}

/** The node's data from its last start on: an earlier attempt's output does not mix with a later failure. */
export function nodeRunData(events: readonly RunEvent[], nodeId: string): NodeRunData {
  let data: NodeRunData = { starts: 0 };
  for (const event of events) {
    switch (event.type) {
      case 'node.started':
        if (event.nodeId === nodeId) data = { input: event.input, starts: data.starts + 1 };
        break;
      case 'node.completed':
        if (event.nodeId === nodeId) data = { ...data, input: event.input, output: event.output };
        break;
      case 'node.failed':
        if (event.nodeId === nodeId) data = { ...data, error: event.error };
        break;
      case 'run.failed':
        // A limit the node did not report itself (its time, the step count) still names it.
        if (event.nodeId === nodeId && data.error === undefined) data = { ...data, error: event.error };
        break;
      default:
        break;
    }
  }
  return data;
}
