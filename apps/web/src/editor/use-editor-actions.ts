// What the toolbar buttons and the keyboard shortcuts do, defined once for both.
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { useI18n } from 'vue-i18n';
import type { FlowApi } from '../api/flow-api';
import { deleteEdges, deleteNodes, pasteElements, type FlowCommand } from '../stores/flow-commands';
import { useFlowDocumentStore } from '../stores/flow-document-store';
import { useClipboardStore } from './clipboard';

export function useEditorActions(api: FlowApi) {
  const store = useFlowDocumentStore();
  const clipboard = useClipboardStore();
  const { t } = useI18n();

  /** Deletes the selected nodes (with their edges) and edges as one undoable step. */
  function deleteSelection(): void {
    const { nodeIds, edgeIds } = store.selection;
    const doomedNodes = new Set(nodeIds);
    // Edges touching a deleted node go with it; deleting them twice would fail.
    const looseEdgeIds = edgeIds.filter((edgeId) => {
      const edge = store.document.edges.find((candidate) => candidate.id === edgeId);
      return edge && !doomedNodes.has(edge.source) && !doomedNodes.has(edge.target);
    });
    const commands: FlowCommand[] = [];
    if (looseEdgeIds.length > 0) commands.push(deleteEdges(looseEdgeIds));
    if (nodeIds.length > 0) commands.push(deleteNodes(nodeIds));
    store.execute(...commands);
  }

  function copy(): void {
    clipboard.copy(store.document, store.selection.nodeIds);
  }

  function paste(): void {
    const content = clipboard.takeForPaste(store.document);
    if (!content) return;
    store.execute(pasteElements(content.nodes, content.edges));
    store.select({ nodeIds: content.nodes.map((node) => node.id), edgeIds: content.edges.map((edge) => edge.id) });
  }

  function selectAll(): void {
    store.select({ nodeIds: store.document.nodes.map((node) => node.id), edgeIds: store.document.edges.map((edge) => edge.id) });
  }

  async function save(): Promise<void> {
    try {
      const { revision } = await api.save(structuredClone(store.document));
      store.markSaved();
      ElMessage({ type: 'success', message: t('editor.saved', { revision }) });
    } catch (error) {
      ElMessage({ type: 'error', message: t('editor.saveFailed', { message: error instanceof Error ? error.message : String(error) }) });
    }
  }

  function exportJson(): void {
    const blob = new Blob([`${JSON.stringify(store.document, null, 2)}\n`], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${store.document.id}.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  }

  return { deleteSelection, copy, paste, selectAll, save, exportJson, undo: store.undo, redo: store.redo };
}
