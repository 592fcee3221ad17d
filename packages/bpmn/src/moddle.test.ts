import { describe, expect, it } from 'vitest';
import { bpmnModdle, createElement } from './moddle';

// `createElement` stands in for moddle's `create` on the export's hot path; these pin that an
// element it makes is one moddle would have made, so a bpmn-moddle upgrade that changes how
// elements are built fails here rather than in the XML.
describe('createElement', () => {
  const moddle = bpmnModdle();
  const build = (create: (type: string, properties?: Record<string, unknown>) => ReturnType<typeof createElement>) => {
    const task = create('bpmn:Task', { id: 'task', name: 'Task', 'foo:bar': 'kept', unset: undefined });
    const flow = create('bpmn:SequenceFlow', { id: 'flow', sourceRef: task, targetRef: task, conditionExpression: create('bpmn:FormalExpression', { body: '=a > 1' }) });
    task.outgoing = [flow];
    const boundary = create('bpmn:BoundaryEvent', { id: 'boundary', attachedToRef: task, cancelActivity: false, eventDefinitions: [create('bpmn:TimerEventDefinition')] });
    const config = create('loomflow:Config', { nodeType: 'bpmn.task', typeVersion: 2, body: '{}' });
    const service = create('bpmn:ServiceTask', { id: 'service', extensionElements: create('bpmn:ExtensionElements', { values: [config, create('zeebe:TaskDefinition', { type: 'job' })] }) });
    const process = create('bpmn:Process', { id: 'process', isExecutable: true, flowElements: [task, flow, boundary, service] });
    const shape = create('bpmndi:BPMNShape', { id: 'task_di', bpmnElement: task, bounds: create('dc:Bounds', { x: 1, y: 2, width: 3, height: 4 }) });
    const edge = create('bpmndi:BPMNEdge', { id: 'flow_di', bpmnElement: flow, waypoint: [create('dc:Point', { x: 1, y: 2 }), create('dc:Point', { x: 3, y: 4 })] });
    const diagram = create('bpmndi:BPMNDiagram', { id: 'diagram', plane: create('bpmndi:BPMNPlane', { id: 'plane', bpmnElement: process, planeElement: [shape, edge] }) });
    const definitions = create('bpmn:Definitions', { id: 'definitions', targetNamespace: 'urn:test', rootElements: [process], diagrams: [diagram] });
    definitions.$attrs['xmlns:foo'] = 'urn:foo';
    return { task, flow, boundary, definitions };
  };
  const ours = build(createElement);
  const theirs = build((type, properties) => moddle.create(type, properties));

  it('writes the same XML as elements made by moddle', async () => {
    const [a, b] = await Promise.all([moddle.toXML(ours.definitions, { format: true }), moddle.toXML(theirs.definitions, { format: true })]);
    expect(a.xml).toBe(b.xml);
    expect(a.xml).toContain('foo:bar="kept"');
  });

  it('has moddle’s type, descriptor, attributes and enumerable properties', () => {
    for (const key of ['task', 'flow', 'boundary', 'definitions'] as const) {
      const [element, expected] = [ours[key], theirs[key]];
      expect(element.$type).toBe(expected.$type);
      expect(element.$instanceOf('bpmn:BaseElement')).toBe(true);
      expect(moddle.getElementDescriptor(element)).toBe(moddle.getElementDescriptor(expected));
      expect(element.$attrs).toEqual(expected.$attrs);
      expect(Object.keys(element)).toEqual(Object.keys(expected).filter((name) => name !== '$type'));
    }
    // References are not enumerable, so walks over containment do not follow them.
    expect(Object.keys(ours.flow)).toEqual(['id', 'conditionExpression']);
    expect(ours.boundary.cancelActivity).toBe(false);
  });

  it('refuses an unknown type, as moddle does', () => {
    expect(() => createElement('bpmn:NoSuchThing')).toThrow();
  });
});
