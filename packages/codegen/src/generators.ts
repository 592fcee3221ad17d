// What each node type's function does, written as TypeScript: one generator per node type id,
// for every type the registry marks `codegen: generates`. The body each returns is the node
// function's body, with `state` in scope, returning the node's update, and it does what the
// runtime's executor of that type does (packages/runtime/src/executors), minus the runtime's own
// machinery (events, the code sandbox, size limits).
import { formFieldsOfSchema } from '@loomflow/graph-schema';
import type { NodeIR } from '@loomflow/runtime';
import type { GeneratorContext, NodeGenerator, NodeSource } from './generator-context';
import { serviceHttp, type HttpImplementation } from './generators-http';
import { fileName, prefixedName } from './names';
import { NodeRefusal } from './refusal';


const literal = (value: unknown) => JSON.stringify(value);
const nothing: NodeGenerator = () => ({ body: 'return {};' });

type EventDefinition =
  | { type: 'none' | 'terminate' }
  | { type: 'message'; messageName: string; correlationKey?: string }
  | { type: 'timer'; timerType: string; value: string }
  | { type: 'error'; errorCode?: string }
  | { type: 'signal'; signalName: string }
  | { type: 'escalation'; escalationCode?: string };

const eventOf = (node: NodeIR) => node.config.eventDefinition as EventDefinition;

/** An assign node: every value evaluated over the state as the node found it; repeated keys combined by their reducer. */
const assign: NodeGenerator = (context) => {
  const { assignments } = context.node.config as { assignments: { key: string; value: string }[] };
  const byKey = new Map<string, string[]>();
  for (const { key, value } of assignments) byKey.set(key, [...(byKey.get(key) ?? []), context.feel(value, context.typeOf(key))]);
  const entries = [...byKey].map(([key, values]) => {
    const combined = values.reduce((current, next) => `${context.reducer(key)}(${current}, ${next})`);
    return `${literal(key)}: ${combined}`;
  });
  return { body: `return { ${entries.join(', ')} };` };
};

const template: NodeGenerator = (context) => {
  const config = context.node.config as { template: string; output: string };
  return { body: `return { ${literal(config.output)}: ${context.template(config.template)} };` };
};

const code: NodeGenerator = (context) => {
  const { source, writes } = context.node.config as { source: string; writes?: string[] };
  const run = context.javascript(source);
  // A copy, as the sandbox hands the code one: the drawn source may change what it is given.
  return { body: `return ${context.codeUpdate(`${run}(structuredClone(state))`, writes)};` };
};

/** A human step: asks with a request of the same shape Loomflow's task list shows, writes the answer's channels. */
const human: NodeGenerator = (context) => {
  const { node } = context;
  const config = node.config as { prompt: string; schema: Record<string, unknown>; assignee?: string; candidateGroups: string[] };
  const request = [
    `kind: "human"`,
    `nodeId: ${literal(node.id)}`,
    `prompt: ${context.template(config.prompt)}`,
    `schema: ${literal(config.schema)}`,
    `fields: ${literal(formFieldsOfSchema(config.schema))}`,
    ...(config.assignee ? [`assignee: ${literal(config.assignee)}`] : []),
    `candidateGroups: ${literal(config.candidateGroups)}`,
  ];
  return { body: `const answer = ${context.interrupt(`{ ${request.join(', ')} }`)};\nreturn ${context.channelUpdate('answer')};` };
};

/** A value for the task's result variable, or nothing when it names none. */
function resultOf(context: GeneratorContext, value: string): string {
  const resultVariable = context.node.config.resultVariable as string | undefined;
  return resultVariable ? `return { ${literal(resultVariable)}: ${value} };` : `${value};\nreturn {};`;
}

/** How a service task does its work (graph-schema's bpmn.serviceTask config), as far as code export reads it. */
type ServiceImplementation =
  | HttpImplementation
  | { readonly kind: 'external'; readonly topic: string }
  | { readonly kind: 'expression'; readonly expression: string }
  | { readonly kind: 'code'; readonly source: string }
  | { readonly kind: 'mcp' }
  | { readonly kind: 'flow' };

const serviceTask: NodeGenerator = (context) => {
  const implementation = context.node.config.implementation as ServiceImplementation;
  if (implementation.kind === 'http') return { body: serviceHttp(context, implementation), async: true };
  if (implementation.kind === 'external') return externalJob(context, implementation.topic);
  if (implementation.kind === 'mcp') throw new NodeRefusal('its MCP server is a setting of the Loomflow host, which a standalone project does not have');
  if (implementation.kind === 'flow') throw new NodeRefusal('it runs another stored flow, which lives in the Loomflow host; export that flow on its own');
  const resultVariable = context.node.config.resultVariable as string | undefined;
  if (implementation.kind === 'code') {
    // As a JavaScript script task: the drawn code, unchanged, as a function of a copy of the state.
    const call = `${context.javascript(implementation.source)}(structuredClone(state))`;
    return { body: resultVariable ? `return { ${literal(resultVariable)}: ${call} };` : `return ${context.codeUpdate(call)};` };
  }
  return { body: resultOf(context, context.feel(implementation.expression, resultVariable ? context.typeOf(resultVariable) : 'unknown')) };
};

