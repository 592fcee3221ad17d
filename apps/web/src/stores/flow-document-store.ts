// The flow document being edited: the single source of truth of the editor (docs/ARCHITECTURE.md §
// The designer). Every edit is a named command on the command stack; views subscribe to the changes
// each command made (`onChange`) and update only those elements.
import type { FlowDocument } from '@loomflow/graph-schema';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import { CommandStack } from './command-stack';
import type { DocumentChange, FlowCommand } from './flow-commands';

export type ChangeListener = (changes: readonly DocumentChange[]) => void;

export interface Selection {
  readonly nodeIds: readonly string[];
  readonly edgeIds: readonly string[];
}

const EMPTY_SELECTION: Selection = { nodeIds: [], edgeIds: [] };

function emptyFlow(): FlowDocument {
  return { schemaVersion: 1, id: 'untitled', name: 'Untitled', kind: 'agent', state: { channels: [] }, nodes: [], edges: [] };
}

export const useFlowDocumentStore = defineStore('flowDocument', () => {
  // Commands mutate the plain document in place and the store triggers once per step: a deep
  // reactive proxy would track every node of a large flow and cannot be structuredCloned.
  const document = shallowRef<FlowDocument>(emptyFlow());
  const stack = new CommandStack();
  const listeners = new Set<ChangeListener>();
  /** Counts every change (command, undo, redo, open), for watchers such as live validation. */
  const revision = ref(0);
  const canUndo = ref(false);
  const canRedo = ref(false);
  const dirty = ref(false);
  const selection = shallowRef<Selection>(EMPTY_SELECTION);

  function publish(changes: readonly DocumentChange[]): void {
    canUndo.value = stack.canUndo;
    canRedo.value = stack.canRedo;
    dirty.value = stack.dirty;
    if (changes.length === 0) return;
    pruneSelection();
    revision.value += 1;
    triggerRef(document);
    for (const listener of listeners) listener(changes);
  }

  /** Forgets selected elements that no longer exist (deleted, or undone creations). */
  function pruneSelection(): void {
    const nodeIds = new Set(document.value.nodes.map((node) => node.id));
    const edgeIds = new Set(document.value.edges.map((edge) => edge.id));
    const current = selection.value;
    if (current.nodeIds.every((id) => nodeIds.has(id)) && current.edgeIds.every((id) => edgeIds.has(id))) return;
    selection.value = { nodeIds: current.nodeIds.filter((id) => nodeIds.has(id)), edgeIds: current.edgeIds.filter((id) => edgeIds.has(id)) };
  }

  /** Shows another document, with a fresh history; it counts as saved unless `unsaved` is set. */
  function open(flow: FlowDocument, options: { unsaved?: boolean } = {}): void {
    document.value = flow;
    stack.reset(options);
    selection.value = EMPTY_SELECTION;
    publish([{ type: 'document.replaced' }]);
  }

  /** Runs one or several commands as one undoable step. */
  function execute(...commands: FlowCommand[]): void {
    if (commands.length === 0) return;
    publish(stack.execute(document.value, commands));
  }

  function undo(): void {
    publish(stack.undo(document.value));
  }

  function redo(): void {
    publish(stack.redo(document.value));
  }

  function markSaved(): void {
    stack.markSaved();
    dirty.value = stack.dirty;
  }

  function select(next: Selection): void {
    selection.value = next;
  }

  function onChange(listener: ChangeListener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  // Copies, because commands change elements in place and a computed that returned the same
  // object would not tell its readers (the properties panel) that anything changed.
  const selectedNode = computed(() => {
    const { nodeIds, edgeIds } = selection.value;
    if (nodeIds.length !== 1 || edgeIds.length > 0) return undefined;
    const node = document.value.nodes.find((candidate) => candidate.id === nodeIds[0]);
    return node && { ...node };
  });
  const selectedEdge = computed(() => {
    const { nodeIds, edgeIds } = selection.value;
    if (edgeIds.length !== 1 || nodeIds.length > 0) return undefined;
    const edge = document.value.edges.find((candidate) => candidate.id === edgeIds[0]);
    return edge && { ...edge };
  });

  return { document, revision, canUndo, canRedo, dirty, selection, selectedNode, selectedEdge, open, execute, undo, redo, markSaved, select, onChange };
});
