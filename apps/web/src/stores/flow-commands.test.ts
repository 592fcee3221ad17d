import type { FlowDocument } from '@loomflow/graph-schema';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  addChannel,
  connectEdge,
  createNode,
  deleteEdges,
  deleteNodes,
  moveNodes,
  pasteElements,
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
    annotations: [],
  };
}

beforeEach(() => setActivePinia(createPinia()));

describe('flow commands: execute, undo, redo', () => {
  it('node.create adds the node', () => {
    const node = { id: 'llm_1', type: 'agent.llm', position: { x: 10, y: 20 }, config: { prompt: '{{question}}' } };
    const changes = checkExecuteUndoRedo(agentFlow(), createNode(node), (flow) => expect(flow.nodes.at(-1)).toEqual(node));
    expect(changes.map((batch) => batch.map((change) => change.type))).toEqual([['node.added'], ['node.removed'], ['node.added']]);
  });

  it('node.create refuses an id that is taken', () => {
    const store = useFlowDocumentStore();
    store.open(agentFlow());
    expect(() => store.execute(createNode({ id: 'e1', type: 'agent.llm', position: { x: 0, y: 0 }, config: {} }))).toThrow(/already used/);
    expect(store.canUndo).toBe(false);
  });

  it('node.delete removes the node and its edges, and undo puts them back in place', () => {
    checkExecuteUndoRedo(agentFlow(), deleteNodes(['answer']), (flow) => {
      expect(flow.nodes.map((node) => node.id)).toEqual(['start', 'end']);
      expect(flow.edges).toEqual([]);
    });
  });

  it('node.move moves several nodes as one step', () => {
    const changes = checkExecuteUndoRedo(agentFlow(), 
      moveNodes([
        { nodeId: 'start', to: { x: 5, y: 6 } },
        { nodeId: 'end', to: { x: 500, y: 60 } },
      ]),
      (flow) => {
        expect(flow.nodes[0]?.position).toEqual({ x: 5, y: 6 });
        expect(flow.nodes[2]?.position).toEqual({ x: 500, y: 60 });
      },
    );
    expect(changes[0]?.map((change) => change.type)).toEqual(['node.changed', 'node.changed']);
  });

  it('node.rename sets the name, and an empty name removes it', () => {
    checkExecuteUndoRedo(agentFlow(), renameNode('answer', '  Reply  '), (flow) => expect(flow.nodes[1]?.name).toBe('Reply'));
    checkExecuteUndoRedo(agentFlow(), renameNode('answer', ''), (flow) => expect(flow.nodes[1]).not.toHaveProperty('name'));
  });

  it('node.updateConfig replaces the config', () => {
    checkExecuteUndoRedo(agentFlow(), updateNodeConfig('answer', { template: 'Hello {{question}}', output: 'answer' }), (flow) =>
      expect(flow.nodes[1]?.config).toEqual({ template: 'Hello {{question}}', output: 'answer' }),
    );
  });

  it('edge.connect adds the edge', () => {
    const edge = { id: 'e3', source: 'start', target: 'end', sourcePort: 'out', targetPort: 'in' };
    checkExecuteUndoRedo(agentFlow(), connectEdge(edge), (flow) => expect(flow.edges.at(-1)).toEqual(edge));
  });

  it('edge.connect refuses an edge to a missing node', () => {
    const store = useFlowDocumentStore();
    store.open(agentFlow());
    expect(() => store.execute(connectEdge({ id: 'e3', source: 'start', target: 'nowhere' }))).toThrow(/no node "nowhere"/);
  });

  it('edge.delete removes the edges', () => {
    checkExecuteUndoRedo(agentFlow(), deleteEdges(['e1']), (flow) => expect(flow.edges.map((edge) => edge.id)).toEqual(['e2']));
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

  it('elements.paste adds nodes and edges', () => {
    const nodes = [
      { id: 'template_1', type: 'agent.template', position: { x: 240, y: 40 }, config: {} },
      { id: 'end_1', type: 'agent.end', position: { x: 440, y: 40 }, config: {} },
    ];
    const edges = [{ id: 'flow_1', source: 'template_1', target: 'end_1' }];
    checkExecuteUndoRedo(agentFlow(), pasteElements(nodes, edges), (flow) => {
      expect(flow.nodes.slice(-2)).toEqual(nodes);
      expect(flow.edges.at(-1)).toEqual(edges[0]);
    });
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
    store.execute(deleteEdges(['e1']), deleteNodes(['start']));
    expect(store.document.nodes).toHaveLength(2);
    store.undo();
    expect(store.document).toEqual(agentFlow());

    expect(() => store.execute(deleteEdges(['e1']), deleteNodes(['missing']))).toThrow();
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
    store.execute(deleteEdges(['e1']));
    expect(store.selectedNode?.id).toBe('answer');
    store.execute(deleteNodes(['answer']));
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
