import { createDefaultRegistry, validateFlow } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { canvasShapeOf, toLogicFlowGraph } from './logicflow-graph';
import { createSampleFlow } from './sample-flow';

const registry = createDefaultRegistry();
const sampleFlow = createSampleFlow((key) => en.sample[key]);

describe('canvasShapeOf', () => {
  it.each([
    ['bpmn.startEvent', 'circle'],
    ['bpmn.endEvent', 'circle'],
    ['bpmn.boundaryEvent', 'circle'],
    ['agent.start', 'circle'],
    ['bpmn.exclusiveGateway', 'diamond'],
    ['bpmn.parallelGateway', 'diamond'],
    ['agent.condition', 'diamond'],
    ['bpmn.userTask', 'rect'],
    ['agent.llm', 'rect'],
  ])('draws %s as a %s', (type, shape) => {
    expect(canvasShapeOf(registry.get(type))).toBe(shape);
  });

  it('draws a type it does not know as a rectangle', () => {
    expect(canvasShapeOf(undefined)).toBe('rect');
  });
});

describe('toLogicFlowGraph', () => {
  it('draws every node and edge of the document with the ids of the document', () => {
    const graph = toLogicFlowGraph(sampleFlow, registry);
    expect(graph.nodes?.map((node) => node.id)).toEqual(sampleFlow.nodes.map((node) => node.id));
    expect(graph.edges?.map((edge) => [edge.id, edge.sourceNodeId, edge.targetNodeId])).toEqual(
      sampleFlow.edges.map((edge) => [edge.id, edge.source, edge.target]),
    );
  });

  it('gives each shape its size and keeps the node type for later lookups', () => {
    const graph = toLogicFlowGraph(sampleFlow, registry);
    const byId = new Map(graph.nodes?.map((node) => [node.id, node]));
    expect(byId.get('start')).toMatchObject({ type: 'circle', x: 80, y: 200, properties: { nodeType: 'bpmn.startEvent', r: 20 } });
    expect(byId.get('submit')).toMatchObject({ type: 'rect', text: 'Submit expense', properties: { width: 140, height: 64 } });
    expect(byId.get('check')).toMatchObject({ type: 'diamond', properties: { rx: 28, ry: 28 } });
  });

  it('puts the names of small shapes below them', () => {
    const check = toLogicFlowGraph(sampleFlow, registry).nodes?.find((node) => node.id === 'check');
    expect(check?.text).toEqual({ value: 'Amount over 1000?', x: 380, y: 200 + 28 + 14 });
  });

  it('uses the size stored in the document when there is one', () => {
    const task = { id: 'task', type: 'bpmn.userTask', position: { x: 0, y: 0 }, size: { width: 200, height: 90 }, config: {} };
    const flow = { ...sampleFlow, nodes: [task], edges: [] };
    expect(toLogicFlowGraph(flow, registry).nodes?.[0]?.properties).toMatchObject({ width: 200, height: 90 });
  });
});

describe('the sample flow', () => {
  it('is a valid flow document in both languages', () => {
    expect(validateFlow(sampleFlow, { registry }).filter((issue) => issue.severity === 'error')).toEqual([]);
  });
});
