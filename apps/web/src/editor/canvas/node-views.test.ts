import { createDefaultRegistry, defineNodeType, type NodeType } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { notationElements } from './notation-elements';
import { containerDepthOf, decodeView, defaultSizeOf, encodeView, hasAnchors, logicFlowTypeOf, nodeViewOf, type NodeView } from './node-views';

const registry = createDefaultRegistry();

function typeOf(id: string): NodeType {
  const nodeType = registry.get(id);
  if (!nodeType) throw new Error(`no node type ${id}`);
  return nodeType;
}

/** The view a node of this type gets, with its default config or the one given. */
const viewOf = (id: string, config?: unknown): NodeView => nodeViewOf(typeOf(id), config ?? typeOf(id).defaults);

/** A type the default registry does not have, as a plugin or a later issue would add it. */
function newType(spec: { type: string; kind: 'agent' | 'bpmn'; category: string; element?: string; role?: NodeType['role'] }): NodeType {
  return defineNodeType({
    type: spec.type,
    kind: spec.kind,
    category: spec.category,
    version: 1,
    title: { en: spec.type, 'zh-CN': spec.type },
    description: { en: '', 'zh-CN': '' },
    role: spec.role ?? 'step',
    branching: 'all',
    inputs: [],
    outputs: [],
    ...(spec.element ? { bpmn: { element: spec.element } } : {}),
    configSchema: z.strictObject({}),
    defaults: {},
  });
}

