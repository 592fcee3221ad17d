// What each BPMN element carries besides its id and name: event definitions, loop markers, the
// standard attributes, and the `zeebe:` extension elements Camunda 8 needs to deploy the file.
// Keyed by the bpmn-moddle element the registry maps a node type to, so a new node type with a
// known element needs no entry here (write-bpmn.test.ts checks that every mapped element is known).
import type { ModdleElement } from 'bpmn-moddle';

/** What the element writers need from the export under way. */
export interface SemanticsContext {
  create(type: string, attrs?: Record<string, unknown>): ModdleElement;
  /** A `bpmn:Message` root element, shared by every use of the same name and correlation key. */
  message(name: string, correlationKey?: string): ModdleElement;
  error(code: string): ModdleElement;
  signal(name: string): ModdleElement;
  escalation(code: string): ModdleElement;
  /** A `bpmn:DataObject` the reference points to, declared in the same scope. */
  dataObject(referenceId: string, isCollection: boolean): ModdleElement;
  categoryValue(value: string): ModdleElement;
}

/** Job types for work Loomflow does itself and Camunda 8 hands to a job worker. */
export const loomflowJobTypes = {
  expression: 'loomflow-expression',
  script: 'loomflow-script',
  sendMessage: 'loomflow-send-message',
  /** A business rule task with Loomflow's own FEEL rules, which Camunda 8 cannot hold inline. */
  decision: 'loomflow-decision',
  /** Service tasks whose work Loomflow's own parts do: its code sandbox, its MCP client, another stored flow. */
  code: 'loomflow-code',
  mcp: 'loomflow-mcp',
  flow: 'loomflow-flow',
} as const;

/** Camunda's outbound REST connector: an HTTP service task runs on Camunda 8 without a worker. */
const httpConnectorJobType = 'io.camunda:http-json:1';

type Config = Readonly<Record<string, unknown>>;
type EventDefinitionConfig =
  | { type: 'none' | 'terminate' }
  | { type: 'message'; messageName: string; correlationKey?: string }
  | { type: 'timer'; timerType: 'date' | 'duration' | 'cycle'; value: string }
  | { type: 'error'; errorCode?: string }
  | { type: 'signal'; signalName: string }
  | { type: 'escalation'; escalationCode?: string };
type LoopConfig =
  | { type: 'standard'; condition?: string; maxIterations?: number }
  | {
      type: 'multiInstance';
      sequential: boolean;
      collection?: string;
      elementVariable?: string;
      cardinality?: string;
      outputCollection?: string;
      outputElement?: string;
      completionCondition?: string;
    };

/** Camunda 8 reads an expression only when it starts with `=`; flow documents store bare FEEL. */
export function feel(expression: string): string {
  return expression.startsWith('=') ? expression : `=${expression}`;
}

function formal(context: SemanticsContext, body: string): ModdleElement {
  return context.create('bpmn:FormalExpression', { body });
}

const timerProperties = { date: 'timeDate', duration: 'timeDuration', cycle: 'timeCycle' } as const;

function eventDefinition(context: SemanticsContext, definition: EventDefinitionConfig): ModdleElement | undefined {
  switch (definition.type) {
    case 'none':
      return undefined;
    case 'terminate':
      return context.create('bpmn:TerminateEventDefinition');
    case 'timer':
      return context.create('bpmn:TimerEventDefinition', { [timerProperties[definition.timerType]]: formal(context, definition.value) });
    case 'message':
      return context.create('bpmn:MessageEventDefinition', { messageRef: context.message(definition.messageName, definition.correlationKey) });
    case 'error':
      // No code: an error boundary event that catches every error.
      return context.create('bpmn:ErrorEventDefinition', definition.errorCode ? { errorRef: context.error(definition.errorCode) } : {});
    case 'signal':
      return context.create('bpmn:SignalEventDefinition', { signalRef: context.signal(definition.signalName) });
    case 'escalation':
      // No code: an escalation boundary event that catches every escalation.
      return context.create('bpmn:EscalationEventDefinition', definition.escalationCode ? { escalationRef: context.escalation(definition.escalationCode) } : {});
  }
}

