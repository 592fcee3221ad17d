// How every flow command is tested (diagram-js style): run it through the store, check its
// effect, then undo must restore the document exactly and redo bring the effect back exactly.
import type { FlowDocument } from '@loomflow/graph-schema';
import { expect } from 'vitest';
import type { DocumentChange, FlowCommand } from '../stores/flow-commands';
import { useFlowDocumentStore } from '../stores/flow-document-store';

/** Answers the changes the store announced for execute, undo and redo, one batch each. */
export function checkExecuteUndoRedo(flow: FlowDocument, command: FlowCommand, expectEffect: (flow: FlowDocument) => void): DocumentChange[][] {
  const store = useFlowDocumentStore();
  store.open(flow);
  const changes: DocumentChange[][] = [];
  store.onChange((batch) => changes.push([...batch]));
  const before = structuredClone(store.document);

  store.execute(command);
  expectEffect(store.document);
  const after = structuredClone(store.document);
  expect(store.canUndo).toBe(true);
  expect(store.dirty).toBe(true);

  store.undo();
  expect(store.document).toEqual(before);
  expect(store.canRedo).toBe(true);
  expect(store.dirty).toBe(false);

  store.redo();
  expect(store.document).toEqual(after);
  expect(store.dirty).toBe(true);
  return changes;
}
