import { flowDocumentSchema, validateFlow, type FlowDocument, type FlowNode } from '@loomflow/graph-schema';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bpmnModdle } from './moddle';
import { importBpmnXml, type BpmnImportResult } from './import-bpmn';
import { BpmnReadError, readBpmnXml } from './read-bpmn';
import { exportBpmnXml } from './write-bpmn';

const here = dirname(fileURLToPath(import.meta.url));
// Read-only beside the project (../shared/bpmn-corpus), as its README asks.
const corpus = join(here, '../../../../shared/bpmn-corpus/miwg');
const corpusFiles = readdirSync(corpus).filter((file) => file.endsWith('.bpmn'));
const examples = join(here, '../../../examples/bpmn');
const exampleFiles = readdirSync(examples).filter((file) => file.endsWith('.json'));

/** Ids of the semantic elements of a file, its diagram interchange left aside. */
async function semanticIds(xml: string): Promise<Map<string, string>> {
  const { elements } = await readBpmnXml(xml);
  return new Map(elements.filter((element) => !/^(bpmndi|dc|di):/.test(element.type)).map((element) => [element.id, element.type]));
}

/**
 * Ids an export makes up again rather than keeping: sets of lanes, categories of groups, the
 * expressions and event definitions a config holds, pools' extra collaborations (one diagram holds
 * them all). docs/bpmn-import.md lists these normalisations.
 */
const rebuiltTypes = new Set([
  'bpmn:LaneSet',
  'bpmn:Category',
  'bpmn:CategoryValue',
  'bpmn:FormalExpression',
  'bpmn:Expression',
  'bpmn:Documentation',
  'bpmn:Collaboration',
  'bpmn:MessageEventDefinition',
  'bpmn:TimerEventDefinition',
  'bpmn:ErrorEventDefinition',
  'bpmn:SignalEventDefinition',
  'bpmn:TerminateEventDefinition',
  'bpmn:StandardLoopCharacteristics',
  'bpmn:MultiInstanceLoopCharacteristics',
  'bpmn:ExtensionElements',
]);

interface Comparable {
  readonly type: string;
  readonly element?: string;
  readonly name?: string;
  readonly parent?: string;
  readonly attachedTo?: unknown;
}

const comparable = (node: FlowNode): Comparable => ({
  type: node.type,
  ...(node.bpmn?.element ? { element: node.bpmn.element } : {}),
  ...(node.name ? { name: node.name } : {}),
  ...(node.parent ? { parent: node.parent } : {}),
  ...(node.type === 'bpmn.boundaryEvent' ? { attachedTo: node.config.attachedTo } : {}),
});

function expectSameDrawing(first: FlowDocument, second: FlowDocument): void {
  expect(Object.fromEntries(second.nodes.map((node) => [node.id, comparable(node)]))).toEqual(Object.fromEntries(first.nodes.map((node) => [node.id, comparable(node)])));
  const edges = (flow: FlowDocument) => Object.fromEntries(flow.edges.map((edge) => [edge.id, [edge.source, edge.target, edge.label, edge.condition, edge.isDefault]]));
  expect(edges(second)).toEqual(edges(first));
  const secondById = new Map(second.nodes.map((node) => [node.id, node]));
  for (const node of first.nodes) {
    const other = secondById.get(node.id) as FlowNode;
    // DI bounds within a pixel: the centre and the size both.
    for (const [a, b] of [
      [node.position.x, other.position.x],
      [node.position.y, other.position.y],
      [node.size?.width ?? 0, other.size?.width ?? 0],
      [node.size?.height ?? 0, other.size?.height ?? 0],
    ] as const) {
      expect(Math.abs(a - b), node.id).toBeLessThanOrEqual(1);
    }
  }
}

