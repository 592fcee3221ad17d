// BPMN events a process waits for besides people: timers, messages and signals, on an intermediate
// catch event or receive task, on the boundary of a waiting activity, or after an event-based
// gateway. Each wait is an interrupt the host answers (graph-schema wait-request.ts): the server's
// scheduler when a timer is due, POST /api/messages, POST /api/signals or a throwing process, a
// person with `loomflow resume`. When a node waits for several events at once (a user task and its
// boundary timer, a gateway's events) the host answers with the event that came (`FiredEvent`), and
// the node throws `EventCaught`, which the builder turns into a jump to the node that catches it.
import { interrupt } from '@langchain/langgraph';
import { readFiredEvent, type AwaitedEvent, type EventWait, type EventsWait } from '@loomflow/graph-schema';
import { DETERMINISTIC, NodeExecutionError } from '../errors';
import { evaluateFeel } from '../feel-eval';
import type { EventIR, NodeIR } from '../ir';
import type { ExecutionContext, ExecutionResult, Executor, State } from './executor';
import { cycleDueAt, timerDueAt } from './timer-due';

/**
 * How often each non-interrupting event of a waiting node has fired since it started waiting, by
 * catching node: a duration timer fires once, a cycle as often as it repeats. An internal channel.
 */
export const FIRED_EVENTS_CHANNEL = '__loomflow_fired';

/**
 * One of a node's events came. Interrupting: the node's work ends and the flow continues at the
 * catching node. Not interrupting: the catching node's path runs and the node waits again. Never
 * retried; the builder's error handler routes it like an error boundary.
 */
export class EventCaught extends NodeExecutionError {
  constructor(
    nodeId: string,
    readonly caught: EventIR,
    readonly variables: Record<string, unknown>,
  ) {
    super(nodeId, 'bpmn.event', `the ${caught.event.type} event of "${caught.target}" came${caught.interrupting ? ' and ended its work' : ''}`, DETERMINISTIC);
  }
}

/** A drawn timer value; one starting with `=` is a FEEL expression giving it. */
function timerValue(node: NodeIR, state: State, value: string): string {
  if (!value.startsWith('=')) return value;
  const result = evaluateFeel(value.slice(1), state, node.id);
  if (typeof result !== 'string') throw new NodeExecutionError(node.id, 'bpmn.timer', `the timer expression "${value}" must give an ISO 8601 text, not ${JSON.stringify(result)}`, DETERMINISTIC);
  return result;
}

/**
 * What the node waits for when `event` is caught by `catcher`, as of now; undefined once a
 * non-interrupting timer has fired as often as it may. The due time is computed each time the
 * node runs, and only the first execution's is ever stored (resuming returns at once).
 */
function eventWait(context: ExecutionContext, catcher: string, event: AwaitedEvent, fired: number): EventWait | undefined {
  const { node, state } = context;
  switch (event.type) {
    case 'timer': {
      const value = timerValue(node, state, event.value);
      const now = context.service('clock').now();
      const dueAt = event.timerType === 'cycle' ? cycleDueAt(node.id, value, now, fired) : fired > 0 ? undefined : timerDueAt(node.id, event.timerType, value, now);
      return dueAt === undefined ? undefined : { kind: 'timer', nodeId: catcher, dueAt, timer: value };
    }
    case 'message': {
      const key = event.correlationKey === undefined ? undefined : evaluateFeel(event.correlationKey, state, node.id);
      if (key !== undefined && key !== null && typeof key === 'object') throw new NodeExecutionError(node.id, 'bpmn.correlation', `the correlation key "${event.correlationKey}" must give a text or a number`, DETERMINISTIC);
      return { kind: 'message', nodeId: catcher, messageName: event.messageName, ...(key === undefined || key === null ? {} : { correlationKey: String(key) }) };
    }
    case 'signal':
      return { kind: 'signal', nodeId: catcher, signalName: event.signalName };
  }
}

/** The waits of the node's events (its boundary events, or a gateway's events) it still waits for. */
function eventWaits(context: ExecutionContext): EventWait[] {
  const fired = (context.state[FIRED_EVENTS_CHANNEL] ?? {}) as Record<string, number>;
  return (context.node.events ?? []).flatMap((caught) => eventWait(context, caught.target, caught.event, fired[caught.target] ?? 0) ?? []);
}

