// Running the open flow from the editor: save first if needed (a run takes the saved draft), start
// it, follow its events into the run store a batch per animation frame, cancel it, and answer its
// human steps, each answer continuing the thread in a new run that is followed in turn.
import type { RunEvent } from '@loomflow/graph-schema';
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { onBeforeUnmount, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '../../api/api-client';
import { useFlowDocumentStore } from '../../stores/flow-document-store';
import { followRun } from './follow-run';
import { useRunApi } from './run-api';
import { useRunStore } from './run-store';

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
  const { t } = useI18n();
  let following: AbortController | undefined;

  function stopFollowing(): void {
    following?.abort();
    following = undefined;
  }

  async function follow(runId: string): Promise<void> {
    stopFollowing();
    const controller = new AbortController();
    following = controller;
    const batcher = createFrameBatcher((events) => runs.apply(events));
    try {
      const outcome = await followRun(api, runId, { signal: controller.signal, onEvents: batcher.push });
      batcher.flush();
      // A stream that ends without a terminal event or a pause: the run stopped some other way
      // (the server was restarted while it ran, and it waits to be taken over).
      if (runs.state.status === 'running') runs.failed({ code: outcome, message: t('run.stoppedAs', { status: outcome }) });
    } catch (error) {
      if (controller.signal.aborted) return;
      batcher.flush();
      runs.failed({ code: 'stream_lost', message: messageOf(error) });
    }
  }

  async function run(input: Record<string, unknown>): Promise<void> {
    const flowId = documents.document.id;
    if (!(await saveIfNeeded())) {
      // Why the save failed was said already (or the conflict dialog asks); this says why it matters.
      ElMessage({ type: 'warning', message: t('run.saveFirst') });
      return;
    }
    stopFollowing();
    runs.starting();
    let started: { runId: string; threadId: string };
    try {
      started = await api.start(flowId, input);
    } catch (error) {
      runs.failed(error instanceof ApiError ? { code: error.code, message: error.message } : { code: 'http_error', message: messageOf(error) });
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

  async function answer(interruptId: string, value: unknown): Promise<AnswerOutcome> {
    const { threadId } = runs.state;
    // Only a run that paused shows a form to answer, and every run has a thread.
    if (threadId === undefined) throw new Error('No run is waiting for an answer.');
    let runId: string;
    try {
      ({ runId } = await api.resume(threadId, interruptId, value));
    } catch (error) {
      return { ok: false, refused: error instanceof ApiError && error.code === 'answer_rejected', reason: messageOf(error) };
    }
    runs.continued(runId);
    void follow(runId);
    return { ok: true };
  }

  // Another flow opened in the editor: this run is not its run.
  watch(
    () => documents.document.id,
    () => {
      stopFollowing();
      runs.clear();
    },
  );
  // The store outlives the editor page; the next page must not show this run on its nodes.
  onBeforeUnmount(() => {
    stopFollowing();
    runs.clear();
  });

  return { run, cancel, answer };
}
