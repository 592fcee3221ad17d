// Warns before the editor is left with edits that are not saved, as every document editor does:
// inside the app (another flow, the list, settings) with a confirmation, and for a closed tab, a
// reload or a typed address with the browser's own "leave site?" question (beforeunload). A local
// draft is kept either way (local-drafts.ts); the warning says so.
import { ElMessageBox } from 'element-plus';
import 'element-plus/es/components/message-box/style/css';
import { onBeforeUnmount } from 'vue';
import { useI18n } from 'vue-i18n';
import { onBeforeRouteLeave, onBeforeRouteUpdate, type RouteLocationNormalized } from 'vue-router';
import { useFlowDocumentStore } from '../../stores/flow-document-store';

/**
 * Edits the person made and did not save. A flow that merely opened unsaved (a new flow, the
 * sample, a restored draft, which stays in local storage) has nothing of theirs to lose yet.
 */
export function hasUnsavedEdits(state: { readonly dirty: boolean; readonly canUndo: boolean }): boolean {
  return state.dirty && state.canUndo;
}

export function useLeaveGuard() {
  const store = useFlowDocumentStore();
  const { t } = useI18n();

  const confirmLeaving = (): Promise<boolean> =>
    ElMessageBox.confirm(t('flows.leave.message'), t('flows.leave.title'), {
      confirmButtonText: t('flows.leave.leave'),
      cancelButtonText: t('flows.leave.stay'),
      type: 'warning',
      customClass: 'leave-guard',
    }).then(
      () => true,
      () => false,
    );

  const guard = async (): Promise<boolean> => !hasUnsavedEdits(store) || (await confirmLeaving());
  onBeforeRouteLeave(guard);
  // Another flow opens in the same page component: only a change of flow asks, not of its query.
  onBeforeRouteUpdate((to: RouteLocationNormalized, from: RouteLocationNormalized) => (to.params.id === from.params.id ? true : guard()));

  function onBeforeUnload(event: BeforeUnloadEvent): void {
    if (!hasUnsavedEdits(store)) return;
    // Browsers show their own words; preventDefault (and returnValue for older ones) asks them to.
    event.preventDefault();
    event.returnValue = '';
  }
  window.addEventListener('beforeunload', onBeforeUnload);
  onBeforeUnmount(() => window.removeEventListener('beforeunload', onBeforeUnload));
}
