// What the toolbar buttons and the keyboard shortcuts do, defined once for both.
import type { LogicFlow } from '@logicflow/core';
import { ElMessage, ElMessageBox } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import { validateFlow } from '@loomflow/graph-schema';
import { ApiError } from '../api/api-client';
import type { FlowApi } from '../api/flow-api';
import { h, onScopeDispose, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useModeling } from '../features/modeling/use-modeling';
import { layoutNodes, replaceDocument } from '../stores/flow-commands';
import { useFlowDocumentStore } from '../stores/flow-document-store';
import { usePreferencesStore } from '../stores/preferences-store';
import { computeAutoLayout } from './auto-layout';
import { useClipboardStore } from './clipboard';
import type { WorkerLayoutEngine } from './elk-layout-engine';
import { drawingToSvg, svgToPng } from './export-image';
import { downloadBlob, flowToJson, isBpmnFile, isJsonFile, parseFlowFile, type FlowFileProblem } from './flow-file-io';
import { useNodeTypeRegistry } from './node-type-registry';
import { jsonSyntaxMessage } from './json-text';

/** An import error lists this many of the file's problems; a thoroughly wrong file has hundreds. */
const SHOWN_PROBLEMS = 8;
/** A BPMN import report lists this many lines per part; a big file from another tool keeps hundreds. */
const SHOWN_REPORT_LINES = 50;

/** bpmn-moddle comes with the BPMN buttons' first use, not with the editor. */
const loadBpmn = () => import('@loomflow/bpmn');

