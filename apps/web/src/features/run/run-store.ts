// The run the editor shows: one RunState (run-state.ts), replaced as a whole per batch of events
// so that the canvas and the panel are triggered once a frame, not once an event.
import type { RunEvent } from '@loomflow/graph-schema';
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { applyRunEvents, branchedAt, continueRun, idleRunState, queuedRun, type BranchPoint, type QueuedNotice, type RunFailure, type RunState } from './run-state';

export const useRunStore = defineStore('run', () => {
  const state = shallowRef<RunState>(idleRunState);
  /** Where the run stood at the checkpoint picked in the timeline: the nodes that ran next. */
  const here = shallowRef<ReadonlySet<string>>(new Set());

  return {
    state,
    here,
    showHere(nodeIds: readonly string[]): void {
      here.value = new Set(nodeIds);
    },
    /** A new run is being requested: the previous run's marks go. */
    starting(): void {
      state.value = { ...idleRunState, status: 'starting' };
    },
    started(runId: string, threadId: string): void {
      state.value = { ...state.value, status: 'running', runId, threadId, originRunId: runId };
    },
    /** The thread continues in a new run (a human step was answered). */
    continued(runId: string): void {
      const { threadId } = state.value;
      if (threadId !== undefined) state.value = continueRun(state.value, runId, threadId);
    },
    /** The thread goes on from an earlier checkpoint: what the canvas showed after it did not happen on this branch. */
    branched(runId: string, at: BranchPoint): void {
      const { threadId, originRunId } = state.value;
      if (threadId !== undefined) state.value = { ...idleRunState, status: 'running', runId, threadId, ...branchedAt(state.value, at), ...(originRunId === undefined ? {} : { originRunId }) };
    },
    /**
     * The thread was forked from `at`: it waits at the new checkpoint `checkpointId`, before `next`,
     * as at a breakpoint.
     */
    forked(at: BranchPoint, checkpointId: string, next: readonly string[]): void {
      const { threadId, runId, originRunId } = state.value;
      if (threadId === undefined) return;
      const branch = branchedAt(state.value, at);
      const nodes = new Map(branch.nodes);
      for (const nodeId of next) nodes.set(nodeId, { status: 'waiting', paused: true });
      const interrupts = next.slice(0, 1).map((nodeId) => ({ interruptId: `breakpoint:${checkpointId}`, nodeId, kind: 'breakpoint' as const }));
      state.value = { ...idleRunState, status: 'waiting', threadId, executions: branch.executions, nodes, interrupts, ...(runId === undefined ? {} : { runId }), ...(originRunId === undefined ? {} : { originRunId }) };
    },
    /** The server keeps the run waiting for a free slot. */
    queued(notice: QueuedNotice): void {
      state.value = queuedRun(state.value, notice);
    },
    apply(events: readonly RunEvent[]): void {
      if (events.length > 0) state.value = applyRunEvents(state.value, events);
    },
    /** The run could not be started or followed: the server's refusal, or the connection lost. */
    failed(failure: RunFailure): void {
      state.value = { ...state.value, status: 'failed', failure };
    },
    clear(): void {
      state.value = idleRunState;
      here.value = new Set();
    },
  };
});
