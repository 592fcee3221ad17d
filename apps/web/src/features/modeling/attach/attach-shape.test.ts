import type { FlowDocument } from '@loomflow/graph-schema';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkExecuteUndoRedo } from '../../../testing/check-command';
import { testModelingContext } from '../../../testing/modeling-context';
import { attachShape } from './attach-shape';

const context = testModelingContext();
beforeEach(() => setActivePinia(createPinia()));

function process(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'attach',
    name: 'Attach',
    kind: 'bpmn',
    state: { channels: [] },
    nodes: [
      { id: 'sub', type: 'bpmn.subProcess', position: { x: 400, y: 200 }, size: { width: 400, height: 240 }, config: {} },
      { id: 'review', type: 'bpmn.userTask', parent: 'sub', position: { x: 400, y: 200 }, config: {} },
      { id: 'wait', type: 'bpmn.intermediateCatchEvent', position: { x: 800, y: 200 }, config: { documentation: 'a day', eventDefinition: { type: 'timer', timerType: 'duration', value: 'P1D' } } },
      { id: 'gateway', type: 'bpmn.exclusiveGateway', position: { x: 900, y: 200 }, config: {} },
      { id: 'late', type: 'bpmn.boundaryEvent', position: { x: 450, y: 320 }, config: { attachedTo: 'sub', cancelActivity: false, eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT1H' } } },
    ],
    edges: [{ id: 'f1', source: 'wait', target: 'gateway' }],
  };
}

describe('shape.attach', () => {
  it('turns an intermediate catch event dropped on a task outline into its boundary event, in the task container', () => {
    checkExecuteUndoRedo(process(), attachShape(context, 'wait', 'review', { x: 430, y: 236 }), (flow) => {
      expect(flow.nodes[2]).toEqual({
        id: 'wait',
        type: 'bpmn.boundaryEvent',
        parent: 'sub',
        position: { x: 430, y: 240 },
        config: { documentation: 'a day', attachedTo: 'review', eventDefinition: { type: 'timer', timerType: 'duration', value: 'P1D' } },
        // A new type, so the version of the type its config was made for.
        typeVersion: 1,
      });
      // Its outgoing flow stays: a boundary event leads on like the catch event did.
      expect(flow.edges).toEqual([{ id: 'f1', source: 'wait', target: 'gateway' }]);
    });
  });

  it('moves a boundary event to another activity, keeping its trigger and interrupting setting', () => {
    checkExecuteUndoRedo(process(), attachShape(context, 'late', 'review', { x: 352, y: 200 }), (flow) => {
      expect(flow.nodes[4]).toMatchObject({ parent: 'sub', position: { x: 350, y: 200 }, config: { attachedTo: 'review', cancelActivity: false } });
    });
  });

  it('refuses what is no activity as host, a point off the outline, an event with incoming flows and other node types', () => {
    const flow = process();
    flow.edges.push({ id: 'f2', source: 'gateway', target: 'wait' });
    const verdict = (nodeId: string, hostId: string, at: { x: number; y: number }) => attachShape(context, nodeId, hostId, at).canExecute(flow);
    expect(verdict('late', 'gateway', { x: 900, y: 175 })).toEqual({ allowed: false, refusal: { code: 'invalid-host' } });
    expect(verdict('late', 'review', { x: 400, y: 200 })).toEqual({ allowed: false, refusal: { code: 'not-attachable' } });
    expect(verdict('wait', 'review', { x: 350, y: 200 })).toEqual({ allowed: false, refusal: { code: 'not-attachable' } });
    expect(verdict('gateway', 'review', { x: 350, y: 200 })).toEqual({ allowed: false, refusal: { code: 'not-attachable' } });
    expect(verdict('review', 'review', { x: 350, y: 200 })).toEqual({ allowed: false, refusal: { code: 'into-itself' } });
    expect(verdict('late', 'nowhere', { x: 350, y: 200 })).toEqual({ allowed: false, refusal: { code: 'missing-element' } });
  });
});
