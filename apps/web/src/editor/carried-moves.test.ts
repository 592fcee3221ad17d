import { createDefaultRegistry, type FlowDocument } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { withCarriedNodes } from './carried-moves';

const registry = createDefaultRegistry();

const process = (): FlowDocument => ({
  schemaVersion: 1,
  id: 'carry',
  name: 'Carry',
  kind: 'bpmn',
  state: { channels: [] },
  nodes: [
    { id: 'pool', type: 'bpmn.pool', position: { x: 400, y: 200 }, config: { processId: 'p' } },
    { id: 'lane', type: 'bpmn.lane', parent: 'pool', position: { x: 420, y: 200 }, config: {} },
    { id: 'task', type: 'bpmn.userTask', parent: 'lane', position: { x: 300, y: 200 }, config: {} },
    { id: 'timer', type: 'bpmn.boundaryEvent', parent: 'lane', position: { x: 300, y: 240 }, config: { attachedTo: 'task', eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT1H' } } },
    { id: 'outside', type: 'bpmn.task', position: { x: 900, y: 200 }, config: {} },
  ],
  edges: [],
  annotations: [],
});

describe('withCarriedNodes', () => {
  it('moves what a pool contains, at any depth, and the boundary events of its tasks', () => {
    const moves = withCarriedNodes(process(), registry, [{ nodeId: 'pool', to: { x: 450, y: 180 } }]);
    expect(Object.fromEntries(moves.map((move) => [move.nodeId, move.to]))).toEqual({
      pool: { x: 450, y: 180 },
      lane: { x: 470, y: 180 },
      task: { x: 350, y: 180 },
      timer: { x: 350, y: 220 },
    });
  });

  it('moves a task with its boundary event but not its container', () => {
    const moves = withCarriedNodes(process(), registry, [{ nodeId: 'task', to: { x: 310, y: 200 } }]);
    expect(moves).toEqual([
      { nodeId: 'task', to: { x: 310, y: 200 } },
      { nodeId: 'timer', to: { x: 310, y: 240 } },
    ]);
  });

  it('leaves a node the person moved too where it was dropped', () => {
    const moves = withCarriedNodes(process(), registry, [
      { nodeId: 'task', to: { x: 310, y: 200 } },
      { nodeId: 'timer', to: { x: 500, y: 500 } },
    ]);
    expect(moves).toEqual([
      { nodeId: 'task', to: { x: 310, y: 200 } },
      { nodeId: 'timer', to: { x: 500, y: 500 } },
    ]);
  });
});
