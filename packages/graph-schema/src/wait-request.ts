// What a BPMN process waiting for an event puts in its interrupt (the `payload` of an `interrupt`
// event of kind `timer`, `message`, `signal` or `events`): written by the runtime's catch events and receive tasks,
// read by the runtime's thread state, the server (which stores a timer row or a message
// subscription of it and resumes the thread when the timer is due or the message arrives) and the
// CLI (which says what the thread waits for). Beside the run events, since the browser reads them too.
import { z } from 'zod';

export const timerWaitSchema = z.object({
  kind: z.literal('timer'),
  nodeId: z.string(),
  /** When the timer fires, in milliseconds since the epoch, by the run's clock. */
  dueAt: z.number(),
  /** The drawn timer value (ISO 8601 date or duration), for people. */
  timer: z.string(),
});

export const messageWaitSchema = z.object({
  kind: z.literal('message'),
  nodeId: z.string(),
  messageName: z.string(),
  /** The correlation key evaluated when the process started waiting; absent: any instance's message. */
  correlationKey: z.string().optional(),
});

export const signalWaitSchema = z.object({
  kind: z.literal('signal'),
  nodeId: z.string(),
  /** Signals are broadcast: every instance waiting for this name receives one. */
  signalName: z.string(),
});

/** One event a node waits for; `nodeId` is the node that catches it (a catch event, a boundary event). */
export const eventWaitSchema = z.discriminatedUnion('kind', [timerWaitSchema, messageWaitSchema, signalWaitSchema]);

/**
 * Several events at once, the first to come wins: an event-based gateway's (`nodeId` the gateway,
 * each event's `nodeId` the catch event or receive task after it).
 */
export const eventsWaitSchema = z.object({ kind: z.literal('events'), nodeId: z.string(), events: z.array(eventWaitSchema) });

export const waitRequestSchema = z.discriminatedUnion('kind', [timerWaitSchema, messageWaitSchema, signalWaitSchema, eventsWaitSchema]);

export type TimerWait = z.infer<typeof timerWaitSchema>;
export type MessageWait = z.infer<typeof messageWaitSchema>;
export type SignalWait = z.infer<typeof signalWaitSchema>;
export type EventWait = z.infer<typeof eventWaitSchema>;
export type EventsWait = z.infer<typeof eventsWaitSchema>;
export type WaitRequest = z.infer<typeof waitRequestSchema>;

/** The event wait an interrupt's payload holds, or undefined (a human request, a breakpoint). */
export function readWaitRequest(payload: unknown): WaitRequest | undefined {
  const parsed = waitRequestSchema.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}

/** An interrupt that waits on something else too carries its events here: a user task's boundary events. */
const boundaryEventsSchema = z.object({ boundaryEvents: z.array(eventWaitSchema) });

/**
 * Every event an interrupt waits for, whoever else may answer it: a catch event's one, an
 * event-based gateway's, a user task's boundary events. A host stores a timer or subscription for
 * each and withdraws the others once one of them (or the person) answered.
 */
export function eventWaitsOf(payload: unknown): EventWait[] {
  const wait = readWaitRequest(payload);
  if (wait) return wait.kind === 'events' ? wait.events : [wait];
  const boundary = boundaryEventsSchema.safeParse(payload);
  return boundary.success ? boundary.data.boundaryEvents : [];
}

/**
 * How a host answers an interrupt with one of its events: which catching node's event came, and
 * the variables it came with (a message's; none for a timer or a signal sent without).
 */
export const firedEventSchema = z.object({ firedEvent: z.string(), variables: z.record(z.string(), z.unknown()) });
export type FiredEvent = z.infer<typeof firedEventSchema>;

export function readFiredEvent(value: unknown): FiredEvent | undefined {
  const parsed = firedEventSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
