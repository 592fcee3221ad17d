import type { FlowDocument } from '@loomflow/graph-schema';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { testModelingContext } from '../testing/modeling-context';
import { PASTE_OFFSET, copyElements, prepareForPaste, useClipboardStore } from './clipboard';

const context = testModelingContext();
const { registry } = context;

function flow(id: string): FlowDocument {
  return {
    schemaVersion: 1,
    id,
    name: id,
    kind: 'agent',
    state: { channels: [] },
    nodes: [
      { id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} },
      { id: 'template_1', type: 'agent.template', name: 'Reply', position: { x: 200, y: 0 }, config: { template: 'Hi' } },
      { id: 'end', type: 'agent.end', position: { x: 400, y: 0 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'template_1' },
      { id: 'e2', source: 'template_1', target: 'end', label: 'done' },
    ],
  };
}

function process(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'process',
    name: 'Process',
    kind: 'bpmn',
    state: { channels: [] },
    nodes: [
      { id: 'review', type: 'bpmn.userTask', position: { x: 200, y: 100 }, config: {} },
      { id: 'late', type: 'bpmn.boundaryEvent', position: { x: 200, y: 140 }, config: { attachedTo: 'review', eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT1H' } } },
    ],
    edges: [],
  };
}

describe('copy and paste', () => {
  it('copies the selected nodes and only the edges between them', () => {
    const copied = copyElements(flow('a'), ['template_1', 'end'], registry);
    expect(copied.nodes.map((node) => node.id)).toEqual(['template_1', 'end']);
    expect(copied.edges.map((edge) => edge.id)).toEqual(['e2']);
  });

  it('leaves out a boundary event copied without its activity, and points a copied one at the copied activity', () => {
    expect(copyElements(process(), ['late'], registry).nodes).toEqual([]);
    const pasted = prepareForPaste(copyElements(process(), ['review', 'late'], registry), process(), PASTE_OFFSET, context);
    expect(pasted.nodes.map((node) => [node.id, node.config.attachedTo])).toEqual([
      ['userTask_1', undefined],
      ['boundaryEvent_1', 'userTask_1'],
    ]);
  });

  it('gives pasted elements fresh ids from the node factory, keeps their links and shifts them', () => {
    const target = flow('b');
    const pasted = prepareForPaste(copyElements(flow('a'), ['template_1', 'end'], registry), target, PASTE_OFFSET, context);
    expect(pasted.nodes.map((node) => node.id)).toEqual(['template_2', 'end_1']);
    expect(pasted.nodes[0]).toMatchObject({ name: 'Reply', config: { template: 'Hi' }, position: { x: 240, y: 40 }, size: { width: 160, height: 56 } });
    expect(pasted.edges).toEqual([{ id: 'flow_1', source: 'template_2', target: 'end_1', label: 'done' }]);
  });

  it('the clipboard store pastes into another flow, each paste further along', () => {
    setActivePinia(createPinia());
    const clipboard = useClipboardStore();
    clipboard.copy(flow('a'), ['template_1'], registry);
    const first = clipboard.takeForPaste(flow('b'), context);
    const second = clipboard.takeForPaste(flow('b'), context);
    expect(first?.nodes[0]?.position).toEqual({ x: 240, y: 40 });
    expect(second?.nodes[0]?.position).toEqual({ x: 280, y: 80 });
  });

  it('a copy is independent of later edits to the source flow', () => {
    const source = flow('a');
    const copied = copyElements(source, ['template_1'], registry);
    const [, copiedNode] = source.nodes;
    if (copiedNode) copiedNode.config.template = 'changed';
    expect(copied.nodes[0]?.config).toEqual({ template: 'Hi' });
  });
});
