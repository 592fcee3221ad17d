import { describe, expect, it } from 'vitest';
import type { FlowDocumentInput } from '../flow-document';
import type { IssueCode } from './issue';
import { validateFlow } from './validate-flow';

type NodeInput = FlowDocumentInput['nodes'][number];
type EdgeInput = NonNullable<FlowDocumentInput['edges']>[number];

const at = { x: 0, y: 0 };
const node = (id: string, type: string, config?: Record<string, unknown>, extra: Partial<NodeInput> = {}): NodeInput => ({
  id,
  type,
  position: at,
  ...(config ? { config } : {}),
  ...extra,
});
const edge = (id: string, source: string, target: string, extra: Partial<EdgeInput> = {}): EdgeInput => ({ id, source, target, ...extra });

function agentFlow(nodes: NodeInput[], edges: EdgeInput[], channels: { name: string }[] = []): FlowDocumentInput {
  return { schemaVersion: 1, id: 'test', name: 'Test', kind: 'agent', state: { channels }, nodes, edges };
}
function bpmnFlow(nodes: NodeInput[], edges: EdgeInput[]): FlowDocumentInput {
  return { schemaVersion: 1, id: 'test', name: 'Test', kind: 'bpmn', nodes, edges };
}

const linear = agentFlow(
  [node('start', 'agent.start'), node('greet', 'agent.template', { template: 'Hi {{name}}', output: 'greeting' }), node('end', 'agent.end')],
  [edge('e1', 'start', 'greet'), edge('e2', 'greet', 'end')],
  [{ name: 'name' }, { name: 'greeting' }],
);

const codes = (doc: unknown) => validateFlow(doc).map((issue) => issue.code);
function issue(doc: unknown, code: IssueCode) {
  const found = validateFlow(doc).find((candidate) => candidate.code === code);
  expect(found, `expected a ${code} issue`).toBeDefined();
  return found as NonNullable<typeof found>;
}

