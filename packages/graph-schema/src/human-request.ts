// What a human step's interrupt carries (the `payload` of an `interrupt` event of kind `human`):
// written by the runtime's agent.human executor, read by the runtime's thread state, the server's
// task store (which makes a task of it) and the CLI (which prints what is asked). It lives beside
// the run events, not in the runtime, because the browser reads events too.
import { z } from 'zod';

export const humanRequestSchema = z.object({
  kind: z.literal('human'),
  nodeId: z.string(),
  /** The question, its `{{channel}}` placeholders filled. */
  prompt: z.string(),
  /** The JSON Schema (an object schema) the answer must satisfy. */
  schema: z.record(z.string(), z.unknown()),
  assignee: z.string().optional(),
  candidateGroups: z.array(z.string()).default([]),
  /** Why the previous answer was refused, when it was. */
  rejected: z.string().optional(),
});

export type HumanRequest = z.infer<typeof humanRequestSchema>;

/** The human request an interrupt's payload holds, or undefined when it holds none (a breakpoint, another kind of pause). */
export function readHumanRequest(payload: unknown): HumanRequest | undefined {
  const parsed = humanRequestSchema.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}
