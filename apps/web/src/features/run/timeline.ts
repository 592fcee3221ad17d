// The thread's checkpoints as the time-travel timeline shows them: oldest first, each with the
// branch it belongs to (a fork or a continuation from an earlier checkpoint starts a new one),
// the node that wrote it, and what it changed in the state.
import type { ThreadCheckpoint } from './run-api';

export interface TimelineEntry {
  readonly checkpoint: ThreadCheckpoint & { readonly checkpointId: string };
  /** 0 for the thread's first line of checkpoints; 1, 2… for branches, in the order they began. */
  readonly branch: number;
  /** The node whose step wrote this checkpoint; undefined for the run's input. */
  readonly writtenBy?: string;
  /** A state edit (a fork) rather than a step of the graph. */
  readonly edited: boolean;
  readonly parent?: ThreadCheckpoint;
}

const hasId = (checkpoint: ThreadCheckpoint): checkpoint is ThreadCheckpoint & { readonly checkpointId: string } => checkpoint.checkpointId !== undefined;

/** `history` as the server lists it (newest first, every branch included). */
export function timelineOf(history: readonly ThreadCheckpoint[]): TimelineEntry[] {
  const byId = new Map(history.filter(hasId).map((checkpoint) => [checkpoint.checkpointId, checkpoint]));
  // Checkpoint ids are time-ordered (uuid6), as LangGraph's savers list them.
  const ordered = [...byId.values()].sort((a, b) => (a.checkpointId < b.checkpointId ? -1 : a.checkpointId > b.checkpointId ? 1 : 0));
  const branchOf = new Map<string, number>();
  const writerOf = new Map<string, string>();
  const childrenSeen = new Set<string>();
  let branches = 0;
  return ordered.map((checkpoint) => {
    const parent = checkpoint.parentCheckpointId === undefined ? undefined : byId.get(checkpoint.parentCheckpointId);
    let branch = 0;
    if (parent) {
      // The first child goes on its parent's line; a later one begins a branch.
      branch = childrenSeen.has(parent.checkpointId) ? ++branches : (branchOf.get(parent.checkpointId) ?? 0);
      childrenSeen.add(parent.checkpointId);
    }
    branchOf.set(checkpoint.checkpointId, branch);
    // A step's checkpoint was written by the node its parent was about to run. A state edit's
    // metadata does not name its node: the timeline's forks write as the node that wrote the
    // checkpoint they edit, so that node is named again.
    const edited = checkpoint.source === 'update';
    const writtenBy = parent ? (edited ? writerOf.get(parent.checkpointId) : parent.next.find((nodeId) => !nodeId.startsWith('__'))) : undefined;
    if (writtenBy !== undefined) writerOf.set(checkpoint.checkpointId, writtenBy);
    return { checkpoint, branch, edited, ...(writtenBy === undefined ? {} : { writtenBy }), ...(parent ? { parent } : {}) };
  });
}

export type ChannelChange = 'added' | 'changed' | 'removed' | 'same';

export interface ChannelDiff {
  readonly channel: string;
  readonly change: ChannelChange;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Every channel of either state, with whether the step changed it (compared as JSON). */
export function stateDiff(before: Record<string, unknown> | undefined, after: Record<string, unknown>): ChannelDiff[] {
  const channels = [...new Set([...Object.keys(after), ...Object.keys(before ?? {})])];
  return channels.map((channel) => {
    const had = before !== undefined && channel in before;
    const has = channel in after;
    if (!had) return { channel, change: before === undefined ? 'same' : 'added', after: after[channel] };
    if (!has) return { channel, change: 'removed', before: before[channel] };
    const change = JSON.stringify(before[channel]) === JSON.stringify(after[channel]) ? 'same' : 'changed';
    return { channel, change, before: before[channel], after: after[channel] };
  });
}
