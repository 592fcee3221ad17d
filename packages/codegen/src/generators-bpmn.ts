// The BPMN node types whose code waits for several things at once or leaves other than by its
// edges: user tasks with boundary events, event-based gateways, error end events caught by an
// error boundary, and sub-processes. They do what the runtime's executors do
// (packages/runtime/src/executors/bpmn-events.ts, build-graph.ts): every wait is one LangGraph
// interrupt whose answer either is the person's or names the event that came (`{ firedEvent,
// variables }`), and an event that came continues at its catching node through a `Command`.
import { answerSchemaOfFormFields, type AwaitedEvent, type FormField } from '@loomflow/graph-schema';
import type { ChannelIR, EventIR, NodeIR } from '@loomflow/runtime';
import type { GeneratorContext, NodeGenerator } from './generator-context';
import { multiInstanceOf, WITHDRAWN_KEY } from './multi-instance';
import { NodeRefusal } from './refusal';

const literal = (value: unknown) => JSON.stringify(value);

/** The LangGraph node name of a drawn node: prefixed when it clashes with a channel (LangGraph refuses that), as in the runtime. */
export function graphNameOf(channels: ReadonlyMap<string, ChannelIR>, nodeId: string): string {
  return channels.has(nodeId) || nodeId.startsWith('__') ? `node#${nodeId}` : nodeId;
}

/** The name of the deferred copy a node with non-interrupting events waits again as. */
export const waitsAgain = (graphName: string) => `${graphName}#again`;

/**
 * A duration or date timer that does not interrupt its task fires once per wait; the channel
 * holding which have fired (by catching node) is named so as not to clash with the flow's.
 */
export function firedTimersChannel(channels: ReadonlyMap<string, ChannelIR>): string {
  let name = 'firedTimers';
  while (channels.has(name)) name = `_${name}`;
  return name;
}

/** The non-interrupting timers of a node, which fire once while it waits. */
export const onceTimers = (node: NodeIR): readonly EventIR[] => (node.events ?? []).filter((event) => !event.interrupting && event.event.type === 'timer');

/** Whether any node of the flow or of a sub-process in it has a non-interrupting timer. */
export function hasOnceTimers(nodes: readonly NodeIR[]): boolean {
  return nodes.some((node) => onceTimers(node).length > 0 || (node.body !== undefined && hasOnceTimers(node.body.nodes)));
}

/** Code for what the interrupt says it waits for: the same shape as Loomflow's wait requests, without the due time a scheduler would compute. */
function eventWait(context: GeneratorContext, caught: EventIR): string {
  const { event, target } = caught;
  return waitLiteral(context, target, event);
}

function waitLiteral(context: GeneratorContext, catcher: string, event: AwaitedEvent): string {
  switch (event.type) {
    case 'timer': {
      if (event.timerType === 'cycle') throw new NodeRefusal(`the cycle timer of "${catcher}" repeats on Loomflow’s scheduler, which a standalone project does not have`);
      const timer = event.value.startsWith('=') ? `String(${context.feel(event.value.slice(1), 'unknown')})` : literal(event.value);
      return `{ kind: "timer", nodeId: ${literal(catcher)}, timerType: ${literal(event.timerType)}, timer: ${timer} }`;
    }
    case 'message':
      return `{ kind: "message", nodeId: ${literal(catcher)}, messageName: ${literal(event.messageName)}${event.correlationKey === undefined ? '' : `, correlationKey: String(${context.feel(event.correlationKey, 'unknown')})`} }`;
    case 'signal':
      return `{ kind: "signal", nodeId: ${literal(catcher)}, signalName: ${literal(event.signalName)} }`;
  }
}

/** Code for the node's boundary event waits; a timer that does not interrupt the node fires once while it waits. */
function boundaryWaits(context: GeneratorContext): string[] {
  const { node } = context;
  const fired = firedTimersChannel(context.channels);
  return (node.events ?? []).map((caught) => {
    const wait = eventWait(context, caught);
    return onceTimers(node).includes(caught) ? `...(state[${literal(fired)}][${literal(caught.target)}] ? [] : [${wait}])` : wait;
  });
}