function loopCharacteristics(context: SemanticsContext, loop: LoopConfig): { element: ModdleElement } {
  if (loop.type === 'standard') {
    return {
      element: context.create('bpmn:StandardLoopCharacteristics', {
        ...(loop.condition ? { loopCondition: formal(context, feel(loop.condition)) } : {}),
        ...(loop.maxIterations ? { loopMaximum: loop.maxIterations } : {}),
      }),
    };
  }
  const zeebe = context.create('zeebe:LoopCharacteristics', {
    ...(loop.collection ? { inputCollection: feel(loop.collection) } : {}),
    ...(loop.elementVariable ? { inputElement: loop.elementVariable } : {}),
    ...(loop.outputCollection ? { outputCollection: loop.outputCollection } : {}),
    ...(loop.outputElement ? { outputElement: feel(loop.outputElement) } : {}),
  });
  return {
    element: context.create('bpmn:MultiInstanceLoopCharacteristics', {
      isSequential: loop.sequential,
      ...(loop.cardinality ? { loopCardinality: formal(context, feel(loop.cardinality)) } : {}),
      ...(loop.completionCondition ? { completionCondition: formal(context, feel(loop.completionCondition)) } : {}),
      extensionElements: context.create('bpmn:ExtensionElements', { values: [zeebe] }),
    }),
  };
}

function taskDefinition(context: SemanticsContext, type: string, retries?: number): ModdleElement {
  return context.create('zeebe:TaskDefinition', { type, ...(retries === undefined ? {} : { retries: String(retries) }) });
}

function ioMapping(context: SemanticsContext, inputs: readonly [target: string, source: string][], outputs: readonly [target: string, source: string][] = []): ModdleElement[] {
  if (inputs.length === 0 && outputs.length === 0) return [];
  return [
    context.create('zeebe:IoMapping', {
      inputParameters: inputs.map(([target, source]) => context.create('zeebe:Input', { source, target })),
      outputParameters: outputs.map(([target, source]) => context.create('zeebe:Output', { source, target })),
    }),
  ];
}

function taskHeaders(context: SemanticsContext, headers: Readonly<Record<string, string | undefined>>): ModdleElement[] {
  const values = Object.entries(headers).flatMap(([key, value]) => (value === undefined ? [] : [context.create('zeebe:Header', { key, value })]));
  return values.length > 0 ? [context.create('zeebe:TaskHeaders', { values })] : [];
}

/** The element's own attributes and child elements, and its `zeebe:` extension elements. */
export interface ElementSemantics {
  readonly attrs: Record<string, unknown>;
  readonly extensions: readonly ModdleElement[];
}

function serviceTask(context: SemanticsContext, config: Config): ElementSemantics {
  const implementation = config.implementation as
    | { kind: 'external'; topic: string }
    | { kind: 'http'; method: string; url: string; headers: Record<string, string>; body?: string }
    | { kind: 'expression'; expression: string }
    | { kind: 'code'; source: string }
    | { kind: 'mcp'; server: { transport: string; name?: string; url?: string; allowHosts?: readonly string[] }; tool: string; arguments: Record<string, string> }
    | { kind: 'flow'; flowId: string; inputs: Record<string, string>; outputs: Record<string, string> };
  const retries = config.retries as number | undefined;
  const resultVariable = config.resultVariable as string | undefined;
  switch (implementation.kind) {
    case 'external':
      return { attrs: {}, extensions: [taskDefinition(context, implementation.topic, retries)] };
    case 'http':
      return {
        attrs: {},
        extensions: [
          taskDefinition(context, httpConnectorJobType, retries),
          ...ioMapping(context, [
            ['method', implementation.method],
            ['url', implementation.url],
            ['authentication.type', 'noAuth'],
            ...(Object.keys(implementation.headers).length > 0 ? [['headers', `=${JSON.stringify(implementation.headers)}`] as [string, string]] : []),
            ...(implementation.body ? [['body', feel(implementation.body)] as [string, string]] : []),
          ]),
          ...taskHeaders(context, { resultVariable }),
        ],
      };
    case 'expression':
      return {
        attrs: {},
        extensions: [taskDefinition(context, loomflowJobTypes.expression, retries), ...taskHeaders(context, { expression: implementation.expression, resultVariable })],
      };
    // On Camunda 8 these are jobs for a Loomflow worker: the headers carry what the worker needs
    // (and what an import of the zeebe: elements alone reads back); the inputs are io mappings.
    case 'code':
      return { attrs: {}, extensions: [taskDefinition(context, loomflowJobTypes.code, retries), ...taskHeaders(context, { source: implementation.source, resultVariable })] };
    case 'mcp': {
      // Only a server registered by name or reached over HTTP says where it is; a command line stays in the loomflow: extension.
      // The private hosts an HTTP server may be reached on travel too: without them the imported task would be refused.
      const { server } = implementation;
      const where =
        server.transport === 'registered'
          ? { mcpServer: server.name }
          : server.transport === 'http'
            ? { mcpServerUrl: server.url, ...(server.allowHosts?.length ? { mcpAllowHosts: server.allowHosts.join(',') } : {}) }
            : {};
      return {
        attrs: {},
        extensions: [
          taskDefinition(context, loomflowJobTypes.mcp, retries),
          ...ioMapping(context, Object.entries(implementation.arguments).map(([name, expression]) => [name, feel(expression)] as [string, string])),
          ...taskHeaders(context, { tool: implementation.tool, ...where, resultVariable }),
        ],
      };
    }
    case 'flow':
      return {
        attrs: {},
        extensions: [
          taskDefinition(context, loomflowJobTypes.flow, retries),
          ...ioMapping(
            context,
            Object.entries(implementation.inputs).map(([name, expression]) => [name, feel(expression)] as [string, string]),
            Object.entries(implementation.outputs).map(([variable, from]) => [variable, `=${from}`] as [string, string]),
          ),
          ...taskHeaders(context, { flowId: implementation.flowId }),
        ],
      };
  }
}

