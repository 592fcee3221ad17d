import type { FlowDocument } from '@loomflow/graph-schema';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkExecuteUndoRedo } from '../../../testing/check-command';
import { exampleFlow, testModelingContext } from '../../../testing/modeling-context';
import { commandForDrop, moveElements } from './move-elements';

const context = testModelingContext();
beforeEach(() => setActivePinia(createPinia()));

/** A pool with a lane, a task with a timer on its lower outline, and a task outside the pool. */
function process(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'carry',
    name: 'Carry',
    kind: 'bpmn',
    state: { channels: [] },
    nodes: [
      { id: 'pool', type: 'bpmn.pool', position: { x: 400, y: 200 }, size: { width: 600, height: 250 }, config: { processId: 'p' } },
      { id: 'lane', type: 'bpmn.lane', parent: 'pool', position: { x: 415, y: 200 }, size: { width: 570, height: 250 }, config: {} },
      { id: 'task', type: 'bpmn.userTask', parent: 'lane', position: { x: 300, y: 200 }, config: {} },
      { id: 'timer', type: 'bpmn.boundaryEvent', parent: 'lane', position: { x: 300, y: 240 }, config: { attachedTo: 'task', eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT1H' } } },
      { id: 'outside', type: 'bpmn.task', position: { x: 900, y: 600 }, config: {} },
    ],
    edges: [],
  };
}

const byId = (flow: FlowDocument, id: string) => flow.nodes.find((node) => node.id === id);

describe('elements.move', () => {
  it('drops the stale route of an edge with one end moved, and shifts the route of one moved whole', () => {
    const flow = process();
    flow.edges = [
      { id: 'carried', source: 'task', target: 'timer', waypoints: [{ x: 350, y: 220 }] },
      { id: 'stretched', source: 'task', target: 'outside', waypoints: [{ x: 600, y: 200 }, { x: 600, y: 600 }] },
      { id: 'unrelated', source: 'outside', target: 'outside', waypoints: [{ x: 1, y: 2 }] },
    ];
    checkExecuteUndoRedo(flow, moveElements(context, [{ nodeId: 'pool', to: { x: 450, y: 180 } }]), (moved) => {
      expect(moved.edges.find((edge) => edge.id === 'carried')?.waypoints).toEqual([{ x: 400, y: 200 }]);
      expect(moved.edges.find((edge) => edge.id === 'stretched')).not.toHaveProperty('waypoints');
      expect(moved.edges.find((edge) => edge.id === 'unrelated')?.waypoints).toEqual([{ x: 1, y: 2 }]);
    });
  });

  it('carries what a pool contains, at any depth, and the boundary events of its tasks', () => {
    checkExecuteUndoRedo(process(), moveElements(context, [{ nodeId: 'pool', to: { x: 450, y: 180 } }]), (flow) => {
      expect(Object.fromEntries(flow.nodes.map((node) => [node.id, node.position]))).toEqual({
        pool: { x: 450, y: 180 },
        lane: { x: 465, y: 180 },
        task: { x: 350, y: 180 },
        timer: { x: 350, y: 220 },
        outside: { x: 900, y: 600 },
      });
      expect(flow.nodes.map((node) => node.parent)).toEqual([undefined, 'pool', 'lane', 'lane', undefined]);
    });
  });

  it('dropping a node into a lane makes the lane its parent; its boundary events follow it', () => {
    checkExecuteUndoRedo(process(), moveElements(context, [{ nodeId: 'outside', to: { x: 500, y: 150 } }]), (flow) => {
      expect(byId(flow, 'outside')).toMatchObject({ parent: 'lane', position: { x: 500, y: 150 } });
    });
  });

  it('dragging a task out of every container clears its parent, and its boundary event goes along', () => {
    checkExecuteUndoRedo(process(), moveElements(context, [{ nodeId: 'task', to: { x: 300, y: 600 } }]), (flow) => {
      expect(byId(flow, 'task')).not.toHaveProperty('parent');
      expect(byId(flow, 'timer')).toMatchObject({ position: { x: 300, y: 640 } });
      expect(byId(flow, 'timer')).not.toHaveProperty('parent');
    });
  });

  it('leaves a node the person moved too where it was dropped', () => {
    checkExecuteUndoRedo(
      process(),
      moveElements(context, [
        { nodeId: 'task', to: { x: 310, y: 200 } },
        { nodeId: 'timer', to: { x: 340, y: 240 } },
      ]),
      (flow) => expect([byId(flow, 'task')?.position, byId(flow, 'timer')?.position]).toEqual([{ x: 310, y: 200 }, { x: 340, y: 240 }]),
    );
  });

  it('a boundary event moved along its outline stays attached there', () => {
    checkExecuteUndoRedo(process(), moveElements(context, [{ nodeId: 'timer', to: { x: 330, y: 232 } }]), (flow) => {
      expect(byId(flow, 'timer')).toMatchObject({ type: 'bpmn.boundaryEvent', position: { x: 330, y: 240 }, config: { attachedTo: 'task' } });
    });
  });

  it('a boundary event dropped off its activity becomes an intermediate catch event with its trigger, as in Camunda Modeler', () => {
    checkExecuteUndoRedo(process(), moveElements(context, [{ nodeId: 'timer', to: { x: 500, y: 260 } }]), (flow) => {
      expect(byId(flow, 'timer')).toEqual({
        id: 'timer',
        type: 'bpmn.intermediateCatchEvent',
        parent: 'lane',
        position: { x: 500, y: 260 },
        config: { eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT1H' } },
        typeVersion: 1,
      });
    });
  });

  it('refuses to detach a non-interrupting boundary event, to leave a lane outside a pool, and to move what is not there', () => {
    const flow = process();
    const timer = byId(flow, 'timer');
    if (timer) timer.config.cancelActivity = false;
    expect(moveElements(context, [{ nodeId: 'timer', to: { x: 500, y: 260 } }]).canExecute(flow)).toEqual({ allowed: false, refusal: { code: 'stays-attached' } });
    expect(moveElements(context, [{ nodeId: 'lane', to: { x: 415, y: 700 } }]).canExecute(flow)).toEqual({ allowed: false, refusal: { code: 'lane-outside-pool' } });
    expect(moveElements(context, [{ nodeId: 'ghost', to: { x: 0, y: 0 } }]).canExecute(flow)).toEqual({ allowed: false, refusal: { code: 'missing-element' } });
  });

  it('a dragged Finance task of the expense approval dropped into the Employee lane belongs to that lane', () => {
    checkExecuteUndoRedo(exampleFlow('bpmn/expense-approval.json'), moveElements(context, [{ nodeId: 'pay-out', to: { x: 1000, y: 160 } }]), (flow) => {
      expect(byId(flow, 'pay-out')?.parent).toBe('lane-employee');
    });
  });
});

describe('the command for a drop', () => {
  it('attaches a single event dropped on an outline, and moves anything else', () => {
    expect(commandForDrop(context, process(), [{ nodeId: 'timer', to: { x: 252, y: 200 } }]).name).toBe('shape.attach');
    expect(commandForDrop(context, process(), [{ nodeId: 'timer', to: { x: 500, y: 260 } }]).name).toBe('elements.move');
    expect(commandForDrop(context, process(), [{ nodeId: 'outside', to: { x: 252, y: 200 } }]).name).toBe('elements.move');
  });
});
