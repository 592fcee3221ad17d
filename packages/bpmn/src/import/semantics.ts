// The reverse of export/semantics.ts: a node's config read from its BPMN element, its event
// definitions, loop markers and the `zeebe:` extension elements Camunda Modeler (and our export)
// writes. Each reader says which element properties it modelled, so the rest is kept as XML.
import type { ModdleElement } from 'bpmn-moddle';
import { loomflowJobTypes } from '../export/semantics';

type Config = Record<string, unknown>;

/** A node's config and the element properties it was read from. */
export interface ReadConfig {
  readonly config: Config;
  readonly modelled: readonly string[];
  /** What was read but does not fit the node type, one line each. */
  readonly notes: readonly string[];
  /** The trigger of an event definition kept as XML (`escalation` of `bpmn:EscalationEventDefinition`), for the canvas's marker. */
  readonly trigger?: string;
}

/** `bpmn:EscalationEventDefinition` → `escalation`. */
function triggerOf(definitionType: string): string | undefined {
  const local = /^bpmn:(\w+)EventDefinition$/.exec(definitionType)?.[1];
  return local ? local.charAt(0).toLowerCase() + local.slice(1) : undefined;
}

const httpConnectorJobType = 'io.camunda:http-json:1';

/** Flow documents hold bare FEEL; Camunda marks an expression with a leading `=`. */
export function bareFeel(expression: string): string {
  return expression.startsWith('=') ? expression.slice(1).trim() : expression;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { body?: unknown }).body === 'string') return (value as { body: string }).body;
  return undefined;
}

function extensionValues(element: ModdleElement): ModdleElement[] {
  const extensionElements = element.extensionElements as ModdleElement | undefined;
  return ((extensionElements?.values as ModdleElement[] | undefined) ?? []).filter((value) => typeof value === 'object');
}

function extension(element: ModdleElement, type: string): ModdleElement | undefined {
  return extensionValues(element).find((value) => value.$type === type);
}

/** `zeebe:Input` / `zeebe:Output` pairs of the element's io mapping, target → source. */
function ioPairs(element: ModdleElement, kind: 'inputParameters' | 'outputParameters'): [string, string][] {
  const mapping = extension(element, 'zeebe:IoMapping');
  return ((mapping?.[kind] as ModdleElement[] | undefined) ?? []).map((parameter) => [String(parameter.target ?? ''), String(parameter.source ?? '')]);
}

function taskHeaders(element: ModdleElement): Record<string, string> {
  const headers = extension(element, 'zeebe:TaskHeaders');
  return Object.fromEntries(((headers?.values as ModdleElement[] | undefined) ?? []).map((header) => [String(header.key), String(header.value ?? '')]));
}

function nameOf(element: ModdleElement | undefined): string | undefined {
  if (!element) return undefined;
  return typeof element.name === 'string' && element.name ? element.name : typeof element.id === 'string' ? element.id : undefined;
}

/** A message's name and Camunda correlation key, as event definitions and receive tasks hold them. */
function messageOf(message: ModdleElement | undefined): { messageName: string; correlationKey?: string } {
  const subscription = message ? extension(message, 'zeebe:Subscription') : undefined;
  const correlationKey = typeof subscription?.correlationKey === 'string' ? bareFeel(subscription.correlationKey) : undefined;
  return { messageName: nameOf(message) ?? '', ...(correlationKey ? { correlationKey } : {}) };
}

const timerKinds = [
  ['timeDate', 'date'],
  ['timeDuration', 'duration'],
  ['timeCycle', 'cycle'],
] as const;

