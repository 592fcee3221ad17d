// What a BPMN process waiting for an event puts in its interrupt (the `payload` of an `interrupt`
// event of kind `timer` or `message`): written by the runtime's catch events and receive tasks,
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

export const waitRequestSchema = z.discriminatedUnion('kind', [timerWaitSchema, messageWaitSchema]);

export type TimerWait = z.infer<typeof timerWaitSchema>;
export type MessageWait = z.infer<typeof messageWaitSchema>;
export type WaitRequest = z.infer<typeof waitRequestSchema>;

/** The event wait an interrupt's payload holds, or undefined (a human request, a breakpoint). */
export function readWaitRequest(payload: unknown): WaitRequest | undefined {
  const parsed = waitRequestSchema.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}