describe('importBpmnXml on the MIWG reference models', () => {
  const coverage: Record<string, { elements: number; modelled: number; kept: number; nodes: number; edges: number; issues: number }> = {};

  it.each(corpusFiles)('%s: import → export → import keeps ids, types, names, topology, lanes, attachment and DI bounds', async (file) => {
    const xml = readFileSync(join(corpus, file), 'utf8');
    const first = await importBpmnXml(xml);
    expect(first.flow.nodes.length).toBeGreaterThan(0);
    const exported = await exportBpmnXml(first.flow);
    // The export warns only about settings the import already reported as not fitting their type.
    const misfits = new Set(first.report.issues.filter((issue) => issue.code === 'invalid-config').map((issue) => issue.nodeId));
    expect(exported.warnings.filter((warning) => !misfits.has(/^node (\S+): its config does not fit/.exec(warning)?.[1]))).toEqual([]);
    // The export parses with no warnings, with and without the extension packages known.
    expect((await readBpmnXml(exported.xml)).warnings).toEqual([]);
    expect((await bpmnModdle().fromXML(exported.xml)).warnings).toEqual([]);
    const second = await importBpmnXml(exported.xml);
    expectSameDrawing(first.flow, second.flow);
    expect(second.report.kept.map((kept) => kept.id).sort()).toEqual(first.report.kept.map((kept) => kept.id).sort());

    // Every element of the file is in the export, but for the ids an export rebuilds.
    const before = await semanticIds(xml);
    const after = await semanticIds(exported.xml);
    const lost = [...before].filter(([id, type]) => !after.has(id) && !rebuiltTypes.has(type));
    expect(lost).toEqual([]);
    for (const [id, type] of before) if (after.has(id)) expect(after.get(id), id).toBe(type);

    coverage[file] = {
      elements: first.report.elements,
      modelled: first.report.modelled,
      kept: first.report.kept.length,
      nodes: first.flow.nodes.length,
      edges: first.flow.edges.length,
      issues: first.report.issues.filter((issue) => issue.severity === 'error').length,
    };
  });

  it('prints the coverage table of the corpus', () => {
    expect(Object.keys(coverage)).toEqual(corpusFiles);
    console.table(coverage);
  });

  it('places nodes by the centre of their DI bounds and keeps edge bend points and labels', async () => {
    const { flow } = await importBpmnXml(readFileSync(join(corpus, 'A.1.0.bpmn'), 'utf8'));
    const { definitions } = await readBpmnXml(readFileSync(join(corpus, 'A.1.0.bpmn'), 'utf8'));
    const plane = definitions.diagrams?.[0]?.plane as unknown as { planeElement: { $type: string; bpmnElement: { id: string }; bounds?: Record<string, number>; waypoint?: { x: number; y: number }[] }[] };
    for (const shape of plane.planeElement.filter((element) => element.$type === 'bpmndi:BPMNShape')) {
      const node = flow.nodes.find((candidate) => candidate.id === shape.bpmnElement.id) as FlowNode;
      const { x, y, width, height } = shape.bounds as Record<string, number>;
      expect(node.position).toEqual({ x: (x as number) + (width as number) / 2, y: (y as number) + (height as number) / 2 });
      expect(node.size).toEqual({ width, height });
    }
    for (const diEdge of plane.planeElement.filter((element) => element.$type === 'bpmndi:BPMNEdge')) {
      const edge = flow.edges.find((candidate) => candidate.id === diEdge.bpmnElement.id);
      const points = (diEdge.waypoint ?? []).map(({ x, y }) => ({ x, y }));
      expect(edge?.waypoints ?? []).toEqual(points.slice(1, -1));
    }
  });

  it('reads pools, lanes, message flows, boundary events, sub-processes, data and annotations', async () => {
    const read = async (file: string): Promise<BpmnImportResult> => importBpmnXml(readFileSync(join(corpus, file), 'utf8'));
    const lanes = (await read('A.4.1.bpmn')).flow;
    const pools = lanes.nodes.filter((node) => node.type === 'bpmn.pool');
    expect(pools).toHaveLength(2);
    const lane = lanes.nodes.find((node) => node.type === 'bpmn.lane') as FlowNode;
    expect(pools.map((pool) => pool.id)).toContain(lane.parent);
    expect(lanes.nodes.some((node) => node.parent === lane.id)).toBe(true);
    // Message flows join the two pools' elements.
    const poolOf = (id: string): string | undefined => {
      const node = lanes.nodes.find((candidate) => candidate.id === id);
      return node?.type === 'bpmn.pool' ? node.id : node?.parent ? poolOf(node.parent) : undefined;
    };
    expect(lanes.edges.filter((edge) => poolOf(edge.source) !== poolOf(edge.target))).toHaveLength(2);

    const events = (await read('B.2.0.bpmn')).flow;
    const boundaries = events.nodes.filter((node) => node.type === 'bpmn.boundaryEvent');
    expect(boundaries).toHaveLength(11);
    for (const boundary of boundaries) expect(events.nodes.some((node) => node.id === boundary.config.attachedTo)).toBe(true);
    const subProcesses = events.nodes.filter((node) => node.type === 'bpmn.subProcess');
    expect(subProcesses.some((subProcess) => events.nodes.some((node) => node.parent === subProcess.id))).toBe(true);
    const note = events.nodes.find((node) => node.type === 'bpmn.textAnnotation') as FlowNode;
    expect(note.config.annotates).toBeTypeOf('string');
    const store = events.nodes.find((node) => node.bpmn?.element === 'bpmn:DataStoreReference') as FlowNode;
    expect(store.type).toBe('bpmn.dataObject');
    expect(events.nodes.some((node) => node.type === 'bpmn.eventBasedGateway')).toBe(true);
    expect(events.nodes.some((node) => node.type === 'bpmn.inclusiveGateway')).toBe(true);
    expect(events.nodes.some((node) => (node.config.loop as { type?: string } | undefined)?.type === 'multiInstance')).toBe(true);

    const documented = (await read('C.3.0.bpmn')).flow;
    expect(documented.nodes.some((node) => typeof node.config.documentation === 'string')).toBe(true);
    expect(documented.edges.some((edge) => edge.condition !== undefined)).toBe(true);
    expect(documented.nodes.find((node) => node.id === 'Bpmn_BoundaryEvent_sS9gABqGEeWDuOtG0oS24A')?.config.eventDefinition).toEqual({
      type: 'timer',
      timerType: 'duration',
      value: 'PT2H',
    });
  });
});

