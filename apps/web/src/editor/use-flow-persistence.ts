// Opening, saving and publishing the flow in the editor against the server, with optimistic
// concurrency: the editor remembers the revision its document is based on, a save sends it, and
// a save that finds a newer revision opens the conflict dialog instead of overwriting. Unsaved
// edits are also kept as a local draft (local-drafts.ts) until they are saved.
import type { FlowDocument } from '@loomflow/graph-schema';
import { ElMessage, ElMessageBox } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import { onBeforeUnmount, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '../api/api-client';
import type { FlowApi, SaveOutcome } from '../api/flow-api';
import { useFlowDocumentStore } from '../stores/flow-document-store';
import type { LocalDrafts } from './local-drafts';

/** Quiet time after the last edit before the local draft is written. */
const DRAFT_DELAY_MS = 500;

export interface SaveConflict {
  readonly flowId: string;
  readonly currentRevision: number;
}

export function useFlowPersistence(api: FlowApi, drafts: LocalDrafts) {
  const store = useFlowDocumentStore();
  const { t } = useI18n();
  /** The server revision the document in the editor is based on; undefined until it is stored. */
  const baseRevision = ref<number | undefined>();
  const conflict = ref<SaveConflict | undefined>();
  /** A save in flight: Ctrl+S pressed again meanwhile does not send a second one. */
  let saving = false;
  let draftTimer: ReturnType<typeof setTimeout> | undefined;

  const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

  /**
   * Opens the stored flow `id`, or else `whenMissing()` as a new unsaved flow, then offers a local
   * draft with unsaved edits of it back. Answers `not-found` when nothing is stored under `id` and
   * `whenMissing` has nothing to open either (the document in the editor stays as it was), and
   * `unreachable` when the server could not be asked.
   */
  async function open(id: string, whenMissing: () => FlowDocument | undefined): Promise<'opened' | 'not-found' | 'unreachable'> {
    clearTimeout(draftTimer);
    conflict.value = undefined;
    let stored: Awaited<ReturnType<FlowApi['load']>>;
    try {
      stored = await api.load(id);
    } catch (error) {
      ElMessage({ type: 'error', message: t('editor.loadFailed', { id, message: messageOf(error) }) });
      return 'unreachable';
    }
    const created = stored ? undefined : whenMissing();
    if (!stored && !created) return 'not-found';
    baseRevision.value = stored?.revision;
    if (stored) store.open(stored.flow);
    else if (created) store.open(created, { unsaved: true });
    await offerDraft(id);
    return 'opened';
  }

  async function offerDraft(id: string): Promise<void> {
    const draft = drafts.read(id);
    if (!draft) return;
    if (JSON.stringify(draft.flow) === JSON.stringify(store.document)) {
      drafts.remove(id);
      return;
    }
    const restore = await ElMessageBox.confirm(t('editor.draft.message', { time: new Date(draft.savedAt).toLocaleString() }), t('editor.draft.title'), {
      confirmButtonText: t('editor.draft.restore'),
      cancelButtonText: t('editor.draft.discard'),
      type: 'info',
    }).then(
      () => true,
      () => false,
    );
    if (store.document.id !== id) return;
    if (!restore) {
      drafts.remove(id);
      return;
    }
    // The draft keeps the revision it started from, so that saving it over a newer server
    // revision is reported as a conflict rather than silently overwriting someone's work.
    baseRevision.value = draft.baseRevision;
    store.open(draft.flow, { unsaved: true });
  }

  function writeDraftSoon(): void {
    clearTimeout(draftTimer);
    draftTimer = setTimeout(writeDraftNow, DRAFT_DELAY_MS);
  }

  function writeDraftNow(): void {
    clearTimeout(draftTimer);
    const flow = store.document;
    if (store.dirty) drafts.write({ flow, baseRevision: baseRevision.value, savedAt: Date.now() });
    else drafts.remove(flow.id);
  }

  watch(() => store.revision, writeDraftSoon);
  // Closing the tab inside the quiet time must not lose the last edit.
  window.addEventListener('pagehide', writeDraftNow);
  onBeforeUnmount(() => {
    window.removeEventListener('pagehide', writeDraftNow);
    writeDraftNow();
  });

  /** Stores a new flow, or the flow over `revision`; a flow created meanwhile elsewhere is a conflict too. */
  async function storeFlow(flow: FlowDocument, revision: number | undefined): Promise<SaveOutcome> {
    if (revision !== undefined) return api.save(flow, revision);
    try {
      return { status: 'saved', ...(await api.create(flow)) };
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'flow_exists') throw error;
      const current = await api.load(flow.id);
      return { status: 'conflict', currentRevision: current?.revision ?? 1 };
    }
  }

  /** Saves over `revision` (the base revision by default); answers whether the flow was stored. */
  async function saveOver(revision: number | undefined): Promise<boolean> {
    if (saving) return false;
    saving = true;
    const flow = structuredClone(store.document);
    const editsAtSnapshot = store.revision;
    try {
      const outcome = await storeFlow(flow, revision);
      if (outcome.status === 'conflict') {
        conflict.value = { flowId: flow.id, currentRevision: outcome.currentRevision };
        return false;
      }
      baseRevision.value = outcome.revision;
      // Edits made while the request was in flight are not in the stored copy: stay dirty.
      if (store.revision === editsAtSnapshot) {
        store.markSaved();
        drafts.remove(flow.id);
      }
      ElMessage({ type: 'success', message: t('editor.saved', { revision: outcome.revision }) });
      return true;
    } catch (error) {
      ElMessage({ type: 'error', message: t('editor.saveFailed', { message: messageOf(error) }) });
      return false;
    } finally {
      saving = false;
    }
  }

  const save = () => saveOver(baseRevision.value);

  /** Saves unsaved edits, and a flow never stored; answers whether the stored draft is the document now. */
  const saveIfNeeded = async (): Promise<boolean> => (!store.dirty && baseRevision.value !== undefined) || save();

  /** The conflict dialog's "keep mine": store this document over the newer revision. */
  async function overwrite(): Promise<void> {
    const current = conflict.value;
    if (!current) return;
    conflict.value = undefined;
    await saveOver(current.currentRevision);
  }

  /** The conflict dialog's "take theirs", and what restoring a version ends with. */
  async function reloadFromServer(): Promise<void> {
    conflict.value = undefined;
    const id = store.document.id;
    try {
      const stored = await api.load(id);
      if (!stored) throw new Error(t('editor.notStored', { id }));
      baseRevision.value = stored.revision;
      store.open(stored.flow);
      drafts.remove(id);
    } catch (error) {
      ElMessage({ type: 'error', message: t('editor.loadFailed', { id, message: messageOf(error) }) });
    }
  }

  /** Publishes the flow as a new immutable version, saving unsaved edits first. */
  async function publish(message: string): Promise<number | undefined> {
    if (!(await saveIfNeeded())) return undefined;
    try {
      const { version } = await api.publish(store.document.id, message);
      ElMessage({ type: 'success', message: t('editor.versions.published', { version }) });
      return version;
    } catch (error) {
      const text = error instanceof ApiError && error.code === 'flow_invalid' ? t('editor.versions.invalid') : messageOf(error);
      ElMessage({ type: 'error', message: t('editor.versions.publishFailed', { message: text }) });
      return undefined;
    }
  }

  async function restoreVersion(version: number): Promise<void> {
    if (store.dirty) {
      const confirmed = await ElMessageBox.confirm(t('editor.versions.discardEdits', { version }), t('editor.versions.restore'), { type: 'warning' }).then(
        () => true,
        () => false,
      );
      if (!confirmed) return;
    }
    try {
      await api.restoreVersion(store.document.id, version);
    } catch (error) {
      ElMessage({ type: 'error', message: t('editor.versions.restoreFailed', { version, message: messageOf(error) }) });
      return;
    }
    await reloadFromServer();
    ElMessage({ type: 'success', message: t('editor.versions.restored', { version }) });
  }

  return { baseRevision, conflict, open, save, saveIfNeeded, overwrite, reloadFromServer, publish, restoreVersion };
}
