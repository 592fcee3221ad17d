// The commands that change many elements at once: auto-layout's `nodes.layout` and an import's
// `document.replace`. Like every command, they are checked through the store: execute, undo
// restores the document exactly, redo brings the effect back exactly.
import type { FlowDocument } from '@loomflow/graph-schema';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkExecuteUndoRedo } from '../testing/check-command';
import { layoutNodes, replaceDocument } from './flow-commands';
import { useFlowDocumentStore } from './flow-document-store';

function processFlow(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'claims',
    name: 'Claims',
    kind: 'bpmn',
    state: { channels: [] },
    nodes: [
      { id: 'pool', type: 'bpmn.pool', name: 'Insurer', position: { x: 300, y: 100 }, size: { width: 600, height: 200 }, config: {} },
      { id: 'start', type: 'bpmn.startEvent', parent: 'pool', position: { x: 80, y: 100 }, config: {} },
      { id: 'review', type: 'bpmn.userTask', parent: 'pool', position: { x: 240, y: 100 }, config: {} },
      { id: 'end', type: 'bpmn.endEvent', parent: 'pool', position: { x: 420, y: 100 }, config: {} },
    ],
    edges: [
      { id: 'f1', source: 'start', target: 'review', waypoints: [{ x: 150, y: 140 }] },
      { id: 'f2', source: 'review', target: 'end' },
    ],
  };
}

beforeEach(() => setActivePinia(createPinia()));

describe('nodes.layout', () => {
  it('places every node and resizes containers in one step, and undo puts every node back', () => {
    const command = layoutNodes([
      { nodeId: 'pool', position: { x: 400, y: 160 }, size: { width: 800, height: 320 } },
      { nodeId: 'start', position: { x: 100, y: 160 } },
      { nodeId: 'review', position: { x: 300, y: 160 } },
      { nodeId: 'end', position: { x: 500, y: 160 } },
    ]);
    expect(command.name).toBe('nodes.layout');
    const changes = checkExecuteUndoRedo(processFlow(), command, (flow) => {
      expect(flow.nodes.map((node) => node.position)).toEqual([
        { x: 400, y: 160 },
        { x: 100, y: 160 },
        { x: 300, y: 160 },
        { x: 500, y: 160 },
      ]);
      expect(flow.nodes[0]?.size).toEqual({ width: 800, height: 320 });
      expect(flow.nodes[1]).not.toHaveProperty('size');
      // The bend of f1 went round the old places: it is dropped, and undo brings it back.
      expect(flow.edges[0]).not.toHaveProperty('waypoints');
    });
    // The whole drawing changed: views draw it afresh instead of node by node.
    expect(changes).toEqual([[{ type: 'document.replaced' }], [{ type: 'document.replaced' }], [{ type: 'document.replaced' }]]);
  });

  it('gives a node that had no size none back on undo', () => {
    const store = useFlowDocumentStore();
    store.open(processFlow());
    store.execute(layoutNodes([{ nodeId: 'review', position: { x: 1, y: 2 }, size: { width: 120, height: 90 } }]));
    expect(store.document.nodes[2]?.size).toEqual({ width: 120, height: 90 });
    store.undo();
    expect(store.document.nodes[2]).not.toHaveProperty('size');
    expect(store.document.nodes[2]?.position).toEqual({ x: 240, y: 100 });
  });

  it('fails as a whole, changing nothing, when a node is missing', () => {
    const store = useFlowDocumentStore();
    store.open(processFlow());
    expect(() => store.execute(layoutNodes([{ nodeId: 'missing', position: { x: 0, y: 0 } }]))).toThrow(/no node "missing"/);
    expect(store.document).toEqual(processFlow());
    expect(store.canUndo).toBe(false);
  });
});

describe('document.replace', () => {
  const imported: FlowDocument = {
    schemaVersion: 1,
    id: 'someone-elses-id',
    name: 'Imported',
    description: 'From a file',
    kind: 'agent',
    state: { channels: [{ name: 'question', type: 'string', reducer: 'replace' }] },
    nodes: [{ id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} }],
    edges: [],
  };

  it('replaces the content but keeps the open flow id, as one undoable step', () => {
    const changes = checkExecuteUndoRedo(processFlow(), replaceDocument(structuredClone(imported)), (flow) => {
      expect(flow).toEqual({ ...imported, id: 'claims' });
      expect(Object.keys(flow)).toEqual(Object.keys(imported));
    });
    expect(changes).toEqual([[{ type: 'document.replaced' }], [{ type: 'document.replaced' }], [{ type: 'document.replaced' }]]);
  });

  it('drops fields the previous document had and the new one lacks, and undo restores them', () => {
    const store = useFlowDocumentStore();
    store.open({ ...processFlow(), recursionLimit: 40 });
    const { description: _description, ...withoutDescription } = imported;
    store.execute(replaceDocument(withoutDescription));
    expect(store.document).not.toHaveProperty('recursionLimit');
    expect(store.document).not.toHaveProperty('description');
    store.undo();
    expect(store.document.recursionLimit).toBe(40);
    expect(store.document.name).toBe('Claims');
  });
});