function scriptTask(context: SemanticsContext, config: Config): ElementSemantics {
  const script = config.script as string;
  const resultVariable = config.resultVariable as string | undefined;
  if (config.scriptFormat === 'feel' && resultVariable) {
    return { attrs: { scriptFormat: 'feel' }, extensions: [context.create('zeebe:Script', { expression: feel(script), resultVariable })] };
  }
  // Camunda 8 runs no JavaScript itself: the script stays standard BPMN for other engines, and a
  // job worker (Loomflow's sandbox) takes it on Camunda.
  return {
    attrs: { scriptFormat: config.scriptFormat, script },
    extensions: [taskDefinition(context, loomflowJobTypes.script), ...taskHeaders(context, { resultVariable })],
  };
}

function userTask(context: SemanticsContext, config: Config): ElementSemantics {
  const assignee = (config.assignee as string | undefined) ?? '';
  const candidateGroups = (config.candidateGroups as string[] | undefined) ?? [];
  const dueDate = config.dueDate as string | undefined;
  const priority = config.priority as number | undefined;
  return {
    attrs: {},
    extensions: [
      // A Camunda user task (not a job-worker one): the implementation Camunda 8.8 recommends.
      context.create('zeebe:UserTask'),
      ...(assignee || candidateGroups.length > 0
        ? [
            context.create('zeebe:AssignmentDefinition', {
              ...(assignee ? { assignee } : {}),
              ...(candidateGroups.length > 0 ? { candidateGroups: candidateGroups.join(',') } : {}),
            }),
          ]
        : []),
      ...(dueDate ? [context.create('zeebe:TaskSchedule', { dueDate })] : []),
      ...(priority === undefined ? [] : [context.create('zeebe:PriorityDefinition', { priority })]),
    ],
  };
}

function callActivity(context: SemanticsContext, config: Config): ElementSemantics {
  const calledElement = config.calledElement as string;
  const inputs = Object.entries((config.inputs as Record<string, string> | undefined) ?? {});
  const outputs = Object.entries((config.outputs as Record<string, string> | undefined) ?? {});
  return {
    attrs: { calledElement },
    extensions: [
      // Only the mapped variables cross, as in Loomflow's own call activity.
      context.create('zeebe:CalledElement', { processId: calledElement, propagateAllChildVariables: false }),
      ...ioMapping(
        context,
        inputs.map(([target, expression]) => [target, feel(expression)]),
        outputs.map(([target, source]) => [target, `=${source}`]),
      ),
    ],
  };
}

/** Message-throwing events are job-worker tasks on Camunda 8, as send tasks are. */
function throwingEvent(context: SemanticsContext, definition: EventDefinitionConfig | undefined): ModdleElement[] {
  return definition?.type === 'message' ? [taskDefinition(context, loomflowJobTypes.sendMessage)] : [];
}

