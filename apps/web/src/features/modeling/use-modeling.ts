// The editor's way into the modeling layer, after diagram-js's `modeling` service: one call per
// user intent (create, move or attach, connect, delete). Each asks its command's rule first; an
// allowed one runs as one undoable step, a refused one changes nothing and says why.
import { formatConnectionRefusal, type FlowEdge, type FlowNode, type Point } from '@loomflow/graph-schema';
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { useI18n } from 'vue-i18n';
import { canvasNodeSize } from '../../editor/logicflow-graph';
import { useNodeTypeRegistry } from '../../editor/node-type-registry';
import { useFlowDocumentStore } from '../../stores/flow-document-store';
import { usePreferencesStore } from '../../stores/preferences-store';
import { appendableTypes, appendCommand } from './append/append-node';
import { createConnection } from './connect/create-connection';
import { createElements, placeDropped } from './create/create-elements';
import { deleteElements, type ElementIds } from './delete/delete-elements';
import { freshId, usedIds } from './element-ids';
import type { ModelingCommand, Refusal } from './modeling-command';
import type { ModelingContext } from './modeling-rules';
import { commandForDrop, type NodeMove } from './move/move-elements';
import { makeNode } from './node-factory';

export function useModeling() {
  const store = useFlowDocumentStore();
  const registry = useNodeTypeRegistry();
  const preferences = usePreferencesStore();
  const { t } = useI18n();
  const context: ModelingContext = { registry, sizeOf: (node) => canvasNodeSize(node, registry) };

  function explain(refusal: Refusal): string {
    // A connection's reason is rendered now, from graph-schema's catalog, naming the nodes as the
    // document calls them.
    return refusal.code === 'connection'
      ? formatConnectionRefusal(refusal.reason, store.document, preferences.locale)
      : t(`modeling.refused.${refusal.code}`);
  }

  /** Runs the command when its rule allows it; answers whether it ran. */
  function run(command: ModelingCommand): boolean {
    const verdict = command.canExecute(store.document);
    if (verdict.allowed) {
      store.execute(command);
      return true;
    }
    // A refused connection keeps its own class: journeys and styles look for it.
    const customClass = verdict.refusal.code === 'connection' ? 'connection-refused' : 'modeling-refused';
    ElMessage({ type: 'warning', message: explain(verdict.refusal), customClass });
    return false;
  }

  /** A node of `type` dropped at `at` (a palette drop); selected when created. */
  function createNode(type: string, at: Point): void {
    if (!registry.get(type)) return;
    const node = makeNode(context, usedIds(store.document), { type, position: at, locale: preferences.locale });
    createAndSelect(placeDropped(context, store.document, [node]), []);
  }

  /** Pasted copies (already made by the node factory with fresh ids); selected when created. */
  function paste(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): void {
    createAndSelect(placeDropped(context, store.document, nodes), edges);
  }

  function createAndSelect(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): void {
    if (run(createElements(context, nodes, edges))) store.select({ nodeIds: nodes.map((node) => node.id), edgeIds: edges.map((edge) => edge.id) });
  }

  /** Nodes dragged to new places: a move, or an attach when an event lands on an activity's outline. */
  function moveNodes(moves: readonly NodeMove[]): boolean {
    return run(commandForDrop(context, store.document, moves));
  }

  function connect(source: string, target: string): void {
    run(createConnection(context, freshId('flow', usedIds(store.document)), { source, target }));
  }

  /** Quick-add: a node of `type` at `at`, connected from `source`, as one step; selected when created. */
  function append(type: string, source: string, at: Point): void {
    const { command, node } = appendCommand(context, store.document, { source, type, at, locale: preferences.locale });
    if (run(command)) store.select({ nodeIds: [node.id], edgeIds: [] });
  }

  /** The node types quick-add offers for a connection from `source` dropped at `at`. */
  const appendable = (source: string, at: Point) => appendableTypes(context, store.document, source, at);

  function remove(elements: ElementIds): void {
    run(deleteElements(context, elements));
  }

  return { context, createNode, paste, moveNodes, connect, append, appendable, remove };
}
