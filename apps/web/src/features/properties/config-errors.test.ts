import { createDefaultRegistry, validateFlow, type FlowDocument } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { nodeChoices } from './reference-choices';
import { configErrorsOf } from './config-errors';

const registry = createDefaultRegistry();

function bpmnFlow(nodes: FlowDocument['nodes']): FlowDocument {
  return { schemaVersion: 1, id: 'errors', name: 'Errors', kind: 'bpmn', state: { channels: [] }, nodes, edges: [] };
}

describe('configErrorsOf', () => {
  it('puts a node\'s config issues on the key their path names, in the language validated in', () => {
    const flow = bpmnFlow([
      { id: 'review', type: 'bpmn.userTask', position: { x: 0, y: 0 }, config: { formFields: [{ id: 'amount', label: 'Amount', type: 'number' }], priority: 500 } },
      { id: 'other', type: 'bpmn.userTask', position: { x: 0, y: 100 }, config: { priority: -1 } },
    ]);
    const errors = configErrorsOf(validateFlow(flow, { registry, locale: 'en' }), 'review');
    expect(Object.keys(errors).sort()).toEqual(['formFields', 'priority']);
    expect(errors.formFields).toMatch(/id/);
    const chinese = configErrorsOf(validateFlow(flow, { registry, locale: 'zh-CN' }), 'review');
    expect(chinese.priority).not.toEqual(errors.priority);
  });
});

describe('nodeChoices', () => {
  const flow = bpmnFlow([
    { id: 'work', type: 'bpmn.userTask', name: 'Review', position: { x: 0, y: 0 }, config: {} },
    { id: 'gate', type: 'bpmn.exclusiveGateway', position: { x: 200, y: 0 }, config: {} },
    { id: 'note', type: 'bpmn.textAnnotation', position: { x: 0, y: 200 }, config: { text: 'why' } },
    { id: 'late', type: 'bpmn.boundaryEvent', position: { x: 40, y: 40 }, config: { attachedTo: 'work', eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT1H' } } },
  ]);

  it('offers a boundary event only activities to sit on', () => {
    expect(nodeChoices(flow, registry, 'late')).toEqual([{ value: 'work', label: 'Review (work)' }]);
  });

  it('offers a note every other element, and other nodes the flow\'s nodes but artifacts', () => {
    expect(nodeChoices(flow, registry, 'note').map((choice) => choice.value)).toEqual(['work', 'gate', 'late']);
    expect(nodeChoices(flow, registry, 'gate').map((choice) => choice.value)).toEqual(['work', 'late']);
  });
});
