// The registry says, per node type, whether code generation writes it out or refuses it; this
// package holds the generators. Both must agree for every registered type, so a new type cannot
// be added without deciding, and a refusal reads in both languages and names the node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDefaultRegistry, locales } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { CodegenRefusedError, generateProject, generators } from './index';
import { runtimeDependencies, toolDependencies } from './versions';

const registry = createDefaultRegistry();
const at = { x: 0, y: 0 };

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
        { id: 'get-rate', type: 'agent.http', position: at, config: { url: 'https://example.com/rate', output: 'response' } },
        { id: 'end', type: 'agent.end', position: at },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'get-rate' },
        { id: 'e2', source: 'get-rate', target: 'end' },
      ],
    };
    const failure = await generateProject(flow).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CodegenRefusedError);
    const reason = registry.get('agent.http')?.codegen;
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

  it.each(['bpmn.endEvent', 'bpmn.intermediateThrowEvent'])('refuses an escalation on a %s, naming the node', async (type) => {
    const flow = {
      schemaVersion: 1,
      id: 'escalate',
      name: 'Escalate',
      kind: 'bpmn',
      state: { channels: [] },
      nodes: [
        { id: 'begin', type: 'bpmn.startEvent', position: at },
        { id: 'escalate', type, position: at, config: { eventDefinition: { type: 'escalation', escalationCode: 'LATE' } } },
        ...(type === 'bpmn.endEvent' ? [] : [{ id: 'finish', type: 'bpmn.endEvent', position: at }]),
      ],
      edges: [{ id: 'f1', source: 'begin', target: 'escalate' }, ...(type === 'bpmn.endEvent' ? [] : [{ id: 'f2', source: 'escalate', target: 'finish' }])],
    };
    await expect(generateProject(flow)).rejects.toThrow(/^node "escalate" cannot be written out as code: an escalation goes to a boundary event/);
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

describe('the pinned versions', () => {
  it('are the versions this workspace runs and tests with', () => {
    const installed = (name: string) => (JSON.parse(readFileSync(join(import.meta.dirname, '../node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    for (const [name, version] of Object.entries({ ...runtimeDependencies, ...toolDependencies })) expect(installed(name), name).toBe(version);
  });
});
