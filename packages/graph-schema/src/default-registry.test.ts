import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './default-registry';
import { locales } from './localized';

const agentTypes = [
  'agent.start', 'agent.end', 'agent.llm', 'agent.tools', 'agent.react', 'agent.router', 'agent.condition', 'agent.human',
  'agent.code', 'agent.http', 'agent.template', 'agent.assign', 'agent.retriever', 'agent.subflow', 'agent.map', 'agent.mcp', 'agent.note',
];
const bpmnTypes = [
  'bpmn.startEvent', 'bpmn.endEvent', 'bpmn.intermediateCatchEvent', 'bpmn.intermediateThrowEvent', 'bpmn.boundaryEvent',
  'bpmn.task', 'bpmn.userTask', 'bpmn.serviceTask', 'bpmn.scriptTask', 'bpmn.sendTask', 'bpmn.receiveTask', 'bpmn.manualTask',
  'bpmn.businessRuleTask', 'bpmn.subProcess', 'bpmn.callActivity', 'bpmn.exclusiveGateway', 'bpmn.parallelGateway',
  'bpmn.inclusiveGateway', 'bpmn.eventBasedGateway', 'bpmn.pool', 'bpmn.lane', 'bpmn.dataObject', 'bpmn.textAnnotation', 'bpmn.group',
];

describe('the default registry', () => {
  const registry = createDefaultRegistry();

  it('declares exactly the agent and BPMN node types of the product, each under its kind', () => {
    expect(registry.list('agent').map((nodeType) => nodeType.type)).toEqual(agentTypes);
    expect(registry.list('bpmn').map((nodeType) => nodeType.type)).toEqual(bpmnTypes);
  });

  it.each(registry.list().map((nodeType) => [nodeType.type, nodeType] as const))('%s: defaults satisfy its config schema', (_type, nodeType) => {
    const parsed = nodeType.configSchema.safeParse(nodeType.defaults);
    expect(parsed.error?.issues ?? []).toEqual([]);
    // Output ports and references must be computable for a freshly dropped node.
    expect(() => nodeType.outputPorts(parsed.data)).not.toThrow();
    expect(() => nodeType.references(parsed.data)).not.toThrow();
  });

  it.each(registry.list().map((nodeType) => [nodeType.type, nodeType] as const))('%s: speaks every language and has a titled category', (_type, nodeType) => {
    for (const locale of locales) {
      expect(nodeType.title[locale].length).toBeGreaterThan(0);
      expect(nodeType.description[locale].length).toBeGreaterThan(0);
      expect(registry.categoryTitle(nodeType.category)[locale]).not.toBe(nodeType.category);
    }
  });

  it('maps every BPMN type to a BPMN element and no agent type to one', () => {
    for (const nodeType of registry.list('bpmn')) expect(nodeType.bpmn?.element).toMatch(/^bpmn:[A-Z][A-Za-z]+$/);
    for (const nodeType of registry.list('agent')) expect(nodeType.bpmn).toBeUndefined();
  });

  it('keeps starts without inputs, ends without outputs and artifacts out of the control flow', () => {
    for (const nodeType of registry.list()) {
      const ports = nodeType.outputPorts(nodeType.configSchema.parse(nodeType.defaults));
      if (nodeType.role === 'start' || nodeType.role === 'boundary') expect(nodeType.inputs).toEqual([]);
      if (nodeType.role === 'end') expect(ports).toEqual([]);
      if (nodeType.role === 'artifact') expect([nodeType.inputs, ports]).toEqual([[], []]);
    }
  });

  it('derives a router’s ports from its intents, plus fallback and, when routed, error', () => {
    const router = registry.get('agent.router');
    const config = router?.configSchema.parse({ intents: [{ id: 'refund', description: 'wants money back' }], onError: 'route' });
    expect(router?.outputPorts(config).map((port) => port.id)).toEqual(['refund', 'fallback', 'error']);
  });

  it('fills config defaults, e.g. the code node’s sandbox limits', () => {
    expect(registry.get('agent.code')?.configSchema.parse({ source: 'return {}' })).toMatchObject({
      language: 'javascript',
      timeoutMs: 1000,
      memoryMb: 32,
      join: 'any',
      onError: 'fail',
    });
  });

  it('refuses a second registration of the same type, and registries do not share state', () => {
    const first = createDefaultRegistry();
    const agentStart = first.get('agent.start');
    expect(agentStart).toBeDefined();
    expect(() => first.register(agentStart as NonNullable<typeof agentStart>)).toThrow(/already registered/);
    expect(createDefaultRegistry()).not.toBe(first);
  });

  it('rejects configs that break the fixed contracts other tools rely on', () => {
    const parse = (type: string, config: unknown) => registry.get(type)?.configSchema.safeParse(config).success;
    expect(parse('agent.assign', { assignments: [{ key: 'total', value: 'a + b' }] })).toBe(true);
    expect(parse('agent.assign', { assignments: [] })).toBe(false);
    expect(parse('agent.template', { template: 'Hello {{name}}' })).toBe(false);
    expect(parse('agent.code', { language: 'python', source: 'x' })).toBe(false);
    expect(parse('agent.map', { items: 'list', node: 'w', collect: 'out' })).toBe(true);
    expect(parse('agent.human', { prompt: 'ok?', schema: { type: 'string' } })).toBe(false);
    expect(parse('bpmn.userTask', { formFields: [{ key: 'amount', label: 'Amount', type: 'number' }] })).toBe(true);
    expect(parse('bpmn.startEvent', { eventDefinition: { type: 'terminate' } })).toBe(false);
    expect(parse('bpmn.endEvent', { eventDefinition: { type: 'terminate' } })).toBe(true);
    expect(parse('bpmn.intermediateCatchEvent', { eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT15M' } })).toBe(true);
    expect(parse('bpmn.intermediateCatchEvent', { eventDefinition: { type: 'timer', timerType: 'duration', value: '15 minutes' } })).toBe(false);
    expect(parse('bpmn.boundaryEvent', { attachedTo: 't', cancelActivity: false, eventDefinition: { type: 'error' } })).toBe(false);
  });

  it('says where each type that runs another flow names it, so a copy can point it elsewhere', () => {
    const registry = createDefaultRegistry();
    const invoking = registry.list().filter((nodeType) => nodeType.traits.invokesFlow);
    expect(invoking.map((nodeType) => nodeType.type).sort()).toEqual(['agent.subflow', 'bpmn.callActivity', 'bpmn.serviceTask']);
    // A service task runs a flow only as its `flow` kind, and names none as any other.
    const service = registry.get('bpmn.serviceTask');
    expect(service?.traits.invokesFlow?.(service.configSchema.parse(service.defaults))).toBeUndefined();
    for (const nodeType of invoking) {
      // Each type's own key for the flow it runs: whichever one its schema takes.
      const parsed = [{ flowId: 'other-flow' }, { calledElement: 'other-flow' }, { implementation: { kind: 'flow', flowId: 'other-flow' } }]
        .map((named) => nodeType.configSchema.safeParse({ ...(nodeType.defaults as object), ...named }))
        .find((result) => result.success);
      const config = parsed?.data as Record<string, unknown>;
      const invoked = nodeType.traits.invokesFlow?.(config);
      expect(invoked?.flowId, nodeType.type).toBe('other-flow');
      const named = invoked?.path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], config);
      expect(named, nodeType.type).toBe('other-flow');
    }
  });
});
