import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkExecuteUndoRedo } from '../../../testing/check-command';
import { exampleFlow, testModelingContext } from '../../../testing/modeling-context';
import { deleteElements } from './delete-elements';

const context = testModelingContext();
beforeEach(() => setActivePinia(createPinia()));

const ids = (list: readonly { id: string }[]) => list.map((element) => element.id);

describe('elements.delete', () => {
  it('deletes a pool with its lanes and everything in them, and every edge touching them; undo restores all', () => {
    const flow = exampleFlow('bpmn/expense-approval.json');
    const changes = checkExecuteUndoRedo(flow, deleteElements(context, { nodeIds: ['pool'], edgeIds: [] }), (after) => {
      // The note beside the pool stays; only its association with the deleted gateway goes.
      expect(after.nodes.map(({ id, config }) => ({ id, config }))).toEqual([
        { id: 'note-threshold', config: { text: "Claims above 5000 EUR need a director's sign-off." } },
      ]);
      expect(after.edges).toEqual([]);
    });
    expect(changes[0]?.filter((change) => change.type === 'node.removed')).toHaveLength(18);
  });

  it("deletes an activity's boundary events, and a sub-process's content with theirs", () => {
    checkExecuteUndoRedo(exampleFlow('bpmn/incident-escalation.json'), deleteElements(context, { nodeIds: ['triage', 'resolve'], edgeIds: [] }), (flow) => {
      for (const gone of ['triage', 'triage-overdue', 'resolve', 'resolve-start', 'investigate', 'fix-failed-end', 'fix-failed']) expect(ids(flow.nodes)).not.toContain(gone);
      expect(flow.edges.every((edge) => ids(flow.nodes).includes(edge.source) && ids(flow.nodes).includes(edge.target))).toBe(true);
      expect(flow.nodes.every((node) => node.parent === undefined || ids(flow.nodes).includes(node.parent))).toBe(true);
    });
  });

  it("clears an agent.map's node and a note's association when their node is deleted, and keeps the note", () => {
    const flow = exampleFlow('agent/map-over-list.json');
    const map = flow.nodes.find((node) => node.type === 'agent.map');
    if (!map || typeof map.config.node !== 'string') throw new Error('the example has no agent.map');
    const worker = map.config.node;
    flow.nodes.push({ id: 'note', type: 'agent.note', position: { x: 0, y: 0 }, config: { text: 'the worker', annotates: worker } });
    checkExecuteUndoRedo(flow, deleteElements(context, { nodeIds: [worker], edgeIds: [] }), (after) => {
      expect(after.nodes.find((node) => node.id === map.id)?.config).not.toHaveProperty('node');
      expect(after.nodes.find((node) => node.id === 'note')?.config).toEqual({ text: 'the worker' });
    });
  });

  it("clears a note's association with a deleted edge", () => {
    const flow = exampleFlow('bpmn/expense-approval.json');
    const note = flow.nodes.find((node) => node.type === 'bpmn.textAnnotation');
    const [edge] = flow.edges;
    if (!note || !edge) throw new Error('the example has no note or no edge');
    note.config = { ...note.config, annotates: edge.id };
    checkExecuteUndoRedo(flow, deleteElements(context, { nodeIds: [], edgeIds: [edge.id] }), (after) => {
      expect(after.nodes.find((node) => node.id === note.id)?.config).not.toHaveProperty('annotates');
      expect(after.nodes.find((node) => node.id === note.id)?.config.text).toBe(note.config.text);
    });
  });

  it('deletes edges alone, and an edge also named with its deleted node only once', () => {
    const flow = exampleFlow('bpmn/expense-approval.json');
    const [first] = flow.edges;
    if (!first) throw new Error('no edge');
    checkExecuteUndoRedo(flow, deleteElements(context, { nodeIds: [first.source], edgeIds: [first.id] }), (after) => {
      expect(ids(after.edges)).not.toContain(first.id);
      expect(ids(after.nodes)).not.toContain(first.source);
    });
  });

  it('refuses an empty selection and elements that are not there', () => {
    const flow = exampleFlow('bpmn/expense-approval.json');
    expect(deleteElements(context, { nodeIds: [], edgeIds: [] }).canExecute(flow)).toEqual({ allowed: false, refusal: { code: 'nothing-to-do' } });
    expect(deleteElements(context, { nodeIds: ['ghost'], edgeIds: [] }).canExecute(flow)).toEqual({ allowed: false, refusal: { code: 'missing-element' } });
  });
});