/**
 * The lines after a node with boundary events was answered (`answer`): an interrupting event ends
 * its work at its catching node, another runs its catching node's path while the node waits again
 * (its deferred copy, as in the runtime); else `update` is the node's own and it leaves where its
 * flows lead. A node returning a Command still takes its edges, so it leaves by Commands only.
 */
function leaveOnEvents(context: GeneratorContext, update: string): string[] {
  const { node } = context;
  const exits = context.exits();
  if (!exits) throw new NodeRefusal('with boundary events, its outgoing sequence flows must be plain ones (no condition, not into a parallel join) to be written out as code');
  const command = context.use('Command', '@langchain/langgraph');
  const next = exits.map((exit) => (exit === '__end__' ? context.use('END', '@langchain/langgraph') : literal(exit)));
  const graphName = graphNameOf(context.channels, node.id);
  const fired = firedTimersChannel(context.channels);
  const lines: string[] = [];
  for (const caught of node.events ?? []) {
    const to = graphNameOf(context.channels, caught.target);
    const variables = context.channelUpdate('answer.variables');
    if (caught.interrupting) {
      lines.push(`// The ${caught.event.type} event of "${caught.target}" came first: it ends the ${node.type === 'bpmn.userTask' ? 'task' : 'wait'} and the process goes on from there.`);
      lines.push(`if (answer.firedEvent === ${literal(caught.target)}) return new ${command}({ goto: ${literal(to)}, update: ${variables} });`);
    } else {
      const firedUpdate = onceTimers(node).includes(caught) ? `{ ...${variables}, ${literal(fired)}: { ${literal(caught.target)}: true } }` : variables;
      lines.push(`// The ${caught.event.type} event of "${caught.target}" came: its path runs while this waits again.`);
      lines.push(`if (answer.firedEvent === ${literal(caught.target)}) return new ${command}({ goto: [${literal(to)}, ${literal(waitsAgain(graphName))}], update: ${firedUpdate} });`);
    }
  }
  // Its own answer: the wait is over, and its timers fire again on its next wait.
  const reset = onceTimers(node).map((caught) => `${literal(caught.target)}: false`);
  const own = reset.length > 0 ? `{ ...${update}, ${literal(fired)}: { ${reset.join(', ')} } }` : update;
  lines.push(`return new ${command}({ goto: ${next.length === 1 ? next[0] : `[${next.join(', ')}]`}, update: ${own} });`);
  return lines;
}

/** A person or group as drawn; one starting with `=` is a FEEL expression giving it (Camunda 8's form), e.g. each approver of a multi-instance task. */
function who(context: GeneratorContext, value: string): string {
  return value.startsWith('=') ? `String(${context.feel(value.slice(1))})` : literal(value);
}

/**
 * A user task: asks with a request of the same shape Loomflow's task list shows, writes the
 * answer's channels. Its timer, message and signal boundary events answer the same interrupt (the
 * first answer wins). With a multi-instance marker, its function is one instance: it asks its
 * person (the request says which instance) and gives their answer, not written to channels.
 */