describe('nodeViewOf', () => {
  it('gives every registered type a view that a registered LogicFlow type draws, with a size', () => {
    const drawn = new Set(notationElements.map((element) => element.type));
    for (const nodeType of registry.list()) {
      const view = nodeViewOf(nodeType, nodeType.defaults);
      expect(drawn.has(logicFlowTypeOf(view.kind)), nodeType.type).toBe(true);
      const size = defaultSizeOf(view);
      expect(size.width, nodeType.type).toBeGreaterThan(0);
      expect(size.height, nodeType.type).toBeGreaterThan(0);
    }
  });

  it('draws every agent step as a card with an icon of its own, coloured by its category, and a note as a text annotation', () => {
    expect(viewOf('agent.note')).toEqual({ kind: 'annotation' });
    const agents = registry.list('agent').filter((nodeType) => nodeType.role !== 'artifact');
    const views = agents.map((nodeType) => nodeViewOf(nodeType, nodeType.defaults));
    expect(views.every((view) => view.kind === 'card')).toBe(true);
    expect(new Set(views.map((view) => view.kind === 'card' && view.icon)).size).toBe(agents.length);
    const colorOf = (type: string) => {
      const view = viewOf(type);
      return view.kind === 'card' ? view.color : undefined;
    };
    expect(colorOf('agent.llm')).toBe(colorOf('agent.router'));
    expect(colorOf('agent.llm')).not.toBe(colorOf('agent.code'));
  });

  it('puts a summary of the config on agent cards', () => {
    expect(viewOf('agent.llm')).toMatchObject({ kind: 'card', summary: 'gpt-4o-mini' });
    expect(viewOf('agent.http', { method: 'POST', url: 'https://api.example.com/orders' })).toMatchObject({ summary: 'POST https://api.example.com/orders' });
    expect(viewOf('agent.start')).not.toHaveProperty('summary');
  });

  it.each([
    ['bpmn.startEvent', { eventDefinition: { type: 'none' } }, { position: 'start', throwing: false }],
    ['bpmn.startEvent', { eventDefinition: { type: 'timer', timerType: 'cycle', value: 'R/PT1H' } }, { position: 'start', marker: 'timer' }],
    ['bpmn.startEvent', { eventDefinition: { type: 'message', messageName: 'order' } }, { position: 'start', marker: 'message', throwing: false }],
    ['bpmn.endEvent', { eventDefinition: { type: 'terminate' } }, { position: 'end', marker: 'terminate', throwing: true }],
    ['bpmn.endEvent', { eventDefinition: { type: 'error', errorCode: 'E1' } }, { position: 'end', marker: 'error', throwing: true }],
    ['bpmn.intermediateCatchEvent', { eventDefinition: { type: 'signal', signalName: 's' } }, { position: 'intermediate', marker: 'signal', throwing: false }],
    ['bpmn.intermediateThrowEvent', { eventDefinition: { type: 'message', messageName: 'm' } }, { position: 'intermediate', marker: 'message', throwing: true }],
    ['bpmn.boundaryEvent', { attachedTo: 't', eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT1H' } }, { position: 'boundary', marker: 'timer', interrupting: true }],
    ['bpmn.boundaryEvent', { attachedTo: 't', cancelActivity: false, eventDefinition: { type: 'message', messageName: 'm' } }, { position: 'boundary', interrupting: false }],
  ])('draws %s with %j as an event %j', (type, config, expected) => {
    expect(viewOf(type, config)).toMatchObject({ kind: 'event', ...expected });
  });

  it('leaves the none event unmarked', () => {
    expect(viewOf('bpmn.startEvent', { eventDefinition: { type: 'none' } })).not.toHaveProperty('marker');
  });

  it.each([
    ['bpmn.task', undefined],
    ['bpmn.userTask', 'user'],
    ['bpmn.serviceTask', 'service'],
    ['bpmn.scriptTask', 'script'],
    ['bpmn.sendTask', 'send'],
    ['bpmn.receiveTask', 'receive'],
    ['bpmn.manualTask', 'manual'],
    ['bpmn.businessRuleTask', 'businessRule'],
  ])('marks %s with the %s marker', (type, marker) => {
    const view = viewOf(type);
    expect(view).toMatchObject({ kind: 'activity', call: false });
    expect(view.kind === 'activity' ? view.marker : 'not an activity').toBe(marker);
  });

  it('draws a call activity with a thick border and sub-processes expanded or collapsed', () => {
    expect(viewOf('bpmn.callActivity')).toMatchObject({ kind: 'activity', call: true });
    expect(viewOf('bpmn.subProcess', { isExpanded: true })).toMatchObject({ kind: 'activity', subProcess: 'expanded' });
    expect(viewOf('bpmn.subProcess', { isExpanded: false })).toMatchObject({ kind: 'activity', subProcess: 'collapsed' });
    expect(viewOf('bpmn.subProcess', { triggeredByEvent: true })).toMatchObject({ triggeredByEvent: true });
  });

  it('shows loop and multi-instance markers from the config', () => {
    expect(viewOf('bpmn.userTask', { loop: { type: 'standard' } })).toMatchObject({ loop: 'loop' });
    expect(viewOf('bpmn.userTask', { loop: { type: 'multiInstance', sequential: false } })).toMatchObject({ loop: 'parallelInstances' });
    expect(viewOf('bpmn.serviceTask', { loop: { type: 'multiInstance', sequential: true } })).toMatchObject({ loop: 'sequentialInstances' });
  });

  it.each([
    ['bpmn.exclusiveGateway', 'exclusive'],
    ['bpmn.parallelGateway', 'parallel'],
    ['bpmn.inclusiveGateway', 'inclusive'],
    ['bpmn.eventBasedGateway', 'eventBased'],
  ])('marks %s with the %s marker', (type, marker) => {
    expect(viewOf(type)).toEqual({ kind: 'gateway', marker });
  });

  it('draws pools, lanes and artifacts without anchors, pools and lanes behind their content', () => {
    expect(viewOf('bpmn.pool')).toEqual({ kind: 'pool' });
    expect(viewOf('bpmn.lane')).toEqual({ kind: 'lane' });
    expect(viewOf('bpmn.dataObject')).toMatchObject({ kind: 'dataObject' });
    expect(viewOf('bpmn.textAnnotation')).toEqual({ kind: 'annotation' });
    expect(viewOf('bpmn.group')).toEqual({ kind: 'group' });
    for (const type of ['bpmn.pool', 'bpmn.lane', 'bpmn.dataObject', 'bpmn.textAnnotation', 'bpmn.group']) expect(hasAnchors(viewOf(type)), type).toBe(false);
    for (const type of ['bpmn.userTask', 'bpmn.startEvent', 'bpmn.exclusiveGateway', 'agent.llm']) expect(hasAnchors(viewOf(type)), type).toBe(true);
    const depth = (type: string, config?: unknown) => containerDepthOf(viewOf(type, config));
    expect(depth('bpmn.pool')).toBeLessThan(depth('bpmn.lane') ?? 0);
    expect(depth('bpmn.lane')).toBeLessThan(depth('bpmn.subProcess', { isExpanded: true }) ?? 0);
    expect(depth('bpmn.subProcess', { isExpanded: false })).toBeUndefined();
    expect(depth('bpmn.userTask')).toBeUndefined();
  });

  it('draws types it has never seen from what the registry says about them', () => {
    expect(nodeViewOf(newType({ type: 'bpmn.complexGateway', kind: 'bpmn', category: 'gateways', element: 'bpmn:ComplexGateway' }), {})).toEqual({
      kind: 'gateway',
      marker: 'complex',
    });
    expect(nodeViewOf(newType({ type: 'bpmn.adHoc', kind: 'bpmn', category: 'activities', element: 'bpmn:AdHocSubProcess' }), {})).toMatchObject({
      kind: 'activity',
      subProcess: 'expanded',
    });
    expect(nodeViewOf(newType({ type: 'bpmn.dataStore', kind: 'bpmn', category: 'artifacts', element: 'bpmn:DataStoreReference', role: 'artifact' }), {})).toMatchObject({
      kind: 'dataObject',
    });
    expect(nodeViewOf(newType({ type: 'agent.summarize', kind: 'agent', category: 'ai' }), {})).toMatchObject({ kind: 'card', icon: 'sparkles', color: '#6366F1' });
    const custom = nodeViewOf(newType({ type: 'agent.vision', kind: 'agent', category: 'vision' }), {});
    expect(custom).toMatchObject({ kind: 'card', icon: 'box' });
    expect(nodeViewOf(newType({ type: 'agent.ocr', kind: 'agent', category: 'vision' }), {})).toEqual(custom);
  });

  it('draws a node whose type is unknown as a plain card', () => {
    expect(nodeViewOf(undefined, {})).toMatchObject({ kind: 'card', icon: 'box' });
  });
});

describe('encodeView and decodeView', () => {
  it('keep a view as text for LogicFlow and read it back unchanged', () => {
    for (const nodeType of registry.list()) {
      const view = nodeViewOf(nodeType, nodeType.defaults);
      expect(decodeView(encodeView(view)), nodeType.type).toEqual(view);
    }
    expect(encodeView(viewOf('bpmn.userTask'))).toBe(encodeView(viewOf('bpmn.userTask')));
  });

  it('read nothing from text that is not a view', () => {
    expect(decodeView('{"kind":"hexagon"}')).toBeUndefined();
    expect(decodeView('not json')).toBeUndefined();
    expect(decodeView('null')).toBeUndefined();
  });
});
