// One stored run as its view shows it: its summary, the document it ran, and the run state folded
// from the events of its thread up to it (a resumed run continues what its thread's earlier runs
// did), read through the same stream and fold as the editor's live run (features/run). A run still
// executing is followed live. The fold is kept here, not in the run store: that store is the
// editor's live run, and this view must leave no marks on it.
import type { FlowDocument } from '@loomflow/graph-schema';
import { onBeforeUnmount, shallowRef, watch } from 'vue';
import { useFlowApi } from '../../api/flow-api';
import { followRun } from '../run/follow-run';
import { useRunApi } from '../run/run-api';
import { applyRunEvents, continueRun, idleRunState, type RunState } from '../run/run-state';
import { useHistoryApi, type RunSummary } from './history-api';
import { sameDocument, threadRunsUpTo } from './run-history';

/** Runs asked for per request when reading a thread's runs (the server's largest page). */
const THREAD_PAGE = 200;

/** How the run's document compares with the flow's saved draft; `unknown` until both are read. */
export type DraftComparison = 'unknown' | 'same' | 'differs' | 'flow-gone';

export function useRunRecord(runId: () => string) {
  const history = useHistoryApi();
  const runs = useRunApi();
  const flows = useFlowApi();
  const run = shallowRef<RunSummary>();
  const document = shallowRef<FlowDocument>();
  /** The runs of the thread folded into `state`, oldest first; the last is `run`. */
  const threadRuns = shallowRef<readonly RunSummary[]>([]);
  const state = shallowRef<RunState>(idleRunState);
  const draft = shallowRef<DraftComparison>('unknown');
  const loadError = shallowRef<string>();
  let reading: AbortController | undefined;

  async function allThreadRuns(threadId: string): Promise<RunSummary[]> {
    const all: RunSummary[] = [];
    for (;;) {
      const page = await history.listRuns({ threadId, limit: THREAD_PAGE, offset: all.length });
      all.push(...page.items);
      if (page.items.length === 0 || all.length >= page.total) return all;
    }
  }

  async function compareWithDraft(flowId: string, ran: FlowDocument, signal: AbortSignal): Promise<void> {
    try {
      const stored = await flows.load(flowId);
      if (!signal.aborted) draft.value = stored ? (sameDocument(stored.flow, ran) ? 'same' : 'differs') : 'flow-gone';
    } catch {
      // The comparison is a note beside the run, not the run: without the draft it is left out.
    }
  }

  async function load(id: string): Promise<void> {
    reading?.abort();
    const controller = new AbortController();
    reading = controller;
    const { signal } = controller;
    run.value = undefined;
    document.value = undefined;
    threadRuns.value = [];
    state.value = idleRunState;
    draft.value = 'unknown';
    loadError.value = undefined;
    try {
      const [summary, ran] = await Promise.all([history.run(id), history.runDocument(id)]);
      if (signal.aborted) return;
      run.value = summary;
      document.value = ran.flow;
      void compareWithDraft(summary.flowId, ran.flow, signal);
      const folded = threadRunsUpTo(await allThreadRuns(summary.threadId), id);
      if (signal.aborted) return;
      threadRuns.value = folded;
      for (const [index, each] of folded.entries()) {
        if (index > 0) state.value = continueRun(state.value, each.id, each.threadId);
        await followRun(runs, each.id, {
          signal,
          onEvents: (batch) => (state.value = applyRunEvents(state.value, batch)),
        });
      }
      // A run followed live has ended or paused since its summary was read.
      const latest = await history.run(id);
      if (!signal.aborted) run.value = latest;
    } catch (error) {
      if (!signal.aborted) loadError.value = error instanceof Error ? error.message : String(error);
    }
  }

  watch(runId, (id) => void load(id), { immediate: true });
  onBeforeUnmount(() => reading?.abort());

  return { run, document, threadRuns, state, draft, loadError };
}
