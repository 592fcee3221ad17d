import { createDefaultRegistry, flowDocumentSchema, type FlowDocument } from '@loomflow/graph-schema';
import { BpmnModdle } from 'bpmn-moddle';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { boundsOf } from './geometry';
import { elementsWithSemantics } from './export/semantics';
import { readBpmnXml } from './read-bpmn';
import { importBpmnXml } from './import-bpmn';
import { exportBpmnXml } from './write-bpmn';

// The referees are the real tools: bpmn-moddle's parser, bpmnlint 11 and Camunda's compatibility
// plugin, loaded as Camunda Modeler loads them (bpmnlint resolves rules by package name).
const require = createRequire(import.meta.url);
interface LintReport {
  id?: string;
  message: string;
  category: 'error' | 'warn' | 'info' | 'rule-error';
}
const { Linter } = require('bpmnlint') as { Linter: new (options: { config: unknown; resolver: unknown }) => { lint(root: unknown): Promise<Record<string, LintReport[]>> } };
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver') as new (options: { require: NodeRequire }) => unknown;

async function lint(xml: string, extendsConfig: string): Promise<string[]> {
  // Parsed with the zeebe package, so the Camunda rules see the zeebe: elements as typed.
  const { rootElement } = await new BpmnModdle({ zeebe: zeebeDescriptor }).fromXML(xml);
  const linter = new Linter({ config: { extends: extendsConfig }, resolver: new NodeResolver({ require }) });
  const results = await linter.lint(rootElement);
  return Object.entries(results).flatMap(([rule, reports]) =>
    reports.filter((report) => report.category === 'error' || report.category === 'rule-error').map((report) => `${rule} ${report.id ?? ''}: ${report.message}`),
  );
}

const examples = join(dirname(fileURLToPath(import.meta.url)), '../../../examples/bpmn');
const exampleFiles = readdirSync(examples).filter((file) => file.endsWith('.json'));
const loadExample = (file: string): FlowDocument => flowDocumentSchema.parse(JSON.parse(readFileSync(join(examples, file), 'utf8')));
const registry = createDefaultRegistry();

describe('exportBpmnXml on the examples', () => {
  it('finds the examples', () => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(4);
  });

  it.each(exampleFiles)('%s: exports without warnings and parses back in bpmn-moddle with none', async (file) => {
    const { xml, warnings } = await exportBpmnXml(loadExample(file));
    expect(warnings).toEqual([]);
    expect((await readBpmnXml(xml)).warnings).toEqual([]);
    // Also with the extension packages known, so the zeebe: and loomflow: elements are checked too.
    expect((await new BpmnModdle({ zeebe: zeebeDescriptor }).fromXML(xml)).warnings).toEqual([]);
  });

  // Findings that come from the drawing itself, not from the export: the exporter keeps the
  // topology as drawn (the round-trip test below checks it), so it cannot make these go away.
  const drawnFindings: Readonly<Record<string, readonly string[]>> = {
    // The reminder loop comes back into the event-based gateway, which therefore both joins and
    // forks. BPMN allows it; bpmnlint's style rule asks for a separate merging gateway, which is a
    // change to the example, not to its export.
    'payment-reminder.json': ['no-gateway-join-fork gw-await: Gateway forks and joins'],
  };

  it.each(exampleFiles)('%s: passes bpmnlint recommended with no errors but those of the drawing', async (file) => {
    const { xml } = await exportBpmnXml(loadExample(file));
    expect(await lint(xml, 'bpmnlint:recommended')).toEqual(drawnFindings[file] ?? []);
  });

  it.each(exampleFiles)('%s: passes camunda-compat for Camunda 8.8 with no errors', async (file) => {
    const { xml } = await exportBpmnXml(loadExample(file));
    expect(await lint(xml, 'plugin:camunda-compat/camunda-cloud-8-8')).toEqual([]);
  });

  it.each(exampleFiles)('%s: keeps every node id, type and name, the flow topology and the canvas bounds', async (file) => {
    const flow = loadExample(file);
    const { definitions, elements } = await readBpmnXml((await exportBpmnXml(flow)).xml);
    const typeById = new Map(elements.map((element) => [element.id, element.type]));
    const byId = new Map<string, Record<string, unknown>>();
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object' && '$type' in value) {
        const element = value as Record<string, unknown>;
        if (typeof element.id === 'string') byId.set(element.id, element);
        for (const [key, child] of Object.entries(element)) if (!key.startsWith('$') && !/Ref$|^(incoming|outgoing|default|bpmnElement|sourceRef|targetRef|attachedToRef|flowNodeRef|processRef)$/.test(key)) visit(child);
      }
    };
    visit(definitions);
    for (const node of flow.nodes) {
      const element = registry.get(node.type)?.bpmn?.element as string;
      expect(typeById.get(node.id), node.id).toBe(element);
      if (node.type !== 'bpmn.textAnnotation') expect(byId.get(node.id)?.name, node.id).toBe(node.name);
      const shape = [...byId.values()].find((candidate) => candidate.$type === 'bpmndi:BPMNShape' && (candidate.bpmnElement as { id: string }).id === node.id);
      const { x, y, width, height } = shape?.bounds as Record<string, number>;
      expect({ x, y, width, height }, node.id).toEqual(boundsOf(node, element));
      expect({ width, height }).toEqual(node.size);
    }
    for (const edge of flow.edges) {
      const flowElement = byId.get(edge.id) as { $type: string; sourceRef: { id: string }; targetRef: { id: string }; conditionExpression?: { body: string } };
      expect(flowElement.$type).toMatch(/^bpmn:(SequenceFlow|MessageFlow)$/);
      expect([flowElement.sourceRef.id, flowElement.targetRef.id], edge.id).toEqual([edge.source, edge.target]);
      if (edge.condition && !edge.isDefault) expect(flowElement.conditionExpression?.body).toBe(`=${edge.condition}`);
      const diEdge = [...byId.values()].find((candidate) => candidate.$type === 'bpmndi:BPMNEdge' && (candidate.bpmnElement as { id: string }).id === edge.id);
      expect((diEdge?.waypoint as unknown[]).length).toBe((edge.waypoints?.length ?? 0) + 2);
    }
  });
});