const userTask: NodeGenerator = (context) => {
  const { node } = context;
  const config = node.config as { assignee: string; candidateGroups: string[]; formFields: FormField[]; documentation?: string };
  const title = node.name ?? node.id;
  const candidateGroups = config.candidateGroups.length > 0 ? `[${config.candidateGroups.map((group) => who(context, group)).join(', ')}]` : literal(node.lane ? [node.lane] : []);
  const events = node.events ?? [];
  const request = [
    `kind: "human"`,
    `nodeId: ${literal(node.id)}`,
    `prompt: ${literal(config.documentation ? `${title}\n\n${config.documentation}` : title)}`,
    `schema: ${literal(answerSchemaOfFormFields(config.formFields))}`,
    `fields: ${literal(config.formFields)}`,
    ...(config.assignee ? [`assignee: ${who(context, config.assignee)}`] : []),
    `candidateGroups: ${candidateGroups}`,
    ...(events.length > 0 ? [`boundaryEvents: [${boundaryWaits(context).join(', ')}]`] : []),
  ];
  if (multiInstanceOf(node)) {
    const ask = `const answer = ${context.interrupt(`{ ${[...request, 'instance'].join(', ')} }`)};`;
    const closed = `// Another instance's answer completed the task: this one closes without an answer.\nif (answer.${WITHDRAWN_KEY} === true) return null;`;
    return { body: `${ask}\n${closed}\nreturn answer;`, instance: true };
  }
  const ask = `const answer = ${context.interrupt(`{ ${request.join(', ')} }`)};`;
  if (events.length === 0) return { body: `${ask}\nreturn ${context.channelUpdate('answer')};` };
  return { body: [ask, ...leaveOnEvents(context, context.channelUpdate('answer'))].join('\n'), command: true, leavesByCommand: true };
};

/**
 * A receive task waits for its message; with boundary events beside it, as one `events` wait
 * whose first answer wins. The message's variables (or an answer's, given plainly) go to channels.
 */
const receiveTask: NodeGenerator = (context) => {
  const { node } = context;
  const { messageName, correlationKey } = node.config as { messageName: string; correlationKey?: string };
  const own = waitLiteral(context, node.id, { type: 'message', messageName, ...(correlationKey === undefined ? {} : { correlationKey }) });
  if (!node.events) return { body: `const delivered = ${context.interrupt(own)};\nreturn ${context.channelUpdate('delivered')};` };
  const ask = `const answer = ${context.interrupt(`{ kind: "events", nodeId: ${literal(node.id)}, events: [${[own, ...boundaryWaits(context)].join(', ')}] }`)};`;
  // Its own message: a fired event's variables, or the variables given plainly.
  const update = context.channelUpdate(`typeof answer.firedEvent === 'string' ? answer.variables : answer`);
  return { body: [ask, ...leaveOnEvents(context, update)].join('\n'), command: true, leavesByCommand: true };
};

/**
 * Waits for the events after it; the first to come continues at its catch event (or receive task)
 * with the variables it came with. An answer naming none of them is refused, and the gateway waits
 * on, as in the runtime.
 */
const eventBasedGateway: NodeGenerator = (context) => {
  const { node } = context;
  const events = node.events ?? [];
  if (events.length === 0) throw new NodeRefusal('an event-based gateway needs catch events or receive tasks after it to wait for');
  const command = context.use('Command', '@langchain/langgraph');
  const catchers = events.map((caught) => caught.target);
  const rejected = `answer with the event that came: {"firedEvent": one of ${catchers.map((catcher) => `"${catcher}"`).join(', ')}, "variables": {…}}`;
  const names = catchers.map((catcher) => `${literal(catcher)}: ${literal(graphNameOf(context.channels, catcher))}`);
  return {
    body: [
      `const request = { kind: "events", nodeId: ${literal(node.id)}, events: [${events.map((caught) => eventWait(context, caught)).join(', ')}] };`,
      '// The node each event continues at.',
      `const catchers: Record<string, string> = { ${names.join(', ')} };`,
      `let answer = ${context.interrupt('request')};`,
      '// The first event to come wins; an answer naming none of them is refused, and the gateway waits on.',
      `let catcher = typeof answer.firedEvent === 'string' ? catchers[answer.firedEvent] : undefined;`,
      'while (catcher === undefined) {',
      `answer = ${context.interrupt(`{ ...request, rejected: ${literal(rejected)} }`)};`,
      `catcher = typeof answer.firedEvent === 'string' ? catchers[answer.firedEvent] : undefined;`,
      '}',
      `return new ${command}({ goto: catcher, update: ${context.channelUpdate('answer.variables')} });`,
    ].join('\n'),
    command: true,
  };
};

