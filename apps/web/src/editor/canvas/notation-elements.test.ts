import { BaseNodeModel, LogicFlow } from '@logicflow/core';
import { createDefaultRegistry } from '@loomflow/graph-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { toLogicFlowNode } from '../logicflow-graph';
import { notationElements } from './notation-elements';

// The node models answer `anchors` themselves when a node is not rotated (LogicFlow's getter
// multiplies matrices on every read); the anchors must be LogicFlow's own, rotated or not.
const registry = createDefaultRegistry();
const logicFlowAnchors = Object.getOwnPropertyDescriptor(BaseNodeModel.prototype, 'anchors')?.get as (this: BaseNodeModel) => BaseNodeModel['anchors'];
let container: HTMLElement | undefined;

afterEach(() => container?.remove());

function canvasWith(type: string) {
  container = document.createElement('div');
  document.body.append(container);
  const lf = new LogicFlow({ container, width: 800, height: 600, grid: false });
  for (const element of notationElements) lf.register(element);
  lf.render({ nodes: [toLogicFlowNode({ id: 'n', type, position: { x: 210.5, y: 130.25 }, config: {} }, registry)], edges: [] });
  return lf.getNodeModelById('n') as BaseNodeModel;
}

describe('the node models’ anchors', () => {
  it.each(['bpmn.startEvent', 'bpmn.exclusiveGateway', 'bpmn.userTask', 'agent.llm'])('are LogicFlow’s for a %s, unrotated and rotated', (type) => {
    const model = canvasWith(type);
    expect(model.anchors.length).toBeGreaterThan(0);
    const close = (anchors: BaseNodeModel['anchors']) => anchors.map((anchor) => ({ ...anchor, x: expect.closeTo(anchor.x, 9), y: expect.closeTo(anchor.y, 9) }));
    expect(model.anchors).toEqual(close(logicFlowAnchors.call(model)));
    model.rotate = Math.PI / 6;
    expect(model.anchors).toEqual(close(logicFlowAnchors.call(model)));
    // Rotated, they are no longer where the offsets alone put them.
    expect(model.anchors).not.toEqual(model.getAnchorsByOffset());
  });
});
