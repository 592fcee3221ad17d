// The workloads of `pnpm bench:bpmn`, shared with their smoke test (bpmn-workloads.test.ts) so
// that the benchmark cannot silently measure processes that fail or diagrams that lose elements.
//
// (a) One BPMN file run by both engines: start → service task → exclusive gateway → one of two
//     tasks → its own end event. The service task's work is the same function on both sides,
//     `scoreOrder`, registered by job type in Loomflow and as a service in bpmn-engine.
// (b) Generated diagrams with DI (the canvas benchmark's grid), imported and exported by
//     @loomflow/bpmn and parsed and written by bare bpmn-moddle.
import { importBpmnXml, exportBpmnXml } from '@loomflow/bpmn';
import type { RunEvent } from '@loomflow/graph-schema';
import type { CompiledFlow, FlowRuntime } from '@loomflow/runtime';
import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import { Engine } from 'bpmn-engine';
import { evaluate } from 'feelin';
import { EventEmitter } from 'node:events';
import { gridFlow, toBpmnXml } from './canvas/grid-flow';

/** The service task's job on both sides: a small computation on the process variables. */
export function scoreOrder(variables: Readonly<Record<string, unknown>>): { score: number } {
  const amount = Number(variables.amount ?? 0);
  const items = Number(variables.items ?? 0);
  return { score: amount * 2 + items };
}

/** The job type of the service task (Camunda's task definition type), Loomflow's handler name. */
export const SCORE_JOB = 'score-order';

/**
 * The process both engines run, one file: Loomflow reads the service task's `zeebe:` task
 * definition (Camunda 8), bpmn-engine its `implementation` expression; each ignores the other's.
 * The gateway's condition is Camunda 8's `=`-prefixed FEEL for both (see `feelAwareExpressions`).
 * Loomflow runs only on declared process variables; they are in the file's `loomflow:flow`, as an
 * export from the designer writes them, which bpmn-engine keeps as an unknown extension.
 */
export const decisionProcessXml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:loomflow="https://loomflow.dev/schema/bpmn/1" id="bench-decision" targetNamespace="http://loomflow.dev/bench">
  <bpmn:extensionElements>
    <loomflow:flow flowId="bench-decision" schemaVersion="1">{"state":{"channels":[{"name":"amount","type":"number"},{"name":"items","type":"number"},{"name":"score","type":"number"}]}}</loomflow:flow>
  </bpmn:extensionElements>
  <bpmn:process id="decision" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="score" name="Score order" implementation="\${environment.services.scoreOrder}">
      <bpmn:extensionElements><zeebe:taskDefinition type="${SCORE_JOB}" /></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:exclusiveGateway id="decide" name="Big order?" default="f_small"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f_big</bpmn:outgoing><bpmn:outgoing>f_small</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:task id="review" name="Review"><bpmn:incoming>f_big</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:task>
    <bpmn:task id="ship" name="Ship"><bpmn:incoming>f_small</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:task>
    <bpmn:endEvent id="end_big" name="Reviewed"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="end_small" name="Shipped"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="score" />
    <bpmn:sequenceFlow id="f2" sourceRef="score" targetRef="decide" />
    <bpmn:sequenceFlow id="f_big" sourceRef="decide" targetRef="review">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=score &gt; 1000</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f_small" sourceRef="decide" targetRef="ship" />
    <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="end_big" />
    <bpmn:sequenceFlow id="f4" sourceRef="ship" targetRef="end_small" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="decision">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="182" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="score_di" bpmnElement="score"><dc:Bounds x="190" y="160" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="decide_di" bpmnElement="decide" isMarkerVisible="true"><dc:Bounds x="345" y="175" width="50" height="50" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="450" y="80" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="ship_di" bpmnElement="ship"><dc:Bounds x="450" y="240" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="end_big_di" bpmnElement="end_big"><dc:Bounds x="612" y="102" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="end_small_di" bpmnElement="end_small"><dc:Bounds x="612" y="262" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="200" /><di:waypoint x="190" y="200" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="290" y="200" /><di:waypoint x="345" y="200" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f_big_di" bpmnElement="f_big"><di:waypoint x="370" y="175" /><di:waypoint x="370" y="120" /><di:waypoint x="450" y="120" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f_small_di" bpmnElement="f_small"><di:waypoint x="370" y="225" /><di:waypoint x="370" y="280" /><di:waypoint x="450" y="280" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f3_di" bpmnElement="f3"><di:waypoint x="550" y="120" /><di:waypoint x="612" y="120" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f4_di" bpmnElement="f4"><di:waypoint x="550" y="280" /><di:waypoint x="612" y="280" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>