/** The config form of one event definition, or `undefined` when Loomflow has none for it. */
function eventDefinitionConfig(definition: ModdleElement): Config | undefined {
  switch (definition.$type) {
    case 'bpmn:TerminateEventDefinition':
      return { type: 'terminate' };
    case 'bpmn:TimerEventDefinition': {
      for (const [property, timerType] of timerKinds) {
        const value = text(definition[property]);
        if (value !== undefined) return { type: 'timer', timerType, value: value.trim() };
      }
      return undefined;
    }
    // A message or signal event that names none (a drawing, not yet a model) stays as it is.
    case 'bpmn:MessageEventDefinition':
      return definition.messageRef ? { type: 'message', ...messageOf(definition.messageRef as ModdleElement) } : undefined;
    case 'bpmn:ErrorEventDefinition': {
      const error = definition.errorRef as ModdleElement | undefined;
      const code = typeof error?.errorCode === 'string' && error.errorCode ? error.errorCode : undefined;
      return { type: 'error', ...(code ? { errorCode: code } : {}) };
    }
    case 'bpmn:EscalationEventDefinition': {
      const escalation = definition.escalationRef as ModdleElement | undefined;
      const code = typeof escalation?.escalationCode === 'string' && escalation.escalationCode ? escalation.escalationCode : undefined;
      return { type: 'escalation', ...(code ? { escalationCode: code } : {}) };
    }
    case 'bpmn:SignalEventDefinition':
      return definition.signalRef ? { type: 'signal', signalName: nameOf(definition.signalRef as ModdleElement) ?? '' } : undefined;
    default:
      return undefined;
  }
}

function loopConfig(loop: ModdleElement): Config | undefined {
  if (loop.$type === 'bpmn:StandardLoopCharacteristics') {
    const condition = text(loop.loopCondition);
    const maximum = loop.loopMaximum;
    return { type: 'standard', ...(condition ? { condition: bareFeel(condition) } : {}), ...(typeof maximum === 'number' && maximum > 0 ? { maxIterations: maximum } : {}) };
  }
  if (loop.$type === 'bpmn:MultiInstanceLoopCharacteristics') {
    const zeebe = extension(loop, 'zeebe:LoopCharacteristics');
    const completion = text(loop.completionCondition);
    const collection = typeof zeebe?.inputCollection === 'string' ? bareFeel(zeebe.inputCollection) : undefined;
    const elementVariable = typeof zeebe?.inputElement === 'string' ? zeebe.inputElement : undefined;
    const outputCollection = typeof zeebe?.outputCollection === 'string' ? zeebe.outputCollection : undefined;
    const outputElement = typeof zeebe?.outputElement === 'string' ? bareFeel(zeebe.outputElement) : undefined;
    const cardinality = text(loop.loopCardinality);
    return {
      type: 'multiInstance',
      sequential: loop.isSequential === true,
      ...(collection ? { collection } : {}),
      ...(elementVariable ? { elementVariable } : {}),
      ...(cardinality ? { cardinality: bareFeel(cardinality) } : {}),
      ...(outputCollection ? { outputCollection } : {}),
      ...(outputElement ? { outputElement } : {}),
      ...(completion ? { completionCondition: bareFeel(completion) } : {}),
    };
  }
  return undefined;
}

