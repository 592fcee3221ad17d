// Multi-instance markers and business rule decisions survive a round trip: whole in the loomflow:
// extension, and, for what Camunda 8 can say, as zeebe: elements a file from Camunda Modeler has.
import { flowDocumentSchema, type FlowDocument } from '@loomflow/graph-schema';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importBpmnXml } from './import-bpmn';
import { exportBpmnXml } from './write-bpmn';

const countersign = (): FlowDocument =>
  flowDocumentSchema.parse(JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../examples/bpmn/countersign.json'), 'utf8')));
const configOf = (flow: FlowDocument, id: string) => flow.nodes.find((node) => node.id === id)?.config as Record<string, unknown>;

describe('multi-instance and decisions in BPMN XML', () => {
  it('writes the marker as Camunda 8 does, and reads back the marker and the decision rules', async () => {
    const flow = countersign();
    const { xml } = await exportBpmnXml(flow);
    expect(xml).toMatch(/<zeebe:loopCharacteristics inputCollection="=approvers" inputElement="approver" outputCollection="approvals" outputElement="=\{approver: approver, approved: approved\}"\s*\/>/);
    expect(xml).toMatch(/<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=approved = false<\/bpmn:completionCondition>/);
    expect(xml).toContain('<zeebe:taskDefinition type="loomflow-decision" />');
    const back = (await importBpmnXml(xml)).flow;
    expect(configOf(back, 'countersign').loop).toEqual(configOf(flow, 'countersign').loop);
    expect(configOf(back, 'decide').decision).toEqual(configOf(flow, 'decide').decision);
  });

  it('reads a marker from the zeebe: elements alone, as Camunda Modeler writes it, cardinality included', async () => {
    const flow = countersign();
    const { xml } = await exportBpmnXml(flow);
    const zeebeOnly = xml.replace(/<loomflow:config[^>]*>[\s\S]*?<\/loomflow:config>/g, '');
    expect(zeebeOnly).not.toContain('loomflow:config');
    expect(configOf((await importBpmnXml(zeebeOnly)).flow, 'countersign').loop).toEqual({
      type: 'multiInstance',
      sequential: false,
      collection: 'approvers',
      elementVariable: 'approver',
      outputCollection: 'approvals',
      outputElement: '{approver: approver, approved: approved}',
      completionCondition: 'approved = false',
    });
    const counted = countersign();
    const node = counted.nodes.find((candidate) => candidate.id === 'countersign');
    if (node) node.config = { ...node.config, loop: { type: 'multiInstance', sequential: true, cardinality: 'count(approvers)' } };
    const countedXml = (await exportBpmnXml(counted)).xml.replace(/<loomflow:config[^>]*>[\s\S]*?<\/loomflow:config>/g, '');
    expect(countedXml).toContain('<bpmn:loopCardinality xsi:type="bpmn:tFormalExpression">=count(approvers)</bpmn:loopCardinality>');
    expect(configOf((await importBpmnXml(countedXml)).flow, 'countersign').loop).toEqual({ type: 'multiInstance', sequential: true, cardinality: 'count(approvers)' });
  });
});

describe('service tasks that Loomflow runs with its own parts', () => {
  const at = { x: 0, y: 0 };
  const flow = (): FlowDocument =>
    flowDocumentSchema.parse({
      schemaVersion: 1,
      id: 'services',
      name: 'Services',
      kind: 'bpmn',
      state: { channels: [{ name: 'n', type: 'number' }, { name: 'result', type: 'any' }] },
      nodes: [
        { id: 'start', type: 'bpmn.startEvent', position: at, size: { width: 36, height: 36 } },
        { id: 'code', type: 'bpmn.serviceTask', position: at, size: { width: 100, height: 80 }, config: { implementation: { kind: 'code', source: 'return state.n + 1;' }, resultVariable: 'n' } },
        {
          id: 'tool',
          type: 'bpmn.serviceTask',
          position: at,
          size: { width: 100, height: 80 },
          config: { implementation: { kind: 'mcp', server: { transport: 'registered', name: 'crm' }, tool: 'lookup', arguments: { id: 'n' } }, resultVariable: 'result' },
        },
        {
          id: 'remote',
          type: 'bpmn.serviceTask',
          position: at,
          size: { width: 100, height: 80 },
          config: { implementation: { kind: 'mcp', server: { transport: 'http', url: 'http://localhost:3001/mcp', allowHosts: ['localhost:3001', '[::1]:3001'] }, tool: 'lookup', arguments: {} } },
        },
        { id: 'sub', type: 'bpmn.serviceTask', position: at, size: { width: 100, height: 80 }, config: { implementation: { kind: 'flow', flowId: 'double', inputs: { n: 'n + 1' }, outputs: { result: 'doubled' } } } },
        { id: 'end', type: 'bpmn.endEvent', position: at, size: { width: 36, height: 36 } },
      ],
      edges: [
        { id: 'f1', source: 'start', target: 'code' },
        { id: 'f2', source: 'code', target: 'tool' },
        { id: 'f3', source: 'tool', target: 'remote' },
        { id: 'f5', source: 'remote', target: 'sub' },
        { id: 'f4', source: 'sub', target: 'end' },
      ],
    });

  it('writes them as Loomflow job types Camunda 8 deploys, and reads them back whole', async () => {
    const { xml } = await exportBpmnXml(flow());
    for (const type of ['loomflow-code', 'loomflow-mcp', 'loomflow-flow']) expect(xml).toContain(`<zeebe:taskDefinition type="${type}" retries="3" />`);
    const back = (await importBpmnXml(xml)).flow;
    for (const id of ['code', 'tool', 'remote', 'sub']) expect(configOf(back, id)).toEqual(configOf(flow(), id));
  });

  it('reads them from the zeebe: elements alone', async () => {
    const zeebeOnly = (await exportBpmnXml(flow())).xml.replace(/<loomflow:config[^>]*>[\s\S]*?<\/loomflow:config>/g, '');
    expect(zeebeOnly).not.toContain('loomflow:config');
    const back = (await importBpmnXml(zeebeOnly)).flow;
    for (const id of ['code', 'tool', 'remote', 'sub']) expect(configOf(back, id).implementation).toEqual(configOf(flow(), id).implementation);
    expect(configOf(back, 'tool').resultVariable).toBe('result');
    // As a person may write the header in Camunda Modeler.
    const edited = zeebeOnly.replace('value="localhost:3001,[::1]:3001"', 'value="localhost:3001, [::1]:3001,"');
    expect(edited).not.toBe(zeebeOnly);
    expect(configOf((await importBpmnXml(edited)).flow, 'remote').implementation).toEqual(configOf(flow(), 'remote').implementation);
  });
});