/** A user task's request with the boundary events that answer it too, for the host to wait for. */
export function withBoundaryEvents<Request extends object>(context: ExecutionContext, request: Request): Request & { boundaryEvents?: EventWait[] } {
  const boundaryEvents = eventWaits(context);
  return boundaryEvents.length === 0 ? request : { ...request, boundaryEvents };
}

/** Throws `EventCaught` when the interrupt was answered by one of the node's events; else gives the answer. */
export function answerOrEvent(node: NodeIR, answer: unknown): unknown {
  const fired = readFiredEvent(answer);
  const caught = fired && node.events?.find((event) => event.target === fired.firedEvent);
  if (caught) throw new EventCaught(node.id, caught, fired.variables);
  return answer;
}

/**
 * Writes the variables an event was delivered with to the channels of the same names (others stay
 * in the node's output); a timer resumes with none. A host answers with a `FiredEvent` or, a person
 * through `loomflow resume`, with the variables themselves.
 */
function delivered(channels: ExecutionContext['channels'], value: unknown): ExecutionResult {
  const variables = readFiredEvent(value)?.variables ?? value;
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) return { update: {}, output: variables ?? null };
  return { update: Object.fromEntries(Object.entries(variables).filter(([key]) => channels.has(key))), output: variables };
}

/**
 * Waits for its own event, and for its boundary events beside it when it has any (then as one
 * `events` wait, the first to come winning).
 */
function awaitOwnEvent(context: ExecutionContext, event: AwaitedEvent): ExecutionResult {
  const { node, channels } = context;
  const own = eventWait(context, node.id, event, 0) as EventWait;
  const boundaryEvents = eventWaits(context);
  if (boundaryEvents.length === 0) return delivered(channels, interrupt(own));
  const wait: EventsWait = { kind: 'events', nodeId: node.id, events: [own, ...boundaryEvents] };
  return delivered(channels, answerOrEvent(node, interrupt(wait)));
}

/** An intermediate catch event: waits for its timer, message or signal. */
export const runCatchEvent: Executor = (context) => awaitOwnEvent(context, context.node.config.eventDefinition as AwaitedEvent);

export const runReceiveTask: Executor = (context) => {
  const { messageName, correlationKey } = context.node.config as { messageName: string; correlationKey?: string };
  return awaitOwnEvent(context, { type: 'message', messageName, ...(correlationKey === undefined ? {} : { correlationKey }) });
};

/**
 * An event-based gateway waits for the events after it; the first to come continues at its catch
 * event (or receive task), and the others are withdrawn with the interrupt. An answer naming none
 * of them (a person's plain variables) is refused and the gateway waits on.
 */
export const runEventBasedGateway: Executor = (context) => {
  const { node } = context;
  const events = eventWaits(context);
  if (events.length === 0) throw new NodeExecutionError(node.id, 'bpmn.gateway', 'an event-based gateway needs catch events or receive tasks after it to wait for', DETERMINISTIC);
  const wait: EventsWait = { kind: 'events', nodeId: node.id, events };
  answerOrEvent(node, interrupt(wait));
  const names = events.map((event) => `"${event.nodeId}"`).join(', ');
  for (;;) answerOrEvent(node, interrupt({ ...wait, rejected: `answer with the event that came: {"firedEvent": one of ${names}, "variables": {…}}` }));
};

/** Types whose node waits with its `events` (user and receive tasks with boundary events, the gateway); others refuse them when compiled. */
const waitsWithEvents = new Set(['bpmn.userTask', 'bpmn.receiveTask', 'bpmn.eventBasedGateway']);

/** Why a node's timer, message or signal boundary events cannot run, or undefined. */
export function boundaryEventRefusal(node: NodeIR): string | undefined {
  if (!node.events || waitsWithEvents.has(node.executor)) return undefined;
  const boundaries = node.events.map((event) => `the ${event.event.type} boundary event "${event.target}"`).join(', ');
  return `${boundaries} cannot run on it: timer, message and signal boundary events run on user tasks and receive tasks only`;
}