`;

/** The run inputs: one order takes each branch. */
export const bigOrder = { amount: 600, items: 3 } as const;
export const smallOrder = { amount: 20, items: 1 } as const;

/** The end event a run reached, as both engines report it. */
export type EndEventId = 'end_big' | 'end_small';

/**
 * Loomflow's side: the XML imported by @loomflow/bpmn and compiled once by the runtime given
 * (the benchmark passes one on LibsqlSaver, the product's checkpointer). Each run is a new thread
 * with every event consumed, as the server runs flows.
 */
export async function loomflowProcess(runtime: FlowRuntime): Promise<CompiledFlow> {
  const { flow, report } = await importBpmnXml(decisionProcessXml);
  if (report.issues.length > 0) throw new Error(`the benchmark process imports with issues: ${JSON.stringify(report.issues)}`);
  return runtime.compile(flow);
}

/** The service task handlers Loomflow's runtime needs for the process. */
export const loomflowServiceTasks = { [SCORE_JOB]: ({ variables }: { variables: Readonly<Record<string, unknown>> }) => scoreOrder(variables) };

let thread = 0;
/**
 * Runs one instance and returns the end event it reached; throws unless the run completed.
 * `durability: 'sync'` is what the server runs with (apps/server/src/runs/executions.ts): each
 * step's checkpoint is stored before the next step starts.
 */
export async function runLoomflow(compiled: CompiledFlow, input: Readonly<Record<string, unknown>>, durability?: 'sync'): Promise<EndEventId> {
  let ended: string | undefined;
  let last: RunEvent | undefined;
  for await (const event of compiled.run({ ...input }, { threadId: `bench-bpmn-${(thread += 1)}`, ...(durability ? { durability } : {}) })) {
    if (event.type === 'node.completed' && (event.nodeId === 'end_big' || event.nodeId === 'end_small')) ended = event.nodeId;
    last = event;
  }
  if (last?.type !== 'run.completed' || !ended) throw new Error(`a Loomflow instance did not complete at an end event (last event: ${JSON.stringify(last ?? null)})`);
  return ended as EndEventId;
}

/**
 * bpmn-engine reads `\${…}` property expressions, not FEEL. So that it runs the very same file and
 * evaluates the very same condition, it gets an expressions handler that evaluates `=`-prefixed
 * text as FEEL with feelin (the FEEL library Loomflow's runtime uses) and leaves every other
 * expression to bpmn-engine's own resolver, taken from an engine built with the defaults.
 */
const defaultExpressions = new Engine().environment.expressions;
const feelAwareExpressions = {
  ...defaultExpressions,
  resolveExpression(expression: string, context: { environment: { variables: Record<string, unknown> } }, fnContext?: unknown): unknown {
    if (expression.startsWith('=')) return evaluate(expression.slice(1), context.environment.variables).value;
    return defaultExpressions.resolveExpression(expression, context, fnContext);
  },
};

interface BpmnEngineServiceContext {
  readonly environment: { readonly variables: Record<string, unknown> };
}

const bpmnEngineServices = {
  /** bpmn-engine's service contract: the task's execution context and a node-style callback. */
  scoreOrder(executionContext: BpmnEngineServiceContext, callback: (error: Error | null, result?: unknown) => void) {
    const result = scoreOrder(executionContext.environment.variables);
    // A process variable, as Loomflow's handler result becomes one, so the gateway can read it.
    executionContext.environment.variables.score = result.score;
    callback(null, result);
  },
};

/** bpmn-engine parses BPMN with bpmn-moddle; parsed once, as Loomflow compiles once. */
let moddleContext: Promise<unknown> | undefined;
const parsedForBpmnEngine = () => (moddleContext ??= new BpmnModdle().fromXML(decisionProcessXml));

/**
 * bpmn-engine's side: an Engine per instance (an engine runs one execution of its definitions),
 * built on the parsed file, with no persistence: bpmn-engine keeps state in memory and leaves
 * saving it (`getState`) to the host, so this side stores nothing.
 */
export async function runBpmnEngine(input: Readonly<Record<string, unknown>>): Promise<EndEventId> {
  const engine = new Engine({ name: 'bench', moddleContext: (await parsedForBpmnEngine()) as never, services: bpmnEngineServices, expressions: feelAwareExpressions });
  let ended: EndEventId | undefined;
  const listener = new EventEmitter();
  listener.on('activity.end', (api: { id: string }) => {
    if (api.id === 'end_big' || api.id === 'end_small') ended = api.id;
  });
  const finished = engine.waitFor('end');
  await engine.execute({ listener, variables: { ...input } });
  await finished;
  if (!ended) throw new Error('a bpmn-engine instance did not complete at an end event');
  return ended;
}

/** A generated diagram with DI: `nodeCount` flow nodes in a chain (start, tasks, end), each drawn. */
export function generatedDiagramXml(nodeCount: number): string {
  return toBpmnXml(gridFlow(nodeCount));
}

/** What the import and export keep, for the smoke test: the elements with an id in the XML. */
export function countFlowElements(xml: string): number {
  return (xml.match(/<bpmn:(startEvent|endEvent|task|sequenceFlow)\b/g) ?? []).length;
}

/** Loomflow's round trip: import the XML into a flow document, export it back to XML. */
export async function loomflowRoundTrip(xml: string): Promise<string> {
  const { flow } = await importBpmnXml(xml);
  return (await exportBpmnXml(flow)).xml;
}

const moddle = new BpmnModdle();
/** The peer: bpmn-moddle's bare fromXML + toXML of the same file. */
export async function moddleRoundTrip(xml: string): Promise<string> {
  const { rootElement } = await moddle.fromXML(xml);
  // The typed definitions are a moddle element; the declaration keeps the two types apart.
  return (await moddle.toXML(rootElement as unknown as ModdleElement)).xml;
}