const README_JOBS = [
  '## Jobs of external service tasks',
  '',
  'In Loomflow, the job of a service task of kind "external" is done by a handler its host registers for the job type,',
  'as a Camunda job worker does. Here each job type has a function of its own in `src/handlers/<job type>.ts`: write it.',
  'It gets the node, the job type and the process variables; what it returns is written as in Loomflow: to the result',
  'variable, else an object\'s keys to the channels of the same names. Until it is written, the task fails saying so.',
].join('\n');

/**
 * An external service task (executors/bpmn.ts, kind "external"): the job goes to the function of
 * its job type in `src/handlers/<job type>.ts`, a module of the project's own that its owner
 * writes, in place of the handler a Loomflow host registers.
 */
function externalJob(context: GeneratorContext, topic: string) {
  const { node } = context;
  const name = prefixedName('handle', topic, 'Job');
  const file = `handlers/${fileName(topic)}`;
  const source = [
    `// The job of type "${topic}", which service task "${node.id}" hands out. Loomflow runs it by the handler its host`,
    '// registers for this job type (FlowRuntimeOptions.serviceTasks); write it here (see README.md).',
    "import type { State } from '../state.js';",
    '',
    'export interface Job {',
    '  readonly nodeId: string;',
    '  readonly type: string;',
    '  readonly variables: State;',
    '}',
    '',
    `/** Does the "${topic}" job: returns the result variable's value, or an object of channel updates, or nothing. */`,
    `export async function ${name}(job: Job): Promise<unknown> {`,
    `  throw new Error(\`node "\${job.nodeId}": write the handler of job type "${topic}" in src/${file}.ts\`);`,
    '}',
    '',
  ].join('\n');
  context.readme(README_JOBS);
  const handler = context.local(name, file, source);
  const resultVariable = node.config.resultVariable as string | undefined;
  const call = `await ${handler}({ nodeId: ${literal(node.id)}, type: ${literal(topic)}, variables: state })`;
  return { body: resultVariable ? `return { ${literal(resultVariable)}: (${call}) as ${context.typeOf(resultVariable)} };` : `return ${context.codeUpdate(call)};`, async: true };
}

const scriptTask: NodeGenerator = (context) => {
  const { scriptFormat, script } = context.node.config as { scriptFormat: 'javascript' | 'feel'; script: string };
  const resultVariable = context.node.config.resultVariable as string | undefined;
  if (scriptFormat === 'feel') {
    if (!resultVariable) throw new NodeRefusal('a FEEL script needs a resultVariable to write its value to');
    return { body: resultOf(context, context.feel(script, context.typeOf(resultVariable))) };
  }
  const run = context.javascript(script);
  const call = `${run}(structuredClone(state))`;
  return { body: resultVariable ? `return { ${literal(resultVariable)}: ${call} };` : `return ${context.codeUpdate(call)};` };
};

interface Decision {
  readonly hitPolicy: 'first' | 'collect';
  readonly rules: readonly { readonly condition: string; readonly output: string }[];
  readonly default?: string;
}

/** The task's own FEEL rules, checked in order as the runtime's bpmn-decision.ts does; a DMN decision of another engine has nothing to write. */
const businessRuleTask: NodeGenerator = (context) => {
  const { node } = context;
  const { decision, decisionRef, resultVariable } = node.config as { decision?: Decision; decisionRef?: string; resultVariable: string };
  if (!decision) throw new NodeRefusal(`it names the DMN decision "${String(decisionRef)}" of another engine, and neither Loomflow nor this code has a DMN engine`);
  const type = context.typeOf(resultVariable);
  const noMatch =
    decision.default === undefined
      ? `throw new Error(${literal(`node "${node.id}": no rule of its decision matches and it has no default output (${decision.rules.length} rules checked)`)});`
      : `return { ${literal(resultVariable)}: ${context.feel(decision.default, type)} };`;
  if (decision.hitPolicy === 'first') {
    const rules = decision.rules.map((rule) => `if (${context.feel(rule.condition, 'unknown')} === true) return { ${literal(resultVariable)}: ${context.feel(rule.output, type)} };`);
    return { body: [...rules, noMatch].join('\n') };
  }
  const rules = decision.rules.map((rule) => `if (${context.feel(rule.condition, 'unknown')} === true) outputs.push(${context.feel(rule.output, 'unknown')});`);
  return { body: ['const outputs: unknown[] = [];', ...rules, `if (outputs.length === 0) {\n${noMatch}\n}`, `return { ${literal(resultVariable)}: outputs as ${type} };`].join('\n') };
};