describe('importBpmnXml on our own examples', () => {
  /** What an import adds that the drawn document leaves out: ids it keeps for the next export. */
  const drawn = (flow: FlowDocument) => ({
    ...flow,
    bpmn: undefined,
    nodes: [...flow.nodes].sort((a, b) => a.id.localeCompare(b.id)).map(({ bpmn: _bpmn, ...node }) => node),
    edges: [...flow.edges].sort((a, b) => a.id.localeCompare(b.id)).map(({ bpmn: _bpmn, ...edge }) => edge),
  });

  it.each(exampleFiles)('%s: export → import gives back the same document', async (file) => {
    const flow = flowDocumentSchema.parse(JSON.parse(readFileSync(join(examples, file), 'utf8')));
    const { flow: imported, report } = await importBpmnXml((await exportBpmnXml(flow)).xml);
    expect(drawn(imported)).toEqual(drawn(flow));
    expect(report.kept).toEqual([]);
    expect(report.issues).toEqual(validateFlow(flow));
  });
});

describe('importBpmnXml on odd input', () => {
  const definitions = (body: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><model:definitions xmlns:model="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:acme="urn:acme" id="d" targetNamespace="urn:x">${body}</model:definitions>`;

  it('refuses a file over the size limit and a DOCTYPE', async () => {
    await expect(importBpmnXml(definitions('<model:process id="p"/>'), { maxBytes: 100 })).rejects.toThrow(/at most 100 are read/);
    await expect(importBpmnXml(`<!DOCTYPE d [<!ENTITY a "b">]>${definitions('<model:process id="p"/>')}`)).rejects.toBeInstanceOf(BpmnReadError);
  });

  it('counts the limit in UTF-8 bytes, not in characters', async () => {
    // 审批 is 2 characters and 6 bytes: each file below is under the limit in characters.
    const named = (name: string) => definitions(`<model:process id="p"><model:task id="t" name="${name}"/></model:process>`);
    const text = named('审批'.repeat(20));
    const bytes = new TextEncoder().encode(text).length;
    expect(text.length).toBeLessThan(bytes - 1);
    await expect(importBpmnXml(text, { maxBytes: bytes - 1 })).rejects.toThrow(`the file is ${bytes} bytes; at most ${bytes - 1} are read`);
    const { flow } = await importBpmnXml(text, { maxBytes: bytes });
    expect(flow.nodes.map((node) => node.name)).toEqual(['审批'.repeat(20)]);
  });

  it('reports malformed XML with its line and column', async () => {
    await expect(importBpmnXml(definitions('<model:process id="p">'))).rejects.toThrow(/line \d+, column \d+/);
  });

  it('keeps and lists an element it does not model, and writes it back as it was', async () => {
    const xml = definitions(
      '<model:process id="p" isExecutable="true"><model:startEvent id="s"/><model:complexGateway id="g" acme:weight="3"/><model:sequenceFlow id="f" sourceRef="s" targetRef="g"/>' +
        '<model:task id="t"><model:extensionElements><acme:retry count="2"/></model:extensionElements><model:ioSpecification id="io"><model:dataInput id="in"/><model:inputSet id="is"><model:dataInputRefs>in</model:dataInputRefs></model:inputSet><model:outputSet id="os"/></model:ioSpecification></model:task>' +
        '<model:sequenceFlow id="f2" sourceRef="g" targetRef="t"/></model:process><model:escalation id="esc" escalationCode="E1"/>',
    );
    const { flow, report } = await importBpmnXml(xml);
    expect(flow.nodes.find((node) => node.id === 'g')).toMatchObject({ type: 'bpmn.inclusiveGateway', bpmn: { element: 'bpmn:ComplexGateway' } });
    // An escalation no event names is written back, unlisted, as messages, errors and signals are.
    expect(report.kept.map((kept) => kept.id).sort()).toEqual(['g', 'in', 'io', 'is', 'os']);
    expect(report.warnings).toContain('g: no DI shape; placed at 0,0');
    const { xml: exported, warnings } = await exportBpmnXml(flow);
    expect(warnings).toEqual([]);
    expect(exported).toContain('<bpmn:complexGateway id="g"');
    expect(exported).toContain('acme:weight="3"');
    expect(exported).toContain('<acme:retry count="2" />');
    expect(exported).toMatch(/<bpmn:dataInputRefs>in<\/bpmn:dataInputRefs>/);
    expect(exported).toContain('<bpmn:escalation id="esc" escalationCode="E1" />');
    expect((await readBpmnXml(exported)).warnings).toEqual([]);
  });

  it('reads Camunda 8 settings into the config', async () => {
    const xml = definitions(
      '<model:process id="p" isExecutable="true" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"><model:userTask id="u"><model:extensionElements><zeebe:assignmentDefinition assignee="=boss" candidateGroups="finance, sales"/><zeebe:formDefinition formKey="f"/></model:extensionElements></model:userTask>' +
        '<model:serviceTask id="s"><model:extensionElements><zeebe:taskDefinition type="mail" retries="5"/></model:extensionElements></model:serviceTask>' +
        '<model:intermediateCatchEvent id="w"><model:timerEventDefinition><model:timeDuration>PT5M</model:timeDuration></model:timerEventDefinition></model:intermediateCatchEvent></model:process>',
    );
    const { flow } = await importBpmnXml(xml);
    const config = (id: string) => flow.nodes.find((node) => node.id === id)?.config;
    expect(config('u')).toEqual({ assignee: '=boss', candidateGroups: ['finance', 'sales'] });
    expect(flow.nodes.find((node) => node.id === 'u')?.bpmn?.xml).toContain('formDefinition');
    expect(config('s')).toEqual({ implementation: { kind: 'external', topic: 'mail' }, retries: 5 });
    expect(config('w')).toEqual({ eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT5M' } });
  });
});
