import type { FlowNode } from '@loomflow/graph-schema';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkExecuteUndoRedo } from '../../../testing/check-command';
import { exampleFlow, testModelingContext } from '../../../testing/modeling-context';
import { usedIds } from '../element-ids';
import { makeNode } from '../node-factory';
import { createElements, placeDropped } from './create-elements';

const context = testModelingContext();
beforeEach(() => setActivePinia(createPinia()));

/** A palette drop onto the expense approval: the factory's node, placed where it was dropped. */
function dropped(type: string, at: { x: number; y: number }): FlowNode {
  const flow = exampleFlow('bpmn/expense-approval.json');
  const [node] = placeDropped(context, flow, [makeNode(context, usedIds(flow), { type, position: at, locale: 'en' })]);
  if (!node) throw new Error('nothing placed');
  return node;
}

describe('the node factory', () => {
  it('makes a node of a registry type with its defaults, a fresh id, its title and its drawn size', () => {
    const flow = exampleFlow('bpmn/expense-approval.json');
    expect(makeNode(context, usedIds(flow), { type: 'bpmn.userTask', position: { x: 1, y: 2 }, locale: 'zh-CN' })).toEqual({
      id: 'userTask_1',
      type: 'bpmn.userTask',
      name: '用户任务',
      position: { x: 1, y: 2 },
      config: { assignee: '', candidateGroups: [], formFields: [] },
      typeVersion: 1,
      size: { width: 100, height: 80 },
    });
  });

  it('keeps the type version a copied config was written for, absent or not', () => {
    const flow = exampleFlow('bpmn/expense-approval.json');
    const copy = (typeVersion?: number) =>
      makeNode(context, usedIds(flow), { type: 'bpmn.userTask', position: { x: 1, y: 2 }, config: { assignee: 'ada' }, ...(typeVersion === undefined ? {} : { typeVersion }) });
    expect(copy()).not.toHaveProperty('typeVersion');
    expect(copy(1)).toHaveProperty('typeVersion', 1);
  });
});

describe('where a dropped node goes', () => {
  it('into the innermost container under its centre: the Finance lane, not its pool', () => {
    expect(dropped('bpmn.userTask', { x: 600, y: 520 }).parent).toBe('lane-finance');
  });

  it('into the pool when it lands on the pool outside its lanes, and to the top level outside every container', () => {
    expect(dropped('bpmn.userTask', { x: 55, y: 300 }).parent).toBe('pool');
    expect(dropped('bpmn.userTask', { x: 600, y: 800 })).not.toHaveProperty('parent');
  });

  it('a boundary event dropped on an activity outline attaches there, drawn on the outline', () => {
    expect(dropped('bpmn.boundaryEvent', { x: 650, y: 326 })).toMatchObject({
      type: 'bpmn.boundaryEvent',
      parent: 'lane-approvers',
      position: { x: 650, y: 320 },
      config: { attachedTo: 'manager-approval', eventDefinition: { type: 'timer' } },
    });
  });

  it('an intermediate catch event dropped on an outline becomes a boundary event with its trigger, as in Camunda Modeler', () => {
    expect(dropped('bpmn.intermediateCatchEvent', { x: 585, y: 280 })).toMatchObject({
      type: 'bpmn.boundaryEvent',
      position: { x: 590, y: 280 },
      config: { attachedTo: 'manager-approval', eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT1H' } },
    });
  });
});

describe('elements.create', () => {
  it('adds the node in its lane; undo removes it, redo brings it back', () => {
    const node = dropped('bpmn.userTask', { x: 600, y: 520 });
    const changes = checkExecuteUndoRedo(exampleFlow('bpmn/expense-approval.json'), createElements(context, [node]), (flow) => expect(flow.nodes.at(-1)).toEqual(node));
    expect(changes.map((batch) => batch.map((change) => change.type))).toEqual([['node.added'], ['node.removed'], ['node.added']]);
  });

  it('adds pasted nodes with the edges between them as one step', () => {
    const flow = exampleFlow('bpmn/expense-approval.json');
    const taken = usedIds(flow);
    const task = makeNode(context, taken, { type: 'bpmn.task', position: { x: 600, y: 800 } });
    const end = makeNode(context, taken, { type: 'bpmn.endEvent', position: { x: 800, y: 800 } });
    const edge = { id: 'flow_1', source: task.id, target: end.id };
    checkExecuteUndoRedo(flow, createElements(context, [task, end], [edge]), (after) => {
      expect(after.nodes.slice(-2)).toEqual([task, end]);
      expect(after.edges.at(-1)).toEqual(edge);
    });
  });

  it('refuses a boundary event off every outline, a lane outside a pool, a node of the other kind and a taken id', () => {
    const flow = exampleFlow('bpmn/expense-approval.json');
    const verdict = (node: FlowNode) => createElements(context, [node]).canExecute(flow);
    expect(verdict(dropped('bpmn.boundaryEvent', { x: 640, y: 280 }))).toEqual({ allowed: false, refusal: { code: 'needs-host' } });
    expect(verdict(dropped('bpmn.lane', { x: 600, y: 900 }))).toEqual({ allowed: false, refusal: { code: 'lane-outside-pool' } });
    expect(verdict(dropped('bpmn.lane', { x: 600, y: 300 }))).toEqual({ allowed: true });
    expect(verdict(dropped('agent.llm', { x: 600, y: 900 }))).toEqual({ allowed: false, refusal: { code: 'wrong-kind' } });
    expect(verdict({ ...dropped('bpmn.task', { x: 600, y: 900 }), id: 'start' })).toEqual({ allowed: false, refusal: { code: 'id-taken' } });
    expect(createElements(context, []).canExecute(flow)).toEqual({ allowed: false, refusal: { code: 'nothing-to-do' } });
  });
});