/** A catch event or receive task after an event-based gateway: the gateway waited for its event and wrote what it came with. */
export const caughtEvent: NodeGenerator = () => ({ body: '// The gateway before it waited for this event and wrote what it came with.\nreturn {};' });

/** A boundary event only continues the flow where its node's failure or event leaves it. */
const boundaryEvent: NodeGenerator = (context) => {
  const definition = context.node.config.eventDefinition as { type: string };
  if (definition.type === 'escalation') throw new NodeRefusal('an escalation boundary event is reached from inside its sub-process, which the generated code does not do yet');
  return { body: 'return {};' };
};

/** The sub-process's node function runs its content's graph (written by the project); this only checks what it cannot write. */
const subProcess: NodeGenerator = (context) => {
  if (context.node.config.triggeredByEvent) throw new NodeRefusal('event sub-processes do not run in Loomflow either');
  return { body: '' };
};

/** Generators of the BPMN types above, by node type id. */
export const bpmnGenerators: Readonly<Record<string, NodeGenerator>> = {
  'bpmn.userTask': userTask,
  'bpmn.receiveTask': receiveTask,
  'bpmn.eventBasedGateway': eventBasedGateway,
  'bpmn.boundaryEvent': boundaryEvent,
  'bpmn.subProcess': subProcess,
};

/** Types whose generator writes the node's own waits for its `events`; others refuse them. */
export const waitsWithEvents: ReadonlySet<string> = new Set(['bpmn.userTask', 'bpmn.receiveTask', 'bpmn.eventBasedGateway']);

/**
 * The error handler of a node with error boundary events: a BPMN error (an error end event's,
 * carrying `errorCode`) continues at the first boundary catching its code, one without a code
 * catches every failure; other failures fail the run. Written into graph.ts beside the builder.
 */
export function errorHandlerSource(node: NodeIR, name: string, graphName: (nodeId: string) => string): string {
  const boundaries = (node.errorBoundaries ?? []).filter((boundary) => !boundary.escalation);
  const lines = [`/** Where a failure of "${node.id}" goes: to the error boundary event catching it${node.onErrorGoto ? ", else by its error port" : ", or else it fails the run"}. */`];
  lines.push(`function ${name}(_state: State, failure: NodeError): Command {`);
  const catchAll = boundaries.findIndex((boundary) => boundary.errorCode === undefined);
  const byCode = catchAll === -1 ? boundaries : boundaries.slice(0, catchAll);
  if (byCode.length > 0) lines.push(`const { errorCode } = failure.error as { errorCode?: unknown };`);
  for (const boundary of byCode) {
    lines.push(`if (errorCode === ${literal(boundary.errorCode)}) return new Command({ goto: ${literal(graphName(boundary.target))} }); // error boundary event "${boundary.target}"`);
  }
  const last = boundaries[catchAll];
  if (last) lines.push(`return new Command({ goto: ${literal(graphName(last.target))} }); // "${last.target}" catches every failure`);
  // The error port catches what no boundary did.
  else if (node.onErrorGoto) lines.push(`return new Command({ goto: ${literal(node.onErrorGoto.map(graphName))} }); // the error port`);
  // A copy: LangGraph counts the very error it handed to a handler as handled.
  else lines.push('throw new Error(failure.error.message, { cause: failure.error });');
  lines.push('}');
  return lines.join('\n');
}

/** What the builder's `ends` of a node lists besides its edges: where its Command may go. */
export function commandTargets(node: NodeIR, graphName: (nodeId: string) => string): string[] {
  const targets = [...(node.errorBoundaries ?? []).map((boundary) => boundary.target), ...(node.onErrorGoto ?? []), ...(node.events ?? []).map((event) => event.target)].map(graphName);
  if (node.events?.some((event) => !event.interrupting)) targets.push(waitsAgain(graphName(node.id)));
  return [...new Set(targets)];
}

