// The run the editor shows: one RunState (run-state.ts), replaced as a whole per batch of events
// so that the canvas and the panel are triggered once a frame, not once an event.
import type { RunEvent } from '@loomflow/graph-schema';
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { applyRunEvents, continueRun, idleRunState, type RunFailure, type RunState } from './run-state';

export const useRunStore = defineStore('run', () => {
  const state = shallowRef<RunState>(idleRunState);

  return {
    state,
    /** A new run is being requested: the previous run's marks go. */
    starting(): void {
      state.value = { ...idleRunState, status: 'starting' };
    },
    started(runId: string, threadId: string): void {
      state.value = { ...state.value, status: 'running', runId, threadId };
    },
    /** The thread continues in a new run (a human step was answered). */
    continued(runId: string): void {
      const { threadId } = state.value;
      if (threadId !== undefined) state.value = continueRun(state.value, runId, threadId);
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
    },
  };
});