/** The semantics of one node, given its parsed config and the element the registry maps it to. */
export function elementSemantics(context: SemanticsContext, element: string, config: Config, nodeId: string): ElementSemantics {
  const definitionConfig = config.eventDefinition as EventDefinitionConfig | undefined;
  const definition = definitionConfig ? eventDefinition(context, definitionConfig) : undefined;
  const loop = config.loop ? loopCharacteristics(context, config.loop as LoopConfig).element : undefined;
  const common: Record<string, unknown> = {
    ...(definition ? { eventDefinitions: [definition] } : {}),
    ...(loop ? { loopCharacteristics: loop } : {}),
  };
  const withCommon = (semantics: ElementSemantics): ElementSemantics => ({ attrs: { ...common, ...semantics.attrs }, extensions: semantics.extensions });
  switch (element) {
    case 'bpmn:BoundaryEvent':
      // attachedToRef is set by the caller, which holds every element by id.
      return withCommon({ attrs: { cancelActivity: config.cancelActivity ?? true }, extensions: [] });
    case 'bpmn:EndEvent':
    case 'bpmn:IntermediateThrowEvent':
      return withCommon({ attrs: {}, extensions: throwingEvent(context, definitionConfig) });
    case 'bpmn:UserTask':
      return withCommon(userTask(context, config));
    case 'bpmn:ServiceTask':
      return withCommon(serviceTask(context, config));
    case 'bpmn:ScriptTask':
      return withCommon(scriptTask(context, config));
    case 'bpmn:SendTask': {
      const payload = config.payload as string | undefined;
      return withCommon({
        attrs: { messageRef: context.message(config.messageName as string) },
        extensions: [taskDefinition(context, loomflowJobTypes.sendMessage), ...ioMapping(context, payload ? [['payload', feel(payload)]] : [])],
      });
    }
    case 'bpmn:ReceiveTask':
      return withCommon({ attrs: { messageRef: context.message(config.messageName as string, config.correlationKey as string | undefined) }, extensions: [] });
    case 'bpmn:BusinessRuleTask':
      // A DMN decision is Camunda's called decision; Loomflow's own rules (kept whole in the
      // loomflow:Config extension) are a job for a Loomflow worker there.
      return withCommon({
        attrs: {},
        extensions: config.decisionRef
          ? [context.create('zeebe:CalledDecision', { decisionId: config.decisionRef, resultVariable: config.resultVariable ?? 'decision' })]
          : [taskDefinition(context, loomflowJobTypes.decision), ...taskHeaders(context, { resultVariable: config.resultVariable as string | undefined })],
      });
    case 'bpmn:CallActivity':
      return withCommon(callActivity(context, config));
    case 'bpmn:SubProcess':
      return withCommon({ attrs: { triggeredByEvent: config.triggeredByEvent ?? false }, extensions: [] });
    case 'bpmn:EventBasedGateway':
      return withCommon({ attrs: { instantiate: config.instantiate ?? false, eventGatewayType: 'Exclusive' }, extensions: [] });
    case 'bpmn:DataObjectReference':
      return withCommon({
        attrs: {
          dataObjectRef: context.dataObject(nodeId, (config.isCollection as boolean | undefined) ?? false),
          ...(config.state ? { dataState: context.create('bpmn:DataState', { name: config.state }) } : {}),
        },
        extensions: [],
      });
    case 'bpmn:TextAnnotation':
      return { attrs: { text: config.text ?? '' }, extensions: [] };
    case 'bpmn:Group':
      return { attrs: config.categoryValue ? { categoryValueRef: context.categoryValue(config.categoryValue as string) } : {}, extensions: [] };
    default:
      return withCommon({ attrs: {}, extensions: [] });
  }
}

/** Elements with an entry above, beyond those that need only their id, name and event definition. */
export const elementsWithSemantics: ReadonlySet<string> = new Set([
  'bpmn:StartEvent', 'bpmn:EndEvent', 'bpmn:IntermediateCatchEvent', 'bpmn:IntermediateThrowEvent', 'bpmn:BoundaryEvent',
  'bpmn:Task', 'bpmn:UserTask', 'bpmn:ServiceTask', 'bpmn:ScriptTask', 'bpmn:SendTask', 'bpmn:ReceiveTask', 'bpmn:ManualTask',
  'bpmn:BusinessRuleTask', 'bpmn:SubProcess', 'bpmn:CallActivity', 'bpmn:ExclusiveGateway', 'bpmn:ParallelGateway',
  'bpmn:InclusiveGateway', 'bpmn:EventBasedGateway', 'bpmn:Participant', 'bpmn:Lane', 'bpmn:DataObjectReference',
  'bpmn:TextAnnotation', 'bpmn:Group',
]);