const startEvent: NodeGenerator = (context) => {
  const { type } = eventOf(context.node);
  if (type !== 'none' && type !== 'message') throw new NodeRefusal(`a ${type} start event does not start a process in Loomflow either`);
  return nothing(context);
};

/**
 * Message and signal end events, throw events and send tasks only record what they throw in
 * Loomflow's run events; neither Loomflow nor this code delivers it anywhere.
 */
const endEvent: NodeGenerator = (context) => {
  const definition = eventOf(context.node);
  if (definition.type === 'terminate') throw new NodeRefusal('a terminate end event stops every other branch, which plain LangGraph edges do not express');
  refuseEscalation(context.node);
  if (definition.type === 'error') {
    const reason = definition.errorCode ? `ended with BPMN error "${definition.errorCode}"` : 'ended with a BPMN error';
    // The code lets an error boundary event catching it continue the process (graph.ts).
    const error = `new Error(${literal(`node "${context.node.id}": ${reason}`)})`;
    return { body: `throw ${definition.errorCode ? `Object.assign(${error}, { errorCode: ${literal(definition.errorCode)} })` : error};` };
  }
  return nothing(context);
};

/**
 * An escalation caught by a boundary event on a sub-process around it ends that sub-process there,
 * which is not written out yet; one nothing catches only shows in Loomflow's run events, so its
 * code does nothing, as the runtime does.
 */
function refuseEscalation(node: NodeIR): void {
  const caughtBy = node.escalation?.caughtBy;
  if (caughtBy) throw new NodeRefusal(`the escalation it throws goes to the boundary event "${caughtBy}" on the sub-process around it, which is not written out as code yet`);
}

const throwEvent: NodeGenerator = (context) => {
  refuseEscalation(context.node);
  return nothing(context);
};

function messageWait(context: GeneratorContext, messageName: string, correlationKey: string | undefined): NodeSource {
  const request = [`kind: "message"`, `nodeId: ${literal(context.node.id)}`, `messageName: ${literal(messageName)}`];
  if (correlationKey !== undefined) request.push(`correlationKey: String(${context.feel(correlationKey, 'unknown')})`);
  return { body: `const delivered = ${context.interrupt(`{ ${request.join(', ')} }`)};\nreturn ${context.channelUpdate('delivered')};` };
}

/** Waits as an interrupt: whoever runs the graph resumes it when the timer is due or the message arrives. */
const catchEvent: NodeGenerator = (context) => {
  const definition = eventOf(context.node);
  if (definition.type === 'message') return messageWait(context, definition.messageName, definition.correlationKey);
  if (definition.type !== 'timer') throw new NodeRefusal(`waiting for a ${definition.type} does not run in Loomflow either`);
  if (definition.timerType === 'cycle') throw new NodeRefusal('a cycle timer repeats, and an intermediate catch event waits once');
  const timer = definition.value.startsWith('=') ? `String(${context.feel(definition.value.slice(1), 'unknown')})` : literal(definition.value);
  const request = `{ kind: "timer", nodeId: ${literal(context.node.id)}, timerType: ${literal(definition.timerType)}, timer: ${timer} }`;
  return { body: `const delivered = ${context.interrupt(request)};\nreturn ${context.channelUpdate('delivered')};` };
};

/** The map node's own function is written by the project (a Send per item); its worker is an ordinary node. */
const structural: NodeGenerator = nothing;

/** Generators by node type id (generator-table.ts adds the AI ones of generators-ai.ts and the BPMN ones of generators-bpmn.ts). */
export const generators: Readonly<Record<string, NodeGenerator>> = {
  'agent.start': nothing,
  'agent.end': nothing,
  'agent.condition': nothing,
  'agent.assign': assign,
  'agent.template': template,
  'agent.human': human,
  'agent.code': code,
  'agent.map': structural,
  'agent.note': nothing,
  'bpmn.startEvent': startEvent,
  'bpmn.endEvent': endEvent,
  'bpmn.intermediateCatchEvent': catchEvent,
  'bpmn.intermediateThrowEvent': throwEvent,
  'bpmn.task': nothing,
  'bpmn.serviceTask': serviceTask,
  'bpmn.scriptTask': scriptTask,
  'bpmn.businessRuleTask': businessRuleTask,
  'bpmn.sendTask': nothing,
  'bpmn.manualTask': nothing,
  'bpmn.exclusiveGateway': nothing,
  'bpmn.parallelGateway': nothing,
  'bpmn.inclusiveGateway': nothing,
  'bpmn.pool': nothing,
  'bpmn.lane': nothing,
  'bpmn.dataObject': nothing,
  'bpmn.textAnnotation': nothing,
  'bpmn.group': nothing,
};
