import type { FlowDocument } from '@loomflow/graph-schema';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { deleteElements } from '../features/modeling/delete/delete-elements';
import { testModelingContext } from '../testing/modeling-context';
import {
  addChannel,
  removeChannel,
  renameNode,
  updateChannel,
  updateEdgeCondition,
  updateNodeConfig,
} from './flow-commands';
import { checkExecuteUndoRedo } from '../testing/check-command';
import { useFlowDocumentStore } from './flow-document-store';

function agentFlow(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'triage',
    name: 'Triage',
    kind: 'agent',
    state: { channels: [{ name: 'question', type: 'string', reducer: 'replace' }] },
    nodes: [
      { id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} },
      { id: 'answer', type: 'agent.template', name: 'Answer', position: { x: 200, y: 0 }, config: { template: 'Hi', output: 'answer' } },
      { id: 'end', type: 'agent.end', position: { x: 400, y: 0 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'answer' },
      { id: 'e2', source: 'answer', target: 'end' },
    ],
  };
}

beforeEach(() => setActivePinia(createPinia()));

describe('flow commands: execute, undo, redo', () => {
  it('node.rename sets the name, and an empty name removes it', () => {
    checkExecuteUndoRedo(agentFlow(), renameNode('answer', '  Reply  '), (flow) => expect(flow.nodes[1]?.name).toBe('Reply'));
    checkExecuteUndoRedo(agentFlow(), renameNode('answer', ''), (flow) => expect(flow.nodes[1]).not.toHaveProperty('name'));
  });

  it('node.updateConfig replaces the config', () => {
    checkExecuteUndoRedo(agentFlow(), updateNodeConfig('answer', { template: 'Hello {{question}}', output: 'answer' }), (flow) =>
      expect(flow.nodes[1]?.config).toEqual({ template: 'Hello {{question}}', output: 'answer' }),
    );
  });

  it('edge.updateCondition sets and clears condition, default flag and label', () => {
    checkExecuteUndoRedo(agentFlow(), updateEdgeCondition('e2', { condition: 'amount > 5', label: 'big', isDefault: true }), (flow) =>
      expect(flow.edges[1]).toEqual({ id: 'e2', source: 'answer', target: 'end', condition: 'amount > 5', label: 'big', isDefault: true }),
    );
    const store = useFlowDocumentStore();
    store.execute(updateEdgeCondition('e2', { condition: '', isDefault: false }));
    expect(store.document.edges[1]).toEqual({ id: 'e2', source: 'answer', target: 'end', label: 'big' });
    store.undo();
    expect(store.document.edges[1]).toMatchObject({ condition: 'amount > 5', isDefault: true });
  });

  it('channel.add, channel.update and channel.remove edit the state channels', () => {
    checkExecuteUndoRedo(agentFlow(), addChannel({ name: 'answer', type: 'string', reducer: 'replace' }), (flow) =>
      expect(flow.state.channels.map((channel) => channel.name)).toEqual(['question', 'answer']),
    );
    checkExecuteUndoRedo(agentFlow(), updateChannel('question', { name: 'topic', type: 'string', reducer: 'append' }), (flow) =>
      expect(flow.state.channels).toEqual([{ name: 'topic', type: 'string', reducer: 'append' }]),
    );
    checkExecuteUndoRedo(agentFlow(), removeChannel('question'), (flow) => expect(flow.state.channels).toEqual([]));
  });

  it('channel.add refuses a duplicate name', () => {
    const store = useFlowDocumentStore();
    store.open(agentFlow());
    expect(() => store.execute(addChannel({ name: 'question', type: 'any', reducer: 'replace' }))).toThrow(/already exists/);
  });
});

describe('the flow document store', () => {
  it('runs several commands as one undoable step and rolls all back when one fails', () => {
    const store = useFlowDocumentStore();
    store.open(agentFlow());
    store.execute(renameNode('answer', 'A'), updateNodeConfig('answer', { template: 'Hello', output: 'answer' }));
    expect(store.document.nodes[1]).toMatchObject({ name: 'A', config: { template: 'Hello' } });
    store.undo();
    expect(store.document).toEqual(agentFlow());

    expect(() => store.execute(renameNode('answer', 'A'), renameNode('missing', 'B'))).toThrow();
    expect(store.document).toEqual(agentFlow());
    expect(store.canUndo).toBe(false);
  });

  it('tracks the saved state across undo and redo', () => {
    const store = useFlowDocumentStore();
    store.open(agentFlow());
    store.execute(renameNode('answer', 'A'));
    store.markSaved();
    expect(store.dirty).toBe(false);
    store.undo();
    expect(store.dirty).toBe(true);
    store.redo();
    expect(store.dirty).toBe(false);
    store.execute(renameNode('answer', 'B'));
    expect(store.dirty).toBe(true);
  });

  it('forgets selected elements that a command removed', () => {
    const store = useFlowDocumentStore();
    store.open(agentFlow());
    store.select({ nodeIds: ['answer'], edgeIds: ['e1'] });
    expect(store.selectedNode).toBeUndefined();
    store.execute(deleteElements(testModelingContext(), { nodeIds: [], edgeIds: ['e1'] }));
    expect(store.selectedNode?.id).toBe('answer');
    store.execute(deleteElements(testModelingContext(), { nodeIds: ['answer'], edgeIds: [] }));
    expect(store.selection).toEqual({ nodeIds: [], edgeIds: [] });
  });

  it('opening a document clears the history', () => {
    const store = useFlowDocumentStore();
    store.open(agentFlow());
    store.execute(renameNode('answer', 'A'));
    store.open(agentFlow());
    expect(store.canUndo).toBe(false);
    expect(store.dirty).toBe(false);
  });
});