describe('exportBpmnXml on odd input', () => {
  const base = { schemaVersion: 1, id: 'odd', name: 'Odd', kind: 'bpmn', state: { channels: [] } } as const;

  it('warns by node id about a node type with no BPMN element, and about its edges', async () => {
    const flow = flowDocumentSchema.parse({
      ...base,
      nodes: [
        { id: 'start', type: 'bpmn.startEvent', position: { x: 100, y: 100 }, config: {} },
        { id: 'llm', type: 'agent.llm', position: { x: 300, y: 100 }, config: {} },
        { id: 'ghost', type: 'bpmn.teleporter', position: { x: 500, y: 100 }, config: {} },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'llm' }],
    });
    const { xml, warnings } = await exportBpmnXml(flow);
    expect(warnings).toEqual([
      'node llm: type "agent.llm" has no BPMN element; it is not in the XML',
      'node ghost: unknown node type "bpmn.teleporter"; it is not in the XML',
      'edge e1: its target "llm" is not in the XML, so neither is the edge',
    ]);
    expect((await readBpmnXml(xml)).elements.map((element) => element.id)).toContain('start');
  });

  it('writes timers, messages with correlation keys, signals and terminate end events', async () => {
    const flow = flowDocumentSchema.parse({
      ...base,
      nodes: [
        { id: 'start', type: 'bpmn.startEvent', name: 'Hourly', position: { x: 100, y: 100 }, config: { eventDefinition: { type: 'timer', timerType: 'cycle', value: 'R3/PT1H' } } },
        { id: 'wait', type: 'bpmn.intermediateCatchEvent', name: 'Paid', position: { x: 200, y: 100 }, config: { eventDefinition: { type: 'message', messageName: 'paid', correlationKey: 'orderId' } } },
        { id: 'shout', type: 'bpmn.intermediateThrowEvent', name: 'Done', position: { x: 300, y: 100 }, config: { eventDefinition: { type: 'signal', signalName: 'done' } } },
        { id: 'end', type: 'bpmn.endEvent', name: 'Stop all', position: { x: 400, y: 100 }, config: { eventDefinition: { type: 'terminate' } } },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'wait' },
        { id: 'e2', source: 'wait', target: 'shout' },
        { id: 'e3', source: 'shout', target: 'end' },
      ],
    });
    const { xml, warnings } = await exportBpmnXml(flow);
    expect(warnings).toEqual([]);
    expect(xml).toContain('<bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R3/PT1H</bpmn:timeCycle>');
    expect(xml).toMatch(/<bpmn:message id="Message_paid" name="paid">\s*<bpmn:extensionElements>\s*<zeebe:subscription correlationKey="=orderId" \/>/);
    expect(xml).toContain('<bpmn:signal id="Signal_done" name="done" />');
    expect(xml).toContain('<bpmn:terminateEventDefinition');
    expect(await lint(xml, 'bpmnlint:recommended')).toEqual([]);
    expect(await lint(xml, 'plugin:camunda-compat/camunda-cloud-8-8')).toEqual([]);
  });

  it('writes escalation throw and end events and escalation boundaries on a sub-process, one bpmn:escalation per code, and reads them back', async () => {
    const at = (x: number, y: number) => ({ x, y });
    const flow = flowDocumentSchema.parse({
      ...base,
      nodes: [
        { id: 'start', type: 'bpmn.startEvent', name: 'Start', position: at(100, 200), config: {} },
        { id: 'sub', type: 'bpmn.subProcess', name: 'Handle', position: at(400, 200), size: { width: 420, height: 200 }, config: {} },
        { id: 'sub-start', type: 'bpmn.startEvent', name: 'Begin', parent: 'sub', position: at(240, 200), config: {} },
        { id: 'tell', type: 'bpmn.intermediateThrowEvent', name: 'Tell the lead', parent: 'sub', position: at(340, 200), config: { eventDefinition: { type: 'escalation', escalationCode: 'LATE' } } },
        { id: 'give-up', type: 'bpmn.endEvent', name: 'Give up', parent: 'sub', position: at(560, 200), config: { eventDefinition: { type: 'escalation', escalationCode: 'STUCK' } } },
        { id: 'late', type: 'bpmn.boundaryEvent', name: 'Late', position: at(450, 300), config: { attachedTo: 'sub', cancelActivity: false, eventDefinition: { type: 'escalation', escalationCode: 'LATE' } } },
        { id: 'stuck', type: 'bpmn.boundaryEvent', name: 'Stuck', position: at(550, 300), config: { attachedTo: 'sub', eventDefinition: { type: 'escalation' } } },
        { id: 'end', type: 'bpmn.endEvent', name: 'Done', position: at(700, 200), config: {} },
        { id: 'end-late', type: 'bpmn.endEvent', name: 'Lead told', position: at(450, 400), config: {} },
        { id: 'end-stuck', type: 'bpmn.endEvent', name: 'Handed over', position: at(550, 400), config: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'sub' },
        { id: 'e2', source: 'sub-start', target: 'tell' },
        { id: 'e3', source: 'tell', target: 'give-up' },
        { id: 'e4', source: 'sub', target: 'end' },
        { id: 'e5', source: 'late', target: 'end-late' },
        { id: 'e6', source: 'stuck', target: 'end-stuck' },
      ],
    });
    const { xml, warnings } = await exportBpmnXml(flow);
    expect(warnings).toEqual([]);
    expect(xml).toContain('<bpmn:escalation id="Escalation_LATE" name="LATE" escalationCode="LATE" />');
    expect(xml).toContain('<bpmn:escalation id="Escalation_STUCK" name="STUCK" escalationCode="STUCK" />');
    expect(xml.match(/<bpmn:escalation /g)).toHaveLength(2);
    expect(xml).toMatch(/<bpmn:boundaryEvent id="stuck"[^>]*>[\s\S]*?<bpmn:escalationEventDefinition \/>\s*<\/bpmn:boundaryEvent>/);
    expect((await readBpmnXml(xml)).warnings).toEqual([]);
    expect(await lint(xml, 'bpmnlint:recommended')).toEqual([]);
    expect(await lint(xml, 'plugin:camunda-compat/camunda-cloud-8-8')).toEqual([]);
    // Read back without our loomflow:config, so the BPMN itself is what is read.
    const { flow: again, report } = await importBpmnXml(xml.replace(/<loomflow:config\b[\s\S]*?<\/loomflow:config>/g, ''));
    expect(report.warnings.filter((warning) => /escalation/i.test(warning))).toEqual([]);
    const configOf = (id: string) => again.nodes.find((node) => node.id === id)?.config;
    expect(configOf('tell')).toMatchObject({ eventDefinition: { type: 'escalation', escalationCode: 'LATE' } });
    expect(configOf('give-up')).toMatchObject({ eventDefinition: { type: 'escalation', escalationCode: 'STUCK' } });
    expect(configOf('late')).toMatchObject({ attachedTo: 'sub', cancelActivity: false, eventDefinition: { type: 'escalation', escalationCode: 'LATE' } });
    expect(configOf('stuck')).toEqual({ attachedTo: 'sub', cancelActivity: true, eventDefinition: { type: 'escalation' } });
    // And out again: the same escalations, ids kept.
    expect((await exportBpmnXml(again)).xml.match(/<bpmn:escalation id="Escalation_(LATE|STUCK)"/g)).toHaveLength(2);
  });

  it('is refereed by a live Camunda check: a message catch with no correlation key fails it', async () => {
    const flow = flowDocumentSchema.parse({
      ...base,
      nodes: [
        { id: 'start', type: 'bpmn.startEvent', name: 'Start', position: { x: 100, y: 100 }, config: {} },
        { id: 'wait', type: 'bpmn.intermediateCatchEvent', name: 'Paid', position: { x: 200, y: 100 }, config: { eventDefinition: { type: 'message', messageName: 'paid' } } },
        { id: 'end', type: 'bpmn.endEvent', name: 'End', position: { x: 300, y: 100 }, config: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'wait' },
        { id: 'e2', source: 'wait', target: 'end' },
      ],
    });
    const errors = await lint((await exportBpmnXml(flow)).xml, 'plugin:camunda-compat/camunda-cloud-8-8');
    expect(errors.some((error) => error.startsWith('camunda-compat/subscription'))).toBe(true);
  });

  it('knows every element the registry maps a BPMN node type to', () => {
    const unknown = registry.list('bpmn').flatMap((nodeType) => (nodeType.bpmn && !elementsWithSemantics.has(nodeType.bpmn.element) ? [nodeType.type] : []));
    expect(unknown).toEqual([]);
  });
});
