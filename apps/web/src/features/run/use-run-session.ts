// Running and debugging the open flow from the editor: save first if needed (a run takes the saved
// draft), start it (with the breakpoints, or stepping from the first node), follow its events into
// the run store a batch per animation frame, cancel it, answer its human steps, step and continue
// it, continue or fork it from an earlier checkpoint, and replay it from its record. Each of those
// continues the thread in a new run that is followed in turn.
import type { RunEvent } from '@loomflow/graph-schema';
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { onBeforeUnmount, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '../../api/api-client';
import { useFlowDocumentStore } from '../../stores/flow-document-store';
import { useBreakpointStore } from './breakpoint-store';
import { followRun } from './follow-run';
import { useRunApi, type ResumeOptions } from './run-api';
import type { BranchPoint } from './run-state';
import { useRunStore } from './run-store';
import { rememberShownRun, shownRunOf } from './shown-run';

export interface RunSessionOptions {
  /** Saves unsaved edits; answers false when the flow could not be saved (the user was told why). */
  readonly saveIfNeeded: () => Promise<boolean>;
}

/** An answer that was not taken: `refused` when the server found it wrong (its reason), else it could not be sent. */
export type AnswerOutcome = { readonly ok: true } | { readonly ok: false; readonly refused: boolean; readonly reason: string };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Hands events to `apply` at most once per animation frame, however fast they arrive. */
export function createFrameBatcher(apply: (events: readonly RunEvent[]) => void, schedule: (callback: () => void) => unknown = requestAnimationFrame) {
  let pending: RunEvent[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const events = pending;
    pending = [];
    apply(events);
  };
  return {
    push(events: readonly RunEvent[]): void {
      pending.push(...events);
      if (scheduled) return;
      scheduled = true;
      schedule(() => {
        if (scheduled) flush();
      });
    },
    /** Applies what is pending now (the stream ended; a hidden tab may not draw frames). */
    flush,
  };
}

export function useRunSession({ saveIfNeeded }: RunSessionOptions) {
  const api = useRunApi();
  const runs = useRunStore();
  const documents = useFlowDocumentStore();
  const breakpoints = useBreakpointStore();
  const { t } = useI18n();
  const currentBreakpoints = () => breakpoints.of(new Set(documents.document.nodes.map((node) => node.id)));
  let following: AbortController | undefined;

  function stopFollowing(): void {
    following?.abort();
    following = undefined;
  }

  async function follow(runId: string): Promise<void> {
    stopFollowing();
    const { threadId, originRunId } = runs.state;
    if (threadId !== undefined && originRunId !== undefined) rememberShownRun(sessionStorage, documents.document.id, { runId, threadId, originRunId });
    const controller = new AbortController();
    following = controller;
    const batcher = createFrameBatcher((events) => runs.apply(events));
    try {
      const outcome = await followRun(api, runId, {
        signal: controller.signal,
        onEvents: batcher.push,
        onQueued: (notice) => {
          batcher.flush();
          runs.queued(notice);
        },
      });
      batcher.flush();
      // A stream that ends without a terminal event or a pause: the run stopped some other way
      // (the server was restarted while it ran, and it waits to be taken over).
      if (runs.state.status === 'running' || runs.state.status === 'queued') runs.failed({ code: outcome, message: t('run.stoppedAs', { status: outcome }) });
    } catch (error) {
      if (controller.signal.aborted) return;
      batcher.flush();
      runs.failed({ code: 'stream_lost', message: messageOf(error) });
    }
  }

  /** The server refused or could not be reached: the run shows why. */
  function refused(error: unknown): void {
    runs.failed(error instanceof ApiError ? { code: error.code, message: error.message } : { code: 'http_error', message: messageOf(error) });
  }

  /**
   * `step`: pause before the first node, to step through the flow from its start; `version`: run
   * that published version instead of the saved draft (unsaved edits then need no saving).
   */
  async function run(input: Record<string, unknown>, { step = false, version }: { step?: boolean; version?: number | undefined } = {}): Promise<void> {
    const flowId = documents.document.id;
    if (version === undefined && !(await saveIfNeeded())) {
      // Why the save failed was said already (or the conflict dialog asks); this says why it matters.
      ElMessage({ type: 'warning', message: t('run.saveFirst') });
      return;
    }
    stopFollowing();
    runs.starting();
    let started: { runId: string; threadId: string };
    try {
      started = await api.start(flowId, input, {
        ...(version === undefined ? {} : { version }),
        ...(breakpoints.any ? { breakpoints: currentBreakpoints() } : {}),
        ...(step ? { step } : {}),
      });
    } catch (error) {
      refused(error);
      return;
    }
    runs.started(started.runId, started.threadId);
    await follow(started.runId);
  }

  async function cancel(): Promise<void> {
    const { runId } = runs.state;
    // The stream brings run.cancelled once the run has stopped.
    if (runId !== undefined) await api.cancel(runId);
  }

  /** The shown run's thread; the buttons that continue a thread show only once a run has one. */
  function threadOfRun(): string {
    const { threadId } = runs.state;
    if (threadId === undefined) throw new Error('No run is shown.');
    return threadId;
  }

  async function answer(interruptId: string, value: unknown): Promise<AnswerOutcome> {
    const threadId = threadOfRun();
    let runId: string;
    try {
      ({ runId } = await api.resume(threadId, { interruptId, value, breakpoints: currentBreakpoints() }));
    } catch (error) {
      return { ok: false, refused: error instanceof ApiError && error.code === 'answer_rejected', reason: messageOf(error) };
    }
    runs.continued(runId);
    void follow(runId);
    return { ok: true };
  }

  /**
   * Follows the new run of the thread that `start` asks the server for. `branch`: it goes on from
   * that earlier checkpoint, so what the canvas shows after that point did not happen on it.
   */
  async function goOn(start: () => Promise<{ runId: string }>, branch?: BranchPoint): Promise<void> {
    let runId: string;
    try {
      ({ runId } = await start());
    } catch (error) {
      ElMessage({ type: 'error', message: t('run.debug.continueFailed', { message: messageOf(error) }) });
      return;
    }
    if (branch) runs.branched(runId, branch);
    else runs.continued(runId);
    void follow(runId);
  }

  /** Goes on from where the thread stands (or from `from`, as a new branch). */
  async function resume(options: Pick<ResumeOptions, 'step'>, from?: BranchPoint): Promise<void> {
    const threadId = threadOfRun();
    const at = from === undefined ? {} : { checkpointId: from.checkpointId };
    await goOn(() => api.resume(threadId, { ...options, ...at, value: null, breakpoints: currentBreakpoints() }), from);
  }

  /**
   * Writes `values` into the thread as `asNode` at checkpoint `at`: the thread then waits at the
   * new checkpoint, before the nodes that follow `asNode`, for Continue or Step. (LangGraph does
   * not pause before the first node of a continuation, so going on at once would run through a
   * breakpoint there.)
   */
  async function fork(at: BranchPoint, asNode: string, values: Record<string, unknown>): Promise<boolean> {
    const threadId = threadOfRun();
    try {
      const forked = await api.fork(threadId, values, asNode, at.checkpointId);
      runs.forked(at, forked.checkpointId, forked.next);
      return true;
    } catch (error) {
      ElMessage({ type: 'error', message: t('run.timeline.forkFailed', { message: messageOf(error) }) });
      return false;
    }
  }

  /** Runs the shown run again from its record; `draft`: with the drawing as it is now. */
  async function replay(draft: boolean): Promise<void> {
    const { originRunId } = runs.state;
    if (originRunId === undefined) return;
    stopFollowing();
    runs.starting();
    let started: { runId: string; threadId: string };
    try {
      started = await api.replay(originRunId, { draft });
    } catch (error) {
      refused(error);
      return;
    }
    runs.started(started.runId, started.threadId);
    await follow(started.runId);
  }

  /** Shows the run this tab showed for the flow before a reload, following it from its first event. */
  function reattach(flowId: string): void {
    const shown = shownRunOf(sessionStorage, flowId);
    if (!shown) return;
    runs.started(shown.originRunId, shown.threadId);
    if (shown.runId !== shown.originRunId) runs.continued(shown.runId);
    void follow(shown.runId);
  }

  // Another flow opened in the editor: this run is not its run, but the one it showed last may be.
  watch(
    () => documents.document.id,
    (flowId) => {
      stopFollowing();
      runs.clear();
      reattach(flowId);
    },
  );
  if (runs.state.status === 'idle') reattach(documents.document.id);
  // The store outlives the editor page; the next page must not show this run on its nodes.
  onBeforeUnmount(() => {
    stopFollowing();
    runs.clear();
  });

  /** Replays the thread's continuation from checkpoint `from` from its record, as a new branch. */
  async function replayFrom(from: BranchPoint): Promise<void> {
    const { originRunId } = runs.state;
    if (originRunId !== undefined) await goOn(() => api.replay(originRunId, { checkpointId: from.checkpointId }), from);
  }

  return {
    run,
    replayFrom,
    cancel,
    answer,
    /** Runs on from a breakpoint to the next one (or the end). */
    proceed: () => resume({}),
    /** Runs one step and pauses again. */
    step: () => resume({ step: true }),
    /** Continues the thread from an earlier checkpoint as a new branch. */
    continueFrom: (from: BranchPoint) => resume({}, from),
    fork,
    replay,
  };
}
