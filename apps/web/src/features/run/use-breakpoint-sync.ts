// Keeps the open flow's breakpoints and the server's debug settings in step: loaded when a flow
// opens, saved when one is toggled. A flow (or a node) the server does not have yet cannot hold
// breakpoints there; they stay in the editor and are saved by the next run, which saves the
// flow first (use-run-session.ts).
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '../../api/api-client';
import { useFlowDocumentStore } from '../../stores/flow-document-store';
import { useBreakpointStore } from './breakpoint-store';
import { useRunApi, type Breakpoints } from './run-api';

const keyOf = (breakpoints: Breakpoints) => JSON.stringify([[...breakpoints.before].sort(), [...breakpoints.after].sort()]);

/** Whether the server refused because the flow or a node is not saved yet (not a failure to report). */
const notSavedYet = (error: unknown) => error instanceof ApiError && (error.code === 'flow_not_found' || error.code === 'unknown_node');

/** `isStored` says whether the server has the open flow; one it does not have has no breakpoints to load there. */
export function useBreakpointSync(isStored: () => boolean): { save: () => Promise<void> } {
  const api = useRunApi();
  const documents = useFlowDocumentStore();
  const breakpoints = useBreakpointStore();
  const { t } = useI18n();
  /** What the server holds, so that loading them is not saved straight back. */
  let stored = keyOf({ before: [], after: [] });
  let saving = Promise.resolve();

  const current = () => breakpoints.of(new Set(documents.document.nodes.map((node) => node.id)));

  async function save(): Promise<void> {
    const flowId = documents.document.id;
    const wanted = current();
    // One save at a time, in toggling order: the last toggle is what the server keeps.
    saving = saving.then(async () => {
      if (keyOf(wanted) === stored || flowId !== documents.document.id) return;
      try {
        await api.saveBreakpoints(flowId, wanted);
        stored = keyOf(wanted);
      } catch (error) {
        if (!notSavedYet(error)) ElMessage({ type: 'warning', message: t('run.debug.saveFailed', { message: error instanceof Error ? error.message : String(error) }) });
      }
    });
    return saving;
  }

  watch(
    () => documents.document.id,
    async (flowId) => {
      breakpoints.replace({ before: [], after: [] });
      stored = keyOf({ before: [], after: [] });
      // Asking for a flow the server lacks (the placeholder before one opens, a new flow) would
      // only log a 404 in the console.
      if (!isStored()) return;
      const loaded = await api.breakpoints(flowId).catch(() => undefined);
      if (!loaded || flowId !== documents.document.id) return;
      stored = keyOf(loaded);
      breakpoints.replace(loaded);
    },
    { immediate: true },
  );
  watch([() => breakpoints.before, () => breakpoints.after], () => void save());

  return { save };
}