describe('validateFlow', () => {
  it('accepts a well-formed flow with no issues', () => {
    expect(validateFlow(linear)).toEqual([]);
  });

  it('reports schema violations with their JSON path and the node at fault', () => {
    const broken = { ...linear, nodes: [...linear.nodes, { id: 'bad', type: 'agent.end', position: { x: 'left', y: 0 } }] };
    const found = issue(broken, 'schema');
    expect(found).toMatchObject({ nodeId: 'bad', path: ['nodes', 3, 'position', 'x'], severity: 'error' });
    expect(found.message).toContain('nodes[3].position.x');
  });

  it('answers anything that is not a flow document with schema issues, not an exception', () => {
    for (const input of [null, 42, 'flow', [], {}, { nodes: {} }]) {
      const issues = validateFlow(input);
      expect(issues.length).toBeGreaterThan(0);
      expect(issues.every((found) => found.code === 'schema')).toBe(true);
    }
  });

  it('reports duplicate ids across nodes and edges', () => {
    const doc = { ...linear, edges: [...(linear.edges ?? []), edge('greet', 'start', 'end')] };
    expect(issue(doc, 'duplicate-id')).toMatchObject({ edgeId: 'greet', path: ['edges', 2, 'id'] });
  });

  it('reports edges to nodes that do not exist', () => {
    const doc = { ...linear, edges: [...(linear.edges ?? []), edge('ghost', 'greet', 'nowhere')] };
    expect(issue(doc, 'edge-missing-node')).toMatchObject({ edgeId: 'ghost', path: ['edges', 2, 'target'] });
  });

  it('requires exactly one start in an agent flow', () => {
    const noStart = agentFlow([node('end', 'agent.end')], []);
    expect(codes(noStart)).toContain('missing-start');
    const twoStarts = agentFlow([node('s1', 'agent.start'), node('s2', 'agent.start'), node('end', 'agent.end')], [edge('a', 's1', 'end'), edge('b', 's2', 'end')]);
    expect(issue(twoStarts, 'multiple-starts').message).toContain('s1, s2');
  });

  it('allows a BPMN process several starts with different triggers, but not two plain ones', () => {
    const messageStart = node('byMail', 'bpmn.startEvent', { eventDefinition: { type: 'message', messageName: 'order' } });
    const doc = (second: NodeInput) =>
      bpmnFlow([node('start', 'bpmn.startEvent'), second, node('end', 'bpmn.endEvent')], [edge('a', 'start', 'end'), edge('b', second.id, 'end')]);
    expect(validateFlow(doc(messageStart))).toEqual([]);
    expect(codes(doc(node('again', 'bpmn.startEvent')))).toContain('multiple-starts');
  });

  it('names nodes that cannot be reached from the start', () => {
    const doc = { ...linear, nodes: [...linear.nodes, node('orphan', 'agent.template', { template: 'x', output: 'greeting' })], edges: [...(linear.edges ?? []), edge('e3', 'orphan', 'end')] };
    expect(issue(doc, 'unreachable-node')).toMatchObject({ nodeId: 'orphan', severity: 'error' });
  });

  it('reports a flow whose end cannot be reached, and one without an end', () => {
    const loop = agentFlow(
      [node('start', 'agent.start'), node('a', 'agent.assign', { assignments: [{ key: 'n', value: 'n + 1' }] }), node('end', 'agent.end')],
      [edge('e1', 'start', 'a'), edge('e2', 'a', 'a')],
      [{ name: 'n' }],
    );
    expect(codes(loop)).toEqual(expect.arrayContaining(['end-unreachable', 'closed-cycle']));
    expect(codes(agentFlow([node('start', 'agent.start')], []))).toContain('missing-end');
  });

  it('refuses connections the port rules forbid: nothing leaves an end, nothing enters a start', () => {
    const doc = { ...linear, edges: [...(linear.edges ?? []), edge('back', 'end', 'start')] };
    const forbidden = validateFlow(doc).filter((found) => found.code === 'port-forbidden');
    expect(forbidden.map((found) => found.path)).toEqual([
      ['edges', 2, 'source'],
      ['edges', 2, 'target'],
    ]);
    expect(forbidden[0]?.message).toBe('Edge "back" leaves node "end" (agent.end), which allows no outgoing connections');
  });

  it('checks ports by name, e.g. a router’s intent ports', () => {
    const router = node('route', 'agent.router', { intents: [{ id: 'refund', description: 'money back' }] });
    const doc = agentFlow(
      [node('start', 'agent.start'), router, node('end', 'agent.end')],
      [edge('e1', 'start', 'route'), edge('e2', 'route', 'end', { sourcePort: 'refund' }), edge('e3', 'route', 'end', { sourcePort: 'shipping' })],
      [{ name: 'question' }, { name: 'intent' }],
    );
    expect(issue(doc, 'unknown-port')).toMatchObject({ edgeId: 'e3', path: ['edges', 2, 'sourcePort'] });
    expect(issue(doc, 'unknown-port').message).toContain('refund, fallback');
  });

  it('reports FEEL conditions and config expressions that do not parse, with the position', () => {
    const doc = { ...linear, edges: [edge('e1', 'start', 'greet'), edge('e2', 'greet', 'end', { condition: 'greeting =' })] };
    expect(issue(doc, 'feel-syntax')).toMatchObject({ edgeId: 'e2', path: ['edges', 1, 'condition'], params: { column: 11 } });
  });

  it('warns of names a FEEL expression of an agent flow reads that no channel declares, naming the element and the name', () => {
    const doc = agentFlow(
      [
        node('start', 'agent.start'),
        node('fan', 'agent.map', { items: 'for x in orders return x.total * rate', node: 'greet', collect: 'greeting' }),
        node('greet', 'agent.template', { template: 'Hi {{name}}', output: 'greeting' }),
        node('end', 'agent.end'),
      ],
      [edge('e1', 'start', 'fan'), edge('e2', 'fan', 'end', { condition: 'count(greeting) > limit and name != null' })],
      [{ name: 'name' }, { name: 'greeting' }, { name: 'orders' }],
    );
    const warnings = validateFlow(doc, { locale: 'en' }).filter((found) => found.code === 'unknown-feel-variable');
    expect(warnings).toEqual([
      expect.objectContaining({ severity: 'warning', nodeId: 'fan', path: ['nodes', 1, 'config', 'items'], params: { owner: 'node', node: 'fan', variable: 'rate' } }),
      expect.objectContaining({ severity: 'warning', edgeId: 'e2', path: ['edges', 1, 'condition'], params: { owner: 'edge', edge: 'e2', variable: 'limit' } }),
    ]);
    expect(warnings[1]?.message).toBe('Edge "e2" has a FEEL expression that reads "limit", which is no state channel of the flow');
    expect(validateFlow(doc, { locale: 'zh-CN' }).find((found) => found.code === 'unknown-feel-variable')?.message).toBe(
      '节点 "fan" 的 FEEL 表达式读取了 "rate"，但它不是流程的状态通道',
    );
  });

  it('leaves the names of BPMN conditions alone: process variables come into being when first written', () => {
    const doc = bpmnFlow(
      [node('start', 'bpmn.startEvent'), node('end', 'bpmn.endEvent')],
      [edge('e1', 'start', 'end', { condition: 'anything > 1' })],
    );
    expect(codes(doc)).not.toContain('unknown-feel-variable');
  });

  it('requires conditions or a default where a condition node branches', () => {
    const doc = agentFlow(
      [node('start', 'agent.start'), node('check', 'agent.condition'), node('end', 'agent.end'), node('end2', 'agent.end')],
      [edge('e1', 'start', 'check'), edge('e2', 'check', 'end'), edge('e3', 'check', 'end2')],
    );
    expect(issue(doc, 'missing-conditions')).toMatchObject({ nodeId: 'check', params: { count: 2 } });
    const fixed = { ...doc, edges: [edge('e1', 'start', 'check'), edge('e2', 'check', 'end', { condition: 'true' }), edge('e3', 'check', 'end2', { isDefault: true })] };
    expect(validateFlow(fixed)).toEqual([]);
  });

  it('reports several defaults and a default that carries a condition', () => {
    const doc = bpmnFlow(
      [node('start', 'bpmn.startEvent'), node('gw', 'bpmn.exclusiveGateway'), node('a', 'bpmn.endEvent'), node('b', 'bpmn.endEvent')],
      [edge('e1', 'start', 'gw'), edge('e2', 'gw', 'a', { isDefault: true, condition: 'x > 1' }), edge('e3', 'gw', 'b', { isDefault: true })],
    );
    expect(codes(doc)).toEqual(expect.arrayContaining(['multiple-defaults', 'default-with-condition']));
  });

  it('reports config that fails the node type’s schema, at the config path', () => {
    const doc = { ...linear, nodes: [linear.nodes[0] as NodeInput, node('greet', 'agent.template', { template: 42, output: 'greeting' }), linear.nodes[2] as NodeInput] };
    expect(issue(doc, 'invalid-config')).toMatchObject({ nodeId: 'greet', path: ['nodes', 1, 'config', 'template'] });
  });

  it('reports unknown node types and nodes of the other kind', () => {
    const doc = { ...linear, nodes: [...linear.nodes, node('mystery', 'agent.teleport'), node('task', 'bpmn.userTask')] };
    expect(codes(doc)).toEqual(expect.arrayContaining(['unknown-node-type', 'node-kind-mismatch']));
  });

  it('words the kinds of a misplaced node whole, with the right article, in both languages', () => {
    const doc = { ...linear, nodes: [...linear.nodes, node('task', 'bpmn.userTask')] };
    expect(issue(doc, 'node-kind-mismatch').message).toBe('Node "task" of type "bpmn.userTask" belongs in a BPMN process, not in this agent flow');
    const mismatch = validateFlow({ ...doc, kind: 'bpmn', nodes: [node('llm', 'agent.llm')], edges: [] }, { locale: 'zh-CN' }).find((found) => found.code === 'node-kind-mismatch');
    expect(mismatch?.message).toBe('节点 "llm"（类型 "agent.llm"）属于智能体流程，不能用在BPMN 流程中');
    const english = validateFlow({ ...doc, kind: 'bpmn', nodes: [node('llm', 'agent.llm')], edges: [] }).find((found) => found.code === 'node-kind-mismatch');
    expect(english?.message).toContain('belongs in an agent flow, not in this BPMN process');
  });

  it('reports state channels that agent nodes write but the flow does not declare', () => {
    const doc = { ...linear, state: { channels: [{ name: 'name' }] } };
    expect(issue(doc, 'unknown-channel')).toMatchObject({ nodeId: 'greet', path: ['nodes', 1, 'config', 'output'] });
  });

  it('reports channels that templates read but the flow does not declare, naming the field', () => {
    const greet = node('greet', 'agent.template', { template: 'Hi {{name}} from {{team.name}}', output: 'greeting' });
    const doc = { ...linear, nodes: [linear.nodes[0] as NodeInput, greet, linear.nodes[2] as NodeInput] };
    const found = validateFlow(doc).filter((each) => each.code === 'unknown-channel');
    expect(found).toEqual([expect.objectContaining({ nodeId: 'greet', path: ['nodes', 1, 'config', 'template'], params: expect.objectContaining({ channel: 'team' }) })]);
    const asked = node('ask', 'agent.human', { prompt: 'Refund {{amount}}?', schema: { type: 'object', properties: { approved: { type: 'boolean' } } } });
    const human = { ...linear, nodes: [linear.nodes[0] as NodeInput, asked, linear.nodes[2] as NodeInput], edges: [edge('e1', 'start', 'ask'), edge('e2', 'ask', 'end')] };
    expect(validateFlow(human).filter((each) => each.code === 'unknown-channel').map((each) => each.params.channel).sort()).toEqual(['amount', 'approved']);
  });

  it('reports a channel a code node declares it writes but the flow does not declare', () => {
    const code = node('compute', 'agent.code', { source: 'return { greeting: "hi" };', writes: ['greeting', 'verdict'] });
    const doc = { ...linear, nodes: [linear.nodes[0] as NodeInput, code, linear.nodes[2] as NodeInput], edges: [edge('e1', 'start', 'compute'), edge('e2', 'compute', 'end')] };
    const found = validateFlow(doc).filter((each) => each.code === 'unknown-channel');
    expect(found).toEqual([expect.objectContaining({ nodeId: 'compute', path: ['nodes', 1, 'config', 'writes', 1], params: expect.objectContaining({ channel: 'verdict' }) })]);
  });

  it('warns about a cycle with no way out', () => {
    const doc = agentFlow(
      [node('start', 'agent.start'), node('a', 'agent.condition'), node('b', 'agent.condition'), node('end', 'agent.end')],
      [edge('e1', 'start', 'a'), edge('e2', 'a', 'b'), edge('e3', 'b', 'a')],
    );
    expect(issue(doc, 'closed-cycle')).toMatchObject({ severity: 'warning', nodeId: 'a' });
    expect(issue(doc, 'closed-cycle').message).toContain('a → b');
  });

  it('accepts a loop that has an exit', () => {
    const doc = agentFlow(
      [node('start', 'agent.start'), node('inc', 'agent.assign', { assignments: [{ key: 'n', value: 'n + 1' }] }), node('check', 'agent.condition'), node('end', 'agent.end')],
      [edge('e1', 'start', 'inc'), edge('e2', 'inc', 'check'), edge('e3', 'check', 'inc', { condition: 'n < 3' }), edge('e4', 'check', 'end', { isDefault: true })],
      [{ name: 'n' }],
    );
    expect(validateFlow(doc)).toEqual([]);
  });

  it('treats the map node’s worker as reached through the map', () => {
    const doc = agentFlow(
      [
        node('start', 'agent.start'),
        node('each', 'agent.map', { items: 'items', node: 'worker', collect: 'results' }),
        node('worker', 'agent.code', { source: 'return { result: state.item * 2 };' }),
        node('end', 'agent.end'),
      ],
      [edge('e1', 'start', 'each'), edge('e2', 'each', 'end')],
      [{ name: 'items' }, { name: 'results' }],
    );
    expect(validateFlow(doc)).toEqual([]);
    const missing = { ...doc, nodes: doc.nodes.filter((candidate) => candidate.id !== 'worker') };
    expect(issue(missing, 'missing-node-reference')).toMatchObject({ nodeId: 'each', path: ['nodes', 1, 'config', 'node'] });
  });

  it('checks BPMN containment: scopes, boundary hosts, sequence flows across a sub-process', () => {
    const doc = bpmnFlow(
      [
        node('start', 'bpmn.startEvent'),
        node('sub', 'bpmn.subProcess'),
        node('innerStart', 'bpmn.startEvent', undefined, { parent: 'sub' }),
        node('innerTask', 'bpmn.task', undefined, { parent: 'sub' }),
        node('innerEnd', 'bpmn.endEvent', undefined, { parent: 'sub' }),
        node('late', 'bpmn.boundaryEvent', { attachedTo: 'sub', cancelActivity: false, eventDefinition: { type: 'timer', timerType: 'duration', value: 'P1D' } }),
        node('remind', 'bpmn.sendTask', { messageName: 'reminder' }),
        node('remindEnd', 'bpmn.endEvent'),
        node('end', 'bpmn.endEvent'),
      ],
      [
        edge('f1', 'start', 'sub'),
        edge('f2', 'innerStart', 'innerTask'),
        edge('f3', 'innerTask', 'innerEnd'),
        edge('f4', 'sub', 'end'),
        edge('f5', 'late', 'remind'),
        edge('f6', 'remind', 'remindEnd'),
      ],
    );
    expect(validateFlow(doc)).toEqual([]);
    const crossing = { ...doc, edges: [...(doc.edges ?? []), edge('leak', 'innerTask', 'end')] };
    expect(issue(crossing, 'edge-crosses-scope')).toMatchObject({ edgeId: 'leak' });
    const badHost = { ...doc, nodes: doc.nodes.map((candidate) => (candidate.id === 'late' ? { ...candidate, config: { ...candidate.config, attachedTo: 'start' } } : candidate)) };
    expect(issue(badHost, 'invalid-boundary-host')).toMatchObject({ nodeId: 'late' });
  });

  it('checks parents: they must exist, be containers, and not loop', () => {
    const doc = bpmnFlow(
      [node('start', 'bpmn.startEvent', undefined, { parent: 'nowhere' }), node('end', 'bpmn.endEvent', undefined, { parent: 'start' })],
      [edge('f1', 'start', 'end')],
    );
    expect(validateFlow(doc).filter((found) => found.code === 'invalid-parent').map((found) => found.nodeId)).toEqual(['start', 'end']);
    const looping = bpmnFlow(
      [node('p1', 'bpmn.pool', undefined, { parent: 'p2' }), node('p2', 'bpmn.pool', undefined, { parent: 'p1' })],
      [],
    );
    expect(codes(looping)).toContain('parent-cycle');
  });

  it('requires the targets of an event-based gateway to be catch events or receive tasks', () => {
    const doc = bpmnFlow(
      [
        node('start', 'bpmn.startEvent'),
        node('wait', 'bpmn.eventBasedGateway'),
        node('paid', 'bpmn.intermediateCatchEvent', { eventDefinition: { type: 'message', messageName: 'paid' } }),
        node('task', 'bpmn.task'),
        node('end', 'bpmn.endEvent'),
      ],
      [edge('f1', 'start', 'wait'), edge('f2', 'wait', 'paid'), edge('f3', 'wait', 'task'), edge('f4', 'paid', 'end'), edge('f5', 'task', 'end')],
    );
    expect(validateFlow(doc).map((found) => [found.code, found.edgeId])).toEqual([['event-gateway-target', 'f3']]);
  });

  it('enters an event sub-process by its trigger, not by a sequence flow', () => {
    const doc = bpmnFlow(
      [
        node('start', 'bpmn.startEvent'),
        node('end', 'bpmn.endEvent'),
        node('onCancel', 'bpmn.subProcess', { triggeredByEvent: true }),
        node('cancelled', 'bpmn.startEvent', { eventDefinition: { type: 'message', messageName: 'cancel' } }, { parent: 'onCancel' }),
        node('cleanUp', 'bpmn.task', undefined, { parent: 'onCancel' }),
        node('cancelEnd', 'bpmn.endEvent', undefined, { parent: 'onCancel' }),
      ],
      [edge('f1', 'start', 'end'), edge('f2', 'cancelled', 'cleanUp'), edge('f3', 'cleanUp', 'cancelEnd')],
    );
    expect(validateFlow(doc)).toEqual([]);
  });

  it('blames a parent cycle only on the containers in it, not on what they contain', () => {
    const doc = bpmnFlow(
      [
        node('pool', 'bpmn.pool'),
        node('laneA', 'bpmn.lane', undefined, { parent: 'laneB' }),
        node('laneB', 'bpmn.lane', undefined, { parent: 'laneA' }),
        node('start', 'bpmn.startEvent', undefined, { parent: 'laneA' }),
        node('end', 'bpmn.endEvent', undefined, { parent: 'laneA' }),
      ],
      [edge('f1', 'start', 'end')],
    );
    expect(validateFlow(doc).map((found) => [found.code, found.nodeId])).toEqual([
      ['parent-cycle', 'laneA'],
      ['parent-cycle', 'laneB'],
    ]);
  });

  it('reports a malformed node once, without blaming its edges or what lies behind it', () => {
    const doc = { ...linear, nodes: [linear.nodes[0], { ...linear.nodes[1], position: { x: 'left', y: 0 } }, linear.nodes[2]] };
    expect(codes(doc)).toEqual(['schema']);
  });

  it('names a flow node left outside the pools instead of asking the top level for a start', () => {
    const inPool = (id: string, type: string): NodeInput => ({ ...node(id, type), parent: 'pool' });
    const doc = bpmnFlow(
      [node('pool', 'bpmn.pool'), inPool('start', 'bpmn.startEvent'), inPool('end', 'bpmn.endEvent'), node('stray', 'bpmn.userTask')],
      [edge('a', 'start', 'end')],
    );
    expect(validateFlow(doc)).toEqual([expect.objectContaining({ code: 'node-outside-pool', nodeId: 'stray', params: { node: 'stray' } })]);
    expect(validateFlow(doc, { locale: 'zh-CN' })[0]?.message).toBe('节点 "stray" 不在任何池中；图中有池时，每个流程节点都必须位于某个池内');
  });

  it('asks for a start even before anything is drawn', () => {
    expect(codes(agentFlow([], []))).toEqual(['missing-start']);
  });

  it('warns about a node whose only way on is not a sequence flow', () => {
    const doc = agentFlow(
      [node('start', 'agent.start'), node('each', 'agent.map', { items: 'items', node: 'worker', collect: 'results' }), node('worker', 'agent.code', { source: 'return {};' })],
      [edge('e1', 'start', 'each')],
      [{ name: 'items' }, { name: 'results' }],
    );
    expect(validateFlow(doc).filter((found) => found.code === 'dead-end').map((found) => found.nodeId)).toEqual(['each']);
  });

  it('speaks Simplified Chinese when asked', () => {
    const doc = { ...linear, edges: [...(linear.edges ?? []), edge('back', 'end', 'start')] };
    const [first] = validateFlow(doc, { locale: 'zh-CN' });
    expect(first?.message).toBe('连线 "back" 离开节点 "end"（agent.end），该节点不允许出连线');
    expect(validateFlow({}, { locale: 'zh-CN' })[0]?.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