/** Reads the config of a node of `nodeType` from its element. */
export function readConfig(nodeType: string, element: ModdleElement): ReadConfig {
  const config: Config = {};
  const modelled: string[] = [];
  const notes: string[] = [];
  const documentation = (element.documentation as ModdleElement[] | undefined) ?? [];
  if (documentation.length === 1 && typeof documentation[0]?.text === 'string' && nodeType !== 'bpmn.group' && nodeType !== 'bpmn.textAnnotation') {
    config.documentation = documentation[0].text;
    modelled.push('documentation');
  }
  const definitions = (element.eventDefinitions as ModdleElement[] | undefined) ?? [];
  let trigger: string | undefined;
  if (definitions.length === 1) {
    const definition = eventDefinitionConfig(definitions[0] as ModdleElement);
    if (definition) {
      config.eventDefinition = definition;
      modelled.push('eventDefinitions');
    } else {
      notes.push(`its ${(definitions[0] as ModdleElement).$type} is kept, not modelled (Loomflow has none, or it names no message or signal)`);
      trigger = triggerOf((definitions[0] as ModdleElement).$type);
    }
  } else if (definitions.length > 1) notes.push('a multiple event (several event definitions) is kept, not modelled');
  if (element.loopCharacteristics) {
    const loop = loopConfig(element.loopCharacteristics as ModdleElement);
    if (loop) {
      config.loop = loop;
      modelled.push('loopCharacteristics');
    }
  }
  const read = (properties: Config, names: readonly string[]): void => {
    Object.assign(config, properties);
    modelled.push(...names);
  };
  switch (nodeType) {
    case 'bpmn.boundaryEvent':
      read({ attachedTo: (element.attachedToRef as ModdleElement | undefined)?.id, cancelActivity: element.cancelActivity !== false }, ['attachedToRef', 'cancelActivity']);
      break;
    case 'bpmn.userTask': {
      const assignment = extension(element, 'zeebe:AssignmentDefinition');
      const schedule = extension(element, 'zeebe:TaskSchedule');
      const priority = extension(element, 'zeebe:PriorityDefinition');
      read(
        {
          ...(typeof assignment?.assignee === 'string' ? { assignee: assignment.assignee } : {}),
          ...(typeof assignment?.candidateGroups === 'string'
            ? { candidateGroups: assignment.candidateGroups.split(',').map((group) => group.trim()).filter(Boolean) }
            : {}),
          ...(typeof schedule?.dueDate === 'string' ? { dueDate: schedule.dueDate } : {}),
          ...(priority?.priority !== undefined ? { priority: Number(priority.priority) } : {}),
        },
        [],
      );
      break;
    }
    case 'bpmn.serviceTask': {
      const definition = extension(element, 'zeebe:TaskDefinition');
      if (!definition) break;
      const type = String(definition.type ?? '');
      const retries = definition.retries === undefined ? {} : { retries: Number(definition.retries) };
      const headers = taskHeaders(element);
      const result = headers.resultVariable ? { resultVariable: headers.resultVariable } : {};
      if (type === httpConnectorJobType) {
        const inputs = Object.fromEntries(ioPairs(element, 'inputParameters'));
        const parsedHeaders = inputs.headers ? (JSON.parse(bareFeel(inputs.headers)) as Record<string, string>) : {};
        read(
          {
            implementation: { kind: 'http', method: inputs.method ?? 'POST', url: inputs.url ?? '', headers: parsedHeaders, ...(inputs.body ? { body: bareFeel(inputs.body) } : {}) },
            ...retries,
            ...result,
          },
          [],
        );
      } else if (type === loomflowJobTypes.expression && headers.expression) {
        read({ implementation: { kind: 'expression', expression: headers.expression }, ...retries, ...result }, []);
      } else if (type === loomflowJobTypes.code && headers.source) {
        read({ implementation: { kind: 'code', source: headers.source }, ...retries, ...result }, []);
      } else if (type === loomflowJobTypes.mcp && headers.tool && (headers.mcpServer || headers.mcpServerUrl)) {
        // As a person may have edited it in Camunda Modeler: "a:1, b:2," is two hosts.
        const allowHosts = headers.mcpAllowHosts ? { allowHosts: headers.mcpAllowHosts.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '') } : {};
        const server = headers.mcpServer ? { transport: 'registered', name: headers.mcpServer } : { transport: 'http', url: headers.mcpServerUrl, ...allowHosts };
        const args = Object.fromEntries(ioPairs(element, 'inputParameters').map(([name, source]) => [name, bareFeel(source)]));
        read({ implementation: { kind: 'mcp', server, tool: headers.tool, arguments: args }, ...retries, ...result }, []);
      } else if (type === loomflowJobTypes.flow && headers.flowId) {
        const inputs = Object.fromEntries(ioPairs(element, 'inputParameters').map(([name, source]) => [name, bareFeel(source)]));
        const outputs = Object.fromEntries(ioPairs(element, 'outputParameters').map(([variable, source]) => [variable, bareFeel(source)]));
        read({ implementation: { kind: 'flow', flowId: headers.flowId, inputs, outputs }, ...retries }, []);
      } else if (type) {
        read({ implementation: { kind: 'external', topic: type }, ...retries }, []);
      }
      break;
    }
    case 'bpmn.scriptTask': {
      const zeebeScript = extension(element, 'zeebe:Script');
      if (zeebeScript && typeof zeebeScript.expression === 'string') {
        read(
          { scriptFormat: 'feel', script: bareFeel(zeebeScript.expression), ...(typeof zeebeScript.resultVariable === 'string' ? { resultVariable: zeebeScript.resultVariable } : {}) },
          ['scriptFormat'],
        );
        break;
      }
      const format = typeof element.scriptFormat === 'string' ? element.scriptFormat.toLowerCase() : undefined;
      const scriptFormat = format === 'feel' ? 'feel' : format === 'javascript' || format === 'js' || format === 'text/javascript' ? 'javascript' : undefined;
      if (!scriptFormat && format) {
        notes.push(`its script format "${format}" is not run by Loomflow; the script is kept`);
        break;
      }
      const resultVariable = taskHeaders(element).resultVariable;
      read({ ...(scriptFormat ? { scriptFormat } : {}), ...(typeof element.script === 'string' ? { script: element.script } : {}), ...(resultVariable ? { resultVariable } : {}) }, [
        'scriptFormat',
        'script',
      ]);
      break;
    }
    case 'bpmn.sendTask': {
      const payload = ioPairs(element, 'inputParameters').find(([target]) => target === 'payload')?.[1];
      read({ messageName: nameOf(element.messageRef as ModdleElement | undefined), ...(payload ? { payload: bareFeel(payload) } : {}) }, ['messageRef']);
      break;
    }
    case 'bpmn.receiveTask':
      read(messageOf(element.messageRef as ModdleElement | undefined), ['messageRef']);
      break;
    case 'bpmn.businessRuleTask': {
      const decision = extension(element, 'zeebe:CalledDecision');
      if (decision) read({ decisionRef: decision.decisionId, ...(typeof decision.resultVariable === 'string' ? { resultVariable: decision.resultVariable } : {}) }, []);
      break;
    }
    case 'bpmn.callActivity': {
      const called = extension(element, 'zeebe:CalledElement');
      const calledElement = typeof element.calledElement === 'string' ? element.calledElement : typeof called?.processId === 'string' ? called.processId : undefined;
      read(
        {
          ...(calledElement ? { calledElement } : {}),
          inputs: Object.fromEntries(ioPairs(element, 'inputParameters').map(([target, source]) => [target, bareFeel(source)])),
          outputs: Object.fromEntries(ioPairs(element, 'outputParameters').map(([target, source]) => [target, bareFeel(source)])),
        },
        ['calledElement'],
      );
      break;
    }
    // Defaults are left out, as the canvas leaves them out of what it draws.
    case 'bpmn.subProcess':
      read(element.triggeredByEvent === true ? { triggeredByEvent: true } : {}, ['triggeredByEvent']);
      break;
    case 'bpmn.eventBasedGateway':
      read(element.instantiate === true ? { instantiate: true } : {}, ['instantiate', 'eventGatewayType']);
      break;
    case 'bpmn.dataObject': {
      const dataObject = element.dataObjectRef as ModdleElement | undefined;
      const state = (element.dataState as ModdleElement | undefined)?.name;
      read({ ...(dataObject?.isCollection === true ? { isCollection: true } : {}), ...(typeof state === 'string' ? { state } : {}) }, ['dataObjectRef', 'dataState']);
      break;
    }
    case 'bpmn.textAnnotation':
      read({ text: text(element.text) ?? '' }, ['text']);
      break;
    case 'bpmn.group': {
      const value = (element.categoryValueRef as ModdleElement | undefined)?.value;
      read(typeof value === 'string' ? { categoryValue: value } : {}, ['categoryValueRef']);
      break;
    }
  }
  return { config, modelled, notes, ...(trigger ? { trigger } : {}) };
}