// Saving lives in use-flow-persistence.ts, with the server revision it depends on.
export function useEditorActions() {
  const store = useFlowDocumentStore();
  const clipboard = useClipboardStore();
  const preferences = usePreferencesStore();
  const registry = useNodeTypeRegistry();
  const modeling = useModeling();
  const { t } = useI18n();
  const layingOut = ref(false);
  /** Started on the first layout and kept for the next ones: loading ELK takes a while. */
  let layoutEngine: Promise<WorkerLayoutEngine> | undefined;
  onScopeDispose(() => void layoutEngine?.then((engine) => engine.dispose()));

  const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

  /** Deletes the selection with everything that goes along (delete-elements.ts), as one step. */
  function deleteSelection(): void {
    modeling.remove(store.selection);
  }

  function copy(): void {
    clipboard.copy(store.document, store.selection.nodeIds, registry);
  }

  function paste(): void {
    const content = clipboard.takeForPaste(store.document, modeling.context);
    if (content) modeling.paste(content.nodes, content.edges);
  }

  function selectAll(): void {
    store.select({ nodeIds: store.document.nodes.map((node) => node.id), edgeIds: store.document.edges.map((edge) => edge.id) });
  }

  function exportJson(): void {
    downloadBlob(new Blob([flowToJson(store.document)], { type: 'application/json' }), `${store.document.id}.json`);
  }

  /** A picture of the whole drawing, named after the flow. */
  async function exportPicture(lf: LogicFlow | undefined, format: 'svg' | 'png'): Promise<void> {
    if (!lf) return;
    try {
      const drawing = await drawingToSvg(lf, store.document.name);
      const blob = format === 'svg' ? new Blob(['<?xml version="1.0" encoding="UTF-8"?>\n', drawing.svg], { type: 'image/svg+xml' }) : await svgToPng(drawing);
      downloadBlob(blob, `${store.document.id}.${format}`);
    } catch (error) {
      ElMessage({ type: 'error', message: t('fileIo.exportFailed', { message: messageOf(error) }) });
    }
  }

  /** Lays the flow out with ELK (auto-layout.ts) as one undoable step, off the page's thread. */
  async function autoLayout(): Promise<void> {
    if (layingOut.value) return;
    layingOut.value = true;
    const revision = store.revision;
    try {
      layoutEngine ??= import('./elk-layout-engine').then(({ createWorkerLayoutEngine }) => createWorkerLayoutEngine());
      const { placements, routes } = await computeAutoLayout(structuredClone(store.document), registry, await layoutEngine);
      // Positions computed for a document that has changed since would undo those changes.
      if (store.revision !== revision) {
        ElMessage({ type: 'warning', message: t('fileIo.layoutOutdated') });
        return;
      }
      if (placements.length > 0) store.execute(layoutNodes(placements, routes));
    } catch (error) {
      ElMessage({ type: 'error', message: t('fileIo.layoutFailed', { message: messageOf(error) }) });
    } finally {
      layingOut.value = false;
    }
  }

  /**
   * Reads a flow file into the open flow. Its content replaces the document as one undoable step
   * and keeps the open flow's id, so the next save stores it here: importing a file into an open
   * workflow is how Dify ("Import DSL" over the current draft) and n8n ("Import from File" onto
   * the open canvas) behave, and nothing of another flow stored under the file's id is touched.
   * A file that is not a flow changes nothing and says what is wrong, and where.
   */
  async function importFile(file: File): Promise<void> {
    if (isBpmnFile(file)) {
      await importBpmnFile(file);
      return;
    }
    if (!isJsonFile(file)) {
      ElMessage({ type: 'warning', message: t('fileIo.notJson', { file: file.name }) });
      return;
    }
    const result = parseFlowFile(await file.text(), preferences.locale);
    if (!result.ok) {
      showImportProblem(file.name, result.problem);
      return;
    }
    store.execute(replaceDocument(result.flow));
    ElMessage({ type: 'success', message: t('fileIo.imported', { name: result.flow.name }) });
  }

  /**
   * Reads BPMN 2.0 XML into the open flow, as one undoable step like a JSON file. What the file
   * holds that Loomflow does not model is kept for the next export and listed by id, with what the
   * import noticed and why the flow would not run yet, so nothing is lost without being said.
   */
  async function importBpmnFile(file: File): Promise<void> {
    const { BpmnReadError, importBpmnXml } = await loadBpmn();
    let imported: Awaited<ReturnType<typeof importBpmnXml>>;
    try {
      imported = await importBpmnXml(await file.text(), { registry });
    } catch (error) {
      if (!(error instanceof BpmnReadError)) throw error;
      showLines(t('fileIo.importFailed', { file: file.name }), 'import-problems', [t('fileIo.notBpmn'), error.message], 'error');
      return;
    }
    const { flow, report } = imported;
    store.execute(replaceDocument(flow));
    // The report's issues are in English; the reader's language comes from validating again.
    const errors = validateFlow(flow, { registry, locale: preferences.locale }).filter((issue) => issue.severity === 'error');
    if (report.kept.length === 0 && report.warnings.length === 0 && errors.length === 0) {
      ElMessage({ type: 'success', message: t('fileIo.imported', { name: flow.name }) });
      return;
    }
    const part = (heading: string, lines: readonly string[]) =>
      lines.length === 0
        ? []
        : [heading, ...lines.slice(0, SHOWN_REPORT_LINES), ...(lines.length > SHOWN_REPORT_LINES ? [t('fileIo.moreProblems', { count: lines.length - SHOWN_REPORT_LINES })] : [])];
    showLines(t('fileIo.bpmnImported', { name: flow.name }), 'bpmn-import-report', [
      t('fileIo.bpmnSummary', { elements: report.elements, modelled: report.modelled, kept: report.kept.length }),
      ...part(
        t('fileIo.bpmnKept'),
        report.kept.map((kept) => `${kept.id} (${kept.type})`),
      ),
      ...part(t('fileIo.bpmnNotes'), report.warnings),
      ...part(
        t('fileIo.bpmnIssues'),
        errors.map((issue) => issue.message),
      ),
    ], 'warning');
  }

  /** The flow as BPMN 2.0 XML for Camunda Modeler and other tools; what it cannot hold is listed. */
  async function exportBpmn(): Promise<void> {
    if (store.document.kind !== 'bpmn') {
      ElMessage({ type: 'warning', message: t('fileIo.bpmnOnly') });
      return;
    }
    try {
      const { exportBpmnXml } = await loadBpmn();
      const { xml, warnings } = await exportBpmnXml(store.document, { registry });
      downloadBlob(new Blob([xml, '\n'], { type: 'application/xml' }), `${store.document.id}.bpmn`);
      if (warnings.length > 0) showLines(t('fileIo.bpmnExportWarnings'), 'bpmn-export-warnings', warnings, 'warning');
    } catch (error) {
      ElMessage({ type: 'error', message: t('fileIo.exportFailed', { message: messageOf(error) }) });
    }
  }

  /**
   * The flow as a standalone LangGraph.js project (a zip the server writes). A node that cannot be
   * written out is named with the reason, in the reader's language when the registry gives it (a
   * refused type or tool kind).
   */
  async function exportCode(api: Pick<FlowApi, 'exportCode'>): Promise<void> {
    try {
      downloadBlob(await api.exportCode(store.document), `${store.document.id}.zip`);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'codegen_refused') {
        const { nodeId, reason: english, localizedReason } = error.details as { nodeId: string; reason: string; localizedReason?: Record<string, string> };
        const support = registry.get(store.document.nodes.find((node) => node.id === nodeId)?.type ?? '')?.codegen;
        const reason = localizedReason?.[preferences.locale] ?? (support && 'refused' in support ? support.refused[preferences.locale] : english);
        showLines(t('fileIo.exportCodeRefused'), 'codegen-refused', [t('fileIo.exportCodeNode', { node: nodeId, reason })], 'error');
        return;
      }
      const lines = error instanceof ApiError && error.code === 'flow_invalid' ? [t('fileIo.exportCodeInvalid')] : [messageOf(error)];
      showLines(t('fileIo.exportCodeRefused'), 'codegen-refused', lines, 'error');
    }
  }

  function showLines(title: string, testId: string, lines: readonly string[], type: 'error' | 'warning'): void {
    void ElMessageBox.alert(
      h(
        'div',
        { 'data-testid': testId, class: 'import-report' },
        lines.map((line) => h('p', line)),
      ),
      title,
      { type, confirmButtonText: t('fileIo.dismiss') },
    ).catch(() => undefined);
  }

  function showImportProblem(fileName: string, problem: FlowFileProblem): void {
    const lines =
      problem.kind === 'syntax'
        ? [jsonSyntaxMessage(problem, t)]
        : [
            t('fileIo.notAFlow'),
            ...problem.messages.slice(0, SHOWN_PROBLEMS),
            ...(problem.messages.length > SHOWN_PROBLEMS ? [t('fileIo.moreProblems', { count: problem.messages.length - SHOWN_PROBLEMS })] : []),
          ];
    showLines(t('fileIo.importFailed', { file: fileName }), 'import-problems', lines, 'error');
  }

  /** A file dragged over the canvas may be dropped there (palette drags are pointer moves, not this). */
  function acceptFileDrag(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }

  function dropFile(event: DragEvent): void {
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    event.preventDefault();
    void importFile(file);
  }

  return {
    deleteSelection,
    copy,
    paste,
    selectAll,
    exportJson,
    exportPicture,
    autoLayout,
    layingOut,
    importFile,
    exportBpmn,
    exportCode,
    acceptFileDrag,
    dropFile,
    undo: store.undo,
    redo: store.redo,
  };
}
