// The registry says, per node type, whether code generation writes it out or refuses it; this
// package holds the generators. Both must agree for every registered type, so a new type cannot
// be added without deciding, and a refusal reads in both languages and names the node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDefaultRegistry, locales, toolKindsRefusedInCode } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { CodegenRefusedError, generateProject, generators } from './index';
import { runtimeDependencies, toolDependencies } from './versions';

const registry = createDefaultRegistry();
const at = { x: 0, y: 0 };

const bpmnFlow = (nodes: readonly Record<string, unknown>[], edges: readonly Record<string, unknown>[]) => ({ schemaVersion: 1, id: 'process', name: 'Process', kind: 'bpmn', state: { channels: [] }, nodes, edges });

describe('the codegen entry of every node type', () => {
  it.each(registry.list().map((nodeType) => [nodeType.type, nodeType] as const))('%s has one, and a generator exactly when it generates', (_type, nodeType) => {
    expect(nodeType.codegen, 'a codegen entry in the registry').toBeDefined();
    if (nodeType.codegen && 'refused' in nodeType.codegen) {
      for (const locale of locales) expect(nodeType.codegen.refused[locale].length).toBeGreaterThan(10);
      expect(generators[nodeType.type]).toBeUndefined();
    } else {
      expect(generators[nodeType.type]).toBeTypeOf('function');
    }
  });

  it('has no generator for a type the registry does not know', () => {
    expect(Object.keys(generators).filter((type) => !registry.has(type))).toEqual([]);
  });

  it('refuses a flow with a refused type, naming the node and the registry’s reason', async () => {
    const flow = {
      schemaVersion: 1,
      id: 'fetch',
      name: 'Fetch',
      kind: 'agent',
      state: { channels: [{ name: 'response', type: 'object' }] },
      nodes: [
        { id: 'start', type: 'agent.start', position: at },
        { id: 'get-rate', type: 'agent.mcp', position: at, config: { server: { transport: 'registered', name: 'rates' }, tool: 'rate', output: 'response' } },
        { id: 'end', type: 'agent.end', position: at },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'get-rate' },
        { id: 'e2', source: 'get-rate', target: 'end' },
      ],
    };
    const failure = await generateProject(flow).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CodegenRefusedError);
    const reason = registry.get('agent.mcp')?.codegen;
    expect(reason && 'refused' in reason).toBe(true);
    expect((failure as Error).message).toBe(`node "get-rate" cannot be written out as code: ${reason && 'refused' in reason ? reason.refused.en : ''}`);
  });

  it('refuses a config its type allows but code cannot match, naming the node', async () => {
    const flow = {
      schemaVersion: 1,
      id: 'stop',
      name: 'Stop',
      kind: 'bpmn',
      state: { channels: [] },
      nodes: [
        { id: 'begin', type: 'bpmn.startEvent', position: at, size: { width: 36, height: 36 } },
        { id: 'stop-all', type: 'bpmn.endEvent', position: at, size: { width: 36, height: 36 }, config: { eventDefinition: { type: 'terminate' } } },
      ],
      edges: [{ id: 'f1', source: 'begin', target: 'stop-all' }],
    };
    await expect(generateProject(flow)).rejects.toThrow(/^node "stop-all" cannot be written out as code: a terminate end event/);
  });

  it.each(['bpmn.endEvent', 'bpmn.intermediateThrowEvent'])('writes an escalation nothing catches on a %s as doing nothing, and refuses one a sub-process catches', async (type) => {
    const escalate = { id: 'escalate', type, position: at, config: { eventDefinition: { type: 'escalation', escalationCode: 'LATE' } } };
    const after = type === 'bpmn.endEvent' ? [] : [{ id: 'finish', type: 'bpmn.endEvent', position: at }];
    const afterEdges = (from: string) => (type === 'bpmn.endEvent' ? [] : [{ id: `${from}-finish`, source: 'escalate', target: 'finish' }]);
    const uncaught = bpmnFlow([{ id: 'begin', type: 'bpmn.startEvent', position: at }, escalate, ...after], [{ id: 'f1', source: 'begin', target: 'escalate' }, ...afterEdges('f2')]);
    expect((await generateProject(uncaught))['src/nodes.ts']).toMatch(/export function escalate\(state: State\): Update \{\s*return \{\};/);
    const caught = bpmnFlow(
      [
        { id: 'begin', type: 'bpmn.startEvent', position: at },
        { id: 'work', type: 'bpmn.subProcess', position: at, size: { width: 400, height: 200 } },
        { id: 'inner-start', type: 'bpmn.startEvent', position: at, parent: 'work' },
        { ...escalate, parent: 'work' },
        ...after.map((node) => ({ ...node, parent: 'work' })),
        { id: 'late', type: 'bpmn.boundaryEvent', position: at, config: { attachedTo: 'work', cancelActivity: true, eventDefinition: { type: 'escalation', escalationCode: 'LATE' } } },
        { id: 'done', type: 'bpmn.endEvent', position: at },
        { id: 'late-end', type: 'bpmn.endEvent', position: at },
      ],
      [
        { id: 'f1', source: 'begin', target: 'work' },
        { id: 'f2', source: 'inner-start', target: 'escalate' },
        ...afterEdges('f3'),
        { id: 'f4', source: 'work', target: 'done' },
        { id: 'f5', source: 'late', target: 'late-end' },
      ],
    );
    await expect(generateProject(caught)).rejects.toThrow(/^node "work" cannot be written out as code: its escalation boundary event "late"/);
  });

  describe('a user task with boundary events', () => {
    const withTimer = (timer: Record<string, unknown>, condition?: string) =>
      bpmnFlow(
        [
          { id: 'begin', type: 'bpmn.startEvent', position: at },
          { id: 'review', type: 'bpmn.userTask', position: at, config: { formFields: [{ key: 'ok', label: 'OK', type: 'boolean', required: true }] } },
          { id: 'late', type: 'bpmn.boundaryEvent', position: at, config: { attachedTo: 'review', cancelActivity: true, eventDefinition: { type: 'timer', ...timer } } },
          { id: 'finish', type: 'bpmn.endEvent', position: at },
          { id: 'late-end', type: 'bpmn.endEvent', position: at },
        ],
        [
          { id: 'f1', source: 'begin', target: 'review' },
          { id: 'f2', source: 'review', target: 'finish', ...(condition ? { condition } : {}) },
          { id: 'f3', source: 'late', target: 'late-end' },
        ],
      );

    it('leaves by Commands only: to the boundary event when it came, else where its flow leads', async () => {
      const nodes = (await generateProject(withTimer({ timerType: 'duration', value: 'PT1H' })))['src/nodes.ts'] ?? '';
      expect(nodes).toMatch(/export function review\(state: State\): Command \{/);
      expect(nodes).toMatch(/boundaryEvents: \[\{ kind: 'timer', nodeId: 'late', timerType: 'duration', timer: 'PT1H' \}\]/);
      expect(nodes).toMatch(/if \(answer\.firedEvent === 'late'\)\s+return new Command\(\{ goto: 'late'/);
      expect(nodes).toMatch(/return new Command\(\{ goto: 'finish', update: channelUpdate\(answer\) \}\);/);
    });

    it('is refused, naming it, when a condition decides where it goes', async () => {
      await expect(generateProject(withTimer({ timerType: 'duration', value: 'PT1H' }, 'true'))).rejects.toThrow(/^node "review" cannot be written out as code: with boundary events, its outgoing sequence flows must be plain ones/);
    });

    it('is refused, naming it, for a cycle timer, which needs a scheduler', async () => {
      await expect(generateProject(withTimer({ timerType: 'cycle', value: 'R3/PT1H' }))).rejects.toThrow(/^node "review" cannot be written out as code: the cycle timer of "late" repeats/);
    });
  });

  it('writes a receive task with a boundary timer as one events wait, and refuses boundary timers on a service task, naming it', async () => {
    const flow = (task: Record<string, unknown>) =>
      bpmnFlow(
        [
          { id: 'begin', type: 'bpmn.startEvent', position: at },
          { id: 'wait', position: at, ...task },
          { id: 'late', type: 'bpmn.boundaryEvent', position: at, config: { attachedTo: 'wait', cancelActivity: true, eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT1H' } } },
          { id: 'finish', type: 'bpmn.endEvent', position: at },
        ],
        [
          { id: 'f1', source: 'begin', target: 'wait' },
          { id: 'f2', source: 'wait', target: 'finish' },
          { id: 'f3', source: 'late', target: 'finish' },
        ],
      );
    const nodes = (await generateProject(flow({ type: 'bpmn.receiveTask', config: { messageName: 'paid' } })))['src/nodes.ts'] ?? '';
    expect(nodes).toMatch(/kind: 'events',\s+nodeId: 'wait',\s+events: \[\s*\{ kind: 'message', nodeId: 'wait', messageName: 'paid' \},\s*\{ kind: 'timer', nodeId: 'late'/);
    const service = flow({ type: 'bpmn.serviceTask', config: { implementation: { kind: 'expression', expression: '1' } } });
    await expect(generateProject(service)).rejects.toThrow(/^node "wait" cannot be written out as code: its boundary events \("late"\) do not run in Loomflow either/);
  });

  it('refuses a business rule task that names another engine’s DMN decision, but writes one with its own rules', async () => {
    const flow = (config: Record<string, unknown>) => ({
      schemaVersion: 1,
      id: 'decide',
      name: 'Decide',
      kind: 'bpmn',
      state: { channels: [{ name: 'amount', type: 'number' }, { name: 'risk', type: 'string' }] },
      nodes: [
        { id: 'begin', type: 'bpmn.startEvent', position: at, size: { width: 36, height: 36 } },
        { id: 'rate', type: 'bpmn.businessRuleTask', position: at, size: { width: 100, height: 80 }, config: { resultVariable: 'risk', ...config } },
        { id: 'finish', type: 'bpmn.endEvent', position: at, size: { width: 36, height: 36 } },
      ],
      edges: [
        { id: 'f1', source: 'begin', target: 'rate' },
        { id: 'f2', source: 'rate', target: 'finish' },
      ],
    });
    await expect(generateProject(flow({ decisionRef: 'risk-level' }))).rejects.toThrow(/^node "rate" cannot be written out as code: it names the DMN decision "risk-level"/);
    const files = await generateProject(flow({ decision: { hitPolicy: 'first', rules: [{ condition: 'amount > 5000', output: '"high"' }], default: '"low"' } }));
    expect(files['src/nodes.ts']).toMatch(/amount > 5000/);
  });

  describe('loop markers', () => {
    const looping = (task: Record<string, unknown>, loop: Record<string, unknown>) =>
      bpmnFlow(
        [
          { id: 'begin', type: 'bpmn.startEvent', position: at },
          { id: 'each', position: at, ...task, config: { ...(task.config as object), loop } },
          { id: 'finish', type: 'bpmn.endEvent', position: at },
        ],
        [
          { id: 'f1', source: 'begin', target: 'each' },
          { id: 'f2', source: 'each', target: 'finish' },
        ],
      );
    const userTask = { type: 'bpmn.userTask', config: { assignee: '=reviewer', formFields: [{ key: 'ok', label: 'OK', type: 'boolean', required: true }] } };
    const refusal = async (flow: unknown) => (await generateProject(flow).catch((error: unknown) => error)) as CodegenRefusedError;

    it('writes a multi-instance user task as one instance function, with the instances started, run and gathered around it', async () => {
      const files = await generateProject(looping(userTask, { type: 'multiInstance', sequential: false, cardinality: '3', elementVariable: 'reviewer', completionCondition: 'numberOfCompletedInstances >= 2' }));
      const nodes = files['src/nodes.ts'] ?? '';
      expect(nodes).toMatch(/export function each\(\s*state: State & Record<string, unknown>,\s*instance: Instance,?\s*\): Record<string, unknown> \| null \{/);
      // The assignee is FEEL over the instance's scope, as `=…` is in Loomflow.
      expect(nodes).toMatch(/assignee: String\(feel<unknown>\('reviewer', state, 'each'\)\)/);
      expect(nodes).toMatch(/export function eachInstances\(state: State\): Command \{[\s\S]*its loop cardinality "3" must give a whole number/);
      expect(files['src/graph.ts']).toMatch(/\.addNode\('each#instance', eachInstance,[\s\S]*\.addEdge\('each#done', 'finish'\)/);
      expect(files['src/graph.ts']).toMatch(/export function instancesClosedBy\(/);
      expect(files['src/main.ts']).toMatch(/instancesClosedBy\(snapshot, first, answer\)/);
      expect(files['README.md']).toMatch(/## People answering in parallel/);
      // In a sequence, the instance itself checks the condition: nothing for the host to close.
      const sequential = await generateProject(looping(userTask, { type: 'multiInstance', sequential: true, cardinality: '3', completionCondition: 'numberOfCompletedInstances >= 2' }));
      expect(sequential['src/graph.ts']).not.toMatch(/instancesClosedBy/);
      expect(sequential['src/nodes.ts']).toMatch(/completed >= task\.count \|\|\s*eachCompletes\(/);
    });

    it.each([
      ['a standard loop', userTask, { type: 'standard', condition: 'false', maxIterations: 2 }, /its standard loop marker is not written out as code yet/, /标准循环/],
      ['a multi-instance service task', { type: 'bpmn.serviceTask', config: { implementation: { kind: 'expression', expression: '1' } } }, { type: 'multiInstance', sequential: false, cardinality: '2' }, /on user tasks only/, /用户任务/],
    ])('refuses %s, naming the node, in English and Chinese', async (_name, task, loop, english, chinese) => {
      const failure = await refusal(looping(task, loop));
      expect(failure).toBeInstanceOf(CodegenRefusedError);
      expect(failure.message).toMatch(/^node "each" cannot be written out as code: /);
      expect(failure.message).toMatch(english);
      expect(failure.localized?.['zh-CN']).toMatch(chinese);
    });

    it('refuses a parallel one with a completion condition inside a sub-process, whose open instances the host does not see', async () => {
      const flow = bpmnFlow(
        [
          { id: 'begin', type: 'bpmn.startEvent', position: at },
          { id: 'inner', type: 'bpmn.subProcess', position: at, size: { width: 400, height: 200 }, config: {} },
          { id: 'inner-start', type: 'bpmn.startEvent', position: at, parent: 'inner' },
          { id: 'each', position: at, parent: 'inner', ...userTask, config: { ...userTask.config, loop: { type: 'multiInstance', sequential: false, cardinality: '2', completionCondition: 'true' } } },
          { id: 'inner-end', type: 'bpmn.endEvent', position: at, parent: 'inner' },
          { id: 'finish', type: 'bpmn.endEvent', position: at },
        ],
        [
          { id: 'f1', source: 'begin', target: 'inner' },
          { id: 'f2', source: 'inner', target: 'finish' },
          { id: 'g1', source: 'inner-start', target: 'each' },
          { id: 'g2', source: 'each', target: 'inner-end' },
        ],
      );
      const failure = await refusal(flow);
      expect(failure).toBeInstanceOf(CodegenRefusedError);
      expect(failure.message).toMatch(/^node "each" cannot be written out as code: a parallel multi-instance with a completion condition is written out only at the top of the process/);
    });
  });

  it('writes a service task’s code as a script task’s, and refuses its MCP tool and stored flow kinds, saying why', async () => {
    const flow = (implementation: Record<string, unknown>) => ({
      schemaVersion: 1,
      id: 'serve',
      name: 'Serve',
      kind: 'bpmn',
      state: { channels: [{ name: 'n', type: 'number' }] },
      nodes: [
        { id: 'begin', type: 'bpmn.startEvent', position: at, size: { width: 36, height: 36 } },
        { id: 'work', type: 'bpmn.serviceTask', position: at, size: { width: 100, height: 80 }, config: { implementation, resultVariable: 'n' } },
        { id: 'finish', type: 'bpmn.endEvent', position: at, size: { width: 36, height: 36 } },
      ],
      edges: [
        { id: 'f1', source: 'begin', target: 'work' },
        { id: 'f2', source: 'work', target: 'finish' },
      ],
    });
    const files = await generateProject(flow({ kind: 'code', source: 'return state.n * 7;' }));
    expect(Object.entries(files).some(([path, text]) => path.startsWith('src/code/') && text.includes('return state.n * 7;'))).toBe(true);
    await expect(generateProject(flow({ kind: 'mcp', server: { transport: 'registered', name: 'crm' }, tool: 'lookup' }))).rejects.toThrow(/^node "work" cannot be written out as code: its MCP server is a setting/);
    await expect(generateProject(flow({ kind: 'flow', flowId: 'double' }))).rejects.toThrow(/^node "work" cannot be written out as code: it runs another stored flow/);
  });
});

describe('sub-flows', () => {
  /** A flow that counts `n` up to 10 in a loop, with a recursion limit of its own. */
  const counter = {
    schemaVersion: 1,
    id: 'counter',
    name: 'Counter',
    recursionLimit: 40,
    kind: 'agent',
    state: { channels: [{ name: 'n', type: 'number', reducer: 'replace', default: 0 }] },
    nodes: [
      { id: 'start', type: 'agent.start', position: at },
      { id: 'step', type: 'agent.assign', position: at, config: { assignments: [{ key: 'n', value: 'n + 1' }] } },
      { id: 'more', type: 'agent.condition', position: at, config: {} },
      { id: 'end', type: 'agent.end', position: at },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'step' },
      { id: 'e2', source: 'step', target: 'more' },
      { id: 'e3', source: 'more', target: 'step', condition: 'n < 10' },
      { id: 'e4', source: 'more', target: 'end', isDefault: true },
    ],
  };
  /** A flow whose one node runs `counter`, passing `n` in and taking `n` back. */
  const caller = {
    ...counter,
    id: 'outer',
    name: 'Outer',
    recursionLimit: undefined,
    nodes: [
      { id: 'start', type: 'agent.start', position: at },
      { id: 'call', type: 'agent.subflow', position: at, config: { flowId: 'counter', inputs: { n: 'n + 1' }, outputs: { n: 'n' } } },
      { id: 'end', type: 'agent.end', position: at },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'call' },
      { id: 'e2', source: 'call', target: 'end' },
    ],
  };

  it('invokes the sub-flow with its own recursion limit, as the runtime does, not the caller’s', async () => {
    const files = await generateProject(caller, { loadFlow: async (flowId) => (flowId === 'counter' ? counter : undefined) });
    const limit = /export const recursionLimit = (\d+);/;
    expect(Number(limit.exec(files['src/flows/counter/graph.ts'] as string)?.[1])).toBe(40);
    expect(Number(limit.exec(files['src/graph.ts'] as string)?.[1])).toBe(1000);
    expect(files['src/nodes.ts']).toMatch(/\{\s*\.\.\.config,\s*recursionLimit: 40,?\s*\}/);
  });
});

describe('the AI nodes', () => {
  const scripted = { provider: 'scripted', replies: [{ text: 'hello' }] };
  const agentFlow = (nodes: Record<string, unknown>[], extraEdges: Record<string, unknown>[] = []) => ({
    schemaVersion: 1,
    id: 'assist',
    name: 'Assist',
    kind: 'agent',
    state: { channels: [{ name: 'question', type: 'string' }, { name: 'intent', type: 'string' }, { name: 'messages', type: 'messages', reducer: 'messages' }] },
    nodes: [{ id: 'start', type: 'agent.start', position: at }, ...nodes, { id: 'end', type: 'agent.end', position: at }],
    edges: [{ id: 'e-start', source: 'start', target: (nodes[0] as { id: string }).id }, ...extraEdges],
  });
  const toolFlow = (tool: Record<string, unknown>) =>
    agentFlow(
      [
        { id: 'assistant', type: 'agent.llm', position: at, config: { model: scripted, output: 'messages', callsTools: true } },
        { id: 'run-tools', type: 'agent.tools', position: at, config: { tools: [tool] } },
      ],
      [
        { id: 'e-out', source: 'assistant', target: 'end', sourcePort: 'out' },
        { id: 'e-tools', source: 'assistant', target: 'run-tools', sourcePort: 'tools' },
        { id: 'e-back', source: 'run-tools', target: 'assistant' },
      ],
    );
  const parameters = { type: 'object', properties: {} };

  it('hands an external service task’s job to src/handlers/<job type>.ts, which fails naming the job type until written', async () => {
    const task = { id: 'charge', type: 'bpmn.serviceTask', position: at, config: { implementation: { kind: 'external', topic: 'payment:charge' }, resultVariable: 'charge' } };
    const flow = {
      schemaVersion: 1,
      id: 'pay',
      name: 'Pay',
      kind: 'bpmn',
      state: { channels: [{ name: 'charge', type: 'object' }] },
      nodes: [{ id: 'start', type: 'bpmn.startEvent', position: at }, task, { id: 'end', type: 'bpmn.endEvent', position: at }],
      edges: [
        { id: 'e1', source: 'start', target: 'charge' },
        { id: 'e2', source: 'charge', target: 'end' },
      ],
    };
    const files = await generateProject(flow);
    expect(files['src/nodes.ts']).toContain("import { handlePaymentCharge } from './handlers/payment-charge.js';");
    expect(files['src/handlers/payment-charge.ts']).toContain('write the handler of job type "payment:charge" in src/handlers/payment-charge.ts');
    expect(files['README.md']).toContain('## Jobs of external service tasks');
  });

  it('gives a retriever’s knowledge base a function in src/retrievers/<base>.ts, which fails naming the base until connected', async () => {
    const flow = {
      schemaVersion: 1,
      id: 'ask-docs',
      name: 'Ask the docs',
      kind: 'agent',
      state: { channels: [{ name: 'question', type: 'string' }, { name: 'documents', type: 'array' }] },
      nodes: [
        { id: 'start', type: 'agent.start', position: at },
        { id: 'retrieve', type: 'agent.retriever', position: at, config: { knowledgeBase: 'hr-policies', query: '{{question}}', topK: 3, output: 'documents' } },
        { id: 'end', type: 'agent.end', position: at },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'retrieve' },
        { id: 'e2', source: 'retrieve', target: 'end' },
      ],
    };
    const files = await generateProject(flow);
    expect(files['src/nodes.ts']).toContain("import { searchHrPolicies } from './retrievers/hr-policies.js';");
    expect(files['src/retrievers/hr-policies.ts']).toContain('connect the knowledge base "hr-policies" to your store in src/retrievers/hr-policies.ts');
    expect(files['README.md']).toContain('## Knowledge bases');
  });

  it('writes an HTTP tool as a call through the project’s guarded src/http.ts, pinning undici and ipaddr.js', async () => {
    const files = await generateProject(toolFlow({ kind: 'http', name: 'rate', description: 'A rate', parameters, url: 'https://example.com/rate/{{currency}}' }));
    expect(files['src/nodes.ts']).toContain("import { callHttpTool } from './http.js';");
    expect(files['src/http.ts']).toContain('not a public address');
    const { dependencies } = JSON.parse(files['package.json'] as string) as { dependencies: Record<string, string> };
    expect(dependencies).toMatchObject({ undici: '7.30.2', 'ipaddr.js': '2.5.0' });
  });

  it.each([
    ['mcp', { kind: 'mcp', server: { transport: 'registered', name: 'crm' } }],
    ['flow', { kind: 'flow', name: 'price', description: 'A price', parameters, flowId: 'pricing' }],
  ] as const)('refuses a %s tool, naming the node and giving the registry’s reason', async (kind, tool) => {
    const failure = await generateProject(toolFlow(tool)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CodegenRefusedError);
    expect((failure as CodegenRefusedError).nodeId).toBe('assistant');
    expect((failure as Error).message).toBe(`node "assistant" cannot be written out as code: ${toolKindsRefusedInCode[kind].en}`);
    expect((failure as CodegenRefusedError).localized).toEqual(toolKindsRefusedInCode[kind]);
    for (const locale of locales) expect(toolKindsRefusedInCode[kind][locale].length).toBeGreaterThan(10);
  });

  it('writes a scripted model as the project’s own chat model, says so in the README, and needs no provider package or key', async () => {
    const files = await generateProject(toolFlow({ kind: 'code', name: 'double', description: 'Doubles n', parameters, source: 'return state.n * 2;' }));
    expect(files['src/scripted-model.ts']).toContain('export class ScriptedChatModel extends BaseChatModel');
    expect(files['src/nodes.ts']).toContain('new ScriptedChatModel([{ text: \'hello\' }])');
    expect(files['README.md']).toMatch(/## Scripted models[\s\S]*To use a real model, replace `new ScriptedChatModel/);
    expect(files['src/code/run-tools-double.js']).toContain('return state.n * 2;');
    expect(Object.keys(JSON.parse(files['package.json'] as string).dependencies)).not.toContain('@langchain/openai');
    expect(files['.env.example']).toBe('# This flow needs no credentials.\n');
  });

  it('writes an intent router on an Anthropic model with ChatAnthropic and pins @langchain/anthropic only', async () => {
    const router = { id: 'classify', type: 'agent.router', position: at, config: { model: { provider: 'anthropic', model: 'claude-sonnet-4-5', credential: 'claude' }, intents: [{ id: 'refund', description: 'Money back' }] } };
    const flow = agentFlow([router], [{ id: 'e-refund', source: 'classify', target: 'end', sourcePort: 'refund' }, { id: 'e-fallback', source: 'classify', target: 'end', sourcePort: 'fallback' }]);
    const files = await generateProject(flow);
    expect(files['src/nodes.ts']).toContain("import { ChatAnthropic } from '@langchain/anthropic';");
    // The answer is the input of a forced tool call, as the runtime asks Anthropic models.
    expect(files['src/nodes.ts']).toContain("tool_choice: { type: 'tool', name: 'answer' }");
    const { dependencies } = JSON.parse(files['package.json'] as string) as { dependencies: Record<string, string> };
    expect(dependencies['@langchain/anthropic']).toBe('1.5.11');
    expect(dependencies).not.toHaveProperty('@langchain/openai');
    expect(files['.env.example']).toContain('CLAUDE_API_KEY=');
  });
});

describe('the pinned versions', () => {
  it('are the versions this workspace runs and tests with', () => {
    const installed = (name: string) => (JSON.parse(readFileSync(join(import.meta.dirname, '../node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    for (const [name, version] of Object.entries({ ...runtimeDependencies, ...toolDependencies })) expect(installed(name), name).toBe(version);
  });
});
