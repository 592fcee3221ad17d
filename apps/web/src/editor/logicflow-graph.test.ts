import { createDefaultRegistry, validateFlow, type FlowDocument, type FlowEdge } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { decodeView } from './canvas/node-views';
import { canvasNodeSize, toLogicFlowEdge, toLogicFlowNode, type NodeLookup } from './logicflow-graph';
import { createSampleFlow } from './sample-flow';

const registry = createDefaultRegistry();
const sampleFlow = createSampleFlow((key) => en.sample[key]);
const nodeIn = (flow: FlowDocument): NodeLookup => (id) => flow.nodes.find((node) => node.id === id);

describe('toLogicFlowNode', () => {
  it.each([
    ['bpmn.startEvent', 'loomflow-event'],
    ['bpmn.endEvent', 'loomflow-event'],
    ['bpmn.boundaryEvent', 'loomflow-event'],
    ['bpmn.exclusiveGateway', 'loomflow-gateway'],
    ['bpmn.parallelGateway', 'loomflow-gateway'],
    ['bpmn.userTask', 'loomflow-activity'],
    ['bpmn.pool', 'loomflow-pool'],
    ['agent.start', 'loomflow-card'],
    ['agent.condition', 'loomflow-card'],
    ['agent.llm', 'loomflow-card'],
    ['agent.note', 'loomflow-annotation'],
    ['bpmn.textAnnotation', 'loomflow-annotation'],
  ])('draws %s with the LogicFlow type %s', (type, logicFlowType) => {
    const node = { id: 'n', type, position: { x: 0, y: 0 }, config: {} };
    expect(toLogicFlowNode(node, registry).type).toBe(logicFlowType);
  });

  it('draws a type it does not know as a card', () => {
    const node = { id: 'n', type: 'agent.summarizer', position: { x: 0, y: 0 }, config: {} };
    const drawn = toLogicFlowNode(node, registry);
    expect(drawn.type).toBe('loomflow-card');
    expect(decodeView(String(drawn.properties?.view))).toMatchObject({ kind: 'card', icon: 'box' });
  });

  it('writes a note\'s text on it, in both kinds of flow, and every other node\'s name', () => {
    for (const type of ['agent.note', 'bpmn.textAnnotation']) {
      const note = { id: 'n', type, name: 'unused', position: { x: 0, y: 0 }, config: { text: 'Claims above 5000 EUR' } };
      expect(toLogicFlowNode(note, registry).text).toMatchObject({ value: 'Claims above 5000 EUR' });
    }
    const task = { id: 't', type: 'bpmn.task', name: 'Review', position: { x: 0, y: 0 }, config: {} };
    expect(toLogicFlowNode(task, registry).text).toMatchObject({ value: 'Review' });
  });

  it('puts the text editor of an imported event on its DI label bounds and draws the marker of a trigger kept as XML', () => {
    const node = {
      id: 'n',
      type: 'bpmn.boundaryEvent',
      name: 'Escalated',
      position: { x: 100, y: 100 },
      config: { attachedTo: 't', cancelActivity: true },
      bpmn: { trigger: 'escalation', label: { x: -60, y: 20, width: 40, height: 10 } },
    };
    const drawn = toLogicFlowNode(node, registry);
    expect(drawn.text).toEqual({ value: 'Escalated', x: 60, y: 125 });
    expect(decodeView(String(drawn.properties?.view))).toMatchObject({ kind: 'event', marker: 'escalation', label: node.bpmn.label });
  });

  it('gives the view the markers of the config', () => {
    const node = { id: 'n', type: 'bpmn.startEvent', position: { x: 0, y: 0 }, config: { eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT1H' } } };
    expect(decodeView(String(toLogicFlowNode(node, registry).properties?.view))).toMatchObject({ kind: 'event', position: 'start', marker: 'timer' });
  });
});

describe('the LogicFlow data of a whole document', () => {
  const graph = { nodes: sampleFlow.nodes.map((node) => toLogicFlowNode(node, registry)), edges: sampleFlow.edges.map((edge) => toLogicFlowEdge(edge, registry, nodeIn(sampleFlow))) };

  it('draws every node and edge of the document with the ids of the document', () => {
    expect(graph.nodes.map((node) => node.id)).toEqual(sampleFlow.nodes.map((node) => node.id));
    expect(graph.edges.map((edge) => [edge.id, edge.sourceNodeId, edge.targetNodeId])).toEqual(
      sampleFlow.edges.map((edge) => [edge.id, edge.source, edge.target]),
    );
  });

  it('gives each shape its size and keeps the node type for later lookups', () => {
    const byId = new Map(graph.nodes.map((node) => [node.id, node]));
    expect(byId.get('start')).toMatchObject({ type: 'loomflow-event', x: 80, y: 200, properties: { nodeType: 'bpmn.startEvent', r: 18 } });
    expect(byId.get('submit')).toMatchObject({ type: 'loomflow-activity', text: { value: 'Submit expense', x: 220, y: 200 }, properties: { width: 100, height: 80 } });
    expect(byId.get('check')).toMatchObject({ type: 'loomflow-gateway', properties: { rx: 25, ry: 25 } });
  });

  it('puts the names of small shapes below them', () => {
    const check = graph.nodes.find((node) => node.id === 'check');
    expect(check?.text).toEqual({ value: 'Amount over 1000?', x: 380, y: 200 + 25 + 14 });
  });

  it('sizes nodes without a stored size by their view, as auto-layout sees them', () => {
    const expanded = { id: 'sub', type: 'bpmn.subProcess', position: { x: 0, y: 0 }, config: { isExpanded: true } };
    const collapsed = { ...expanded, config: { isExpanded: false } };
    expect(canvasNodeSize(expanded, registry)).toEqual({ width: 350, height: 200 });
    expect(canvasNodeSize(collapsed, registry)).toEqual({ width: 100, height: 80 });
    expect(toLogicFlowNode(expanded, registry).properties).toMatchObject({ width: 350, height: 200 });
  });

  it('uses the size stored in the document when there is one', () => {
    const task = { id: 'task', type: 'bpmn.userTask', position: { x: 0, y: 0 }, size: { width: 200, height: 90 }, config: {} };
    expect(toLogicFlowNode(task, registry).properties).toMatchObject({ width: 200, height: 90 });
  });
});

describe('toLogicFlowEdge', () => {
  it('marks default flows, which get the slash of BPMN', () => {
    expect(toLogicFlowEdge({ id: 'e', source: 'a', target: 'b', isDefault: true }, registry, () => undefined)).toMatchObject({ properties: { isDefault: true } });
    expect(toLogicFlowEdge({ id: 'e', source: 'a', target: 'b' }, registry, () => undefined)).not.toHaveProperty('properties');
  });

  it('draws an edge through its waypoints, from and to the outlines its BPMN DI starts and ends on', async () => {
    const flow: FlowDocument = {
      schemaVersion: 1,
      id: 'routed',
      name: 'Routed',
      kind: 'bpmn',
      state: { channels: [] },
      nodes: [
        { id: 'split', type: 'bpmn.exclusiveGateway', position: { x: 100, y: 100 }, config: {} },
        { id: 'task', type: 'bpmn.userTask', position: { x: 300, y: 250 }, config: {} },
      ],
      edges: [{ id: 'e', source: 'split', target: 'task', waypoints: [{ x: 160, y: 100 }, { x: 160, y: 250 }] }],
    };
    const edge = toLogicFlowEdge(flow.edges[0] as FlowEdge, registry, nodeIn(flow));
    // The diamond's right corner, the two bends, the task's left side.
    expect(edge.pointsList).toEqual([{ x: 125, y: 100 }, { x: 160, y: 100 }, { x: 160, y: 250 }, { x: 250, y: 250 }]);
    expect(edge).toMatchObject({ startPoint: { x: 125, y: 100 }, endPoint: { x: 250, y: 250 } });
    const { exportBpmnXml } = await import('@loomflow/bpmn');
    const { xml } = await exportBpmnXml(flow, { registry });
    const waypoints = [...xml.matchAll(/<di:waypoint x="([\d.]+)" y="([\d.]+)"/g)].map((match) => ({ x: Number(match[1]), y: Number(match[2]) }));
    expect(waypoints).toEqual(edge.pointsList);
  });

  it('leaves an edge without waypoints to the canvas router', () => {
    expect(toLogicFlowEdge({ id: 'e', source: 'start', target: 'end' }, registry, nodeIn(sampleFlow))).not.toHaveProperty('pointsList');
  });
});

describe('the sample flow', () => {
  it('is a valid flow document in both languages', () => {
    expect(validateFlow(sampleFlow, { registry }).filter((issue) => issue.severity === 'error')).toEqual([]);
  });
});
