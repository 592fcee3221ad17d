// The run event protocol (docs/run-events.md): produced by the runtime, carried unchanged by the
// CLI (NDJSON), the server (SSE) and the web debugger. It lives here, not in the runtime, because
// the browser reads it and must not import the runtime.
import { z } from 'zod';

export const RUN_EVENT_VERSION = 1;

const envelope = {
  v: z.literal(RUN_EVENT_VERSION),
  runId: z.string(),
  threadId: z.string(),
  /** 0, 1, 2… within one run; the SSE `id:`. */
  seq: z.number().int().nonnegative(),
  /** Milliseconds since the epoch. */
  ts: z.number(),
};

const state = z.record(z.string(), z.unknown());
const nodeRef = { nodeId: z.string(), nodeType: z.string() };

export const runEventSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('run.started'), flowId: z.string(), input: z.unknown() }),
  z.object({
    ...envelope,
    type: z.literal('node.started'),
    ...nodeRef,
    input: state,
    attempt: z.number().int().positive(),
    /**
     * The thread's superstep the node runs in (LangGraph's `langgraph_step`; the checkpoint it
     * writes has this step). A debugger going on from an earlier checkpoint keeps the executions
     * of steps up to it. Absent where a node runs outside a step of the thread's own graph.
     */
    step: z.number().int().optional(),
  }),
  z.object({
    ...envelope,
    type: z.literal('node.completed'),
    ...nodeRef,
    input: state,
    /** What the node produced, e.g. a model reply; often the same as `update`. */
    output: z.unknown(),
    /** The state update the node wrote, before reducers. */
    update: state,
    durationMs: z.number().nonnegative(),
  }),
  z.object({
    ...envelope,
    type: z.literal('node.failed'),
    ...nodeRef,
    error: z.object({ code: z.string(), message: z.string() }),
    attempt: z.number().int().positive(),
    durationMs: z.number().nonnegative(),
  }),
  z.object({ ...envelope, type: z.literal('llm.token'), nodeId: z.string(), token: z.string() }),
  z.object({ ...envelope, type: z.literal('tool.call'), nodeId: z.string(), toolCallId: z.string(), name: z.string(), args: z.unknown() }),
  z.object({
    ...envelope,
    type: z.literal('tool.result'),
    nodeId: z.string(),
    toolCallId: z.string(),
    name: z.string(),
    result: z.unknown(),
    isError: z.boolean(),
  }),
  z.object({
    ...envelope,
    type: z.literal('interrupt'),
    interruptId: z.string(),
    nodeId: z.string(),
    /**
     * `human`: a person must answer; `breakpoint`: the run paused where the user asked; `timer`,
     * `message`, `signal` and `events` (an event-based gateway's): a BPMN process waits for a
     * timer, a message or a signal (wait-request.ts), which the host delivers by resuming the thread.
     */
    kind: z.enum(['human', 'breakpoint', 'timer', 'message', 'signal', 'events']),
    payload: z.unknown(),
    /** JSON Schema the answer must satisfy, for human interrupts. */
    schema: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({ ...envelope, type: z.literal('checkpoint'), checkpointId: z.string(), parentId: z.string().optional(), step: z.number().int() }),
  z.object({ ...envelope, type: z.literal('run.completed'), state }),
  z.object({
    ...envelope,
    type: z.literal('run.failed'),
    error: z.object({ code: z.string(), message: z.string() }),
    nodeId: z.string().optional(),
  }),
  z.object({ ...envelope, type: z.literal('run.cancelled'), reason: z.string().optional() }),
]);

export type RunEvent = z.infer<typeof runEventSchema>;
export type RunEventType = RunEvent['type'];
/** An event before the run stamps it with its envelope. */
export type RunEventBody = RunEvent extends infer Event ? (Event extends RunEvent ? Omit<Event, keyof typeof envelope> : never) : never;
/** What every event carries besides its body; the protocol version is added by `stampRunEvent`. */
export type RunEventEnvelope = Omit<z.infer<z.ZodObject<typeof envelope>>, 'v'>;

/**
 * A body with its envelope: the one place an event is put together, for the runtime as it runs and
 * for a host writing an outcome the runtime could not (the server's recovery).
 */
export function stampRunEvent(body: RunEventBody, envelope: RunEventEnvelope): RunEvent {
  // Spreading a union member's body keeps its type's fields, which TypeScript cannot follow.
  return { ...body, v: RUN_EVENT_VERSION, ...envelope } as RunEvent;
}
/**
 * The events that end a run: each run emits exactly one of them, last. An `interrupt` is not one:
 * a run that waits emits one interrupt per waiting step, so none of them marks the last event
 * (the server's SSE stream and the CLI both rely on this).
 */
export const terminalRunEventTypes = ['run.completed', 'run.failed', 'run.cancelled'] as const satisfies readonly RunEventType[];
export type TerminalRunEventType = (typeof terminalRunEventTypes)[number];
export type TerminalRunEvent = Extract<RunEvent, { type: TerminalRunEventType }>;

const terminalTypes: ReadonlySet<RunEventType> = new Set(terminalRunEventTypes);

/** Whether the run ends with this event (see `terminalRunEventTypes`). */
export function isTerminalRunEvent(event: RunEvent): event is TerminalRunEvent {
  return terminalTypes.has(event.type);
}
