// POST /api/messages: a BPMN message from outside (a payment service, another system) correlated
// by name and correlation key to the process instance waiting for it, whose thread it resumes
// with its variables. POST /api/signals: a BPMN signal, broadcast to every instance waiting for it.
import { Hono } from 'hono';
import { z } from 'zod';
import type { RunManager } from '../runs/run-manager';
import { validate } from '../validation';

export const deliverMessageBodySchema = z.object({
  name: z.string().min(1).max(200),
  /** The value the waiting process's correlation key gave; absent for a process that waits without one. */
  correlationKey: z.union([z.string().max(1000), z.number()]).optional(),
  variables: z.record(z.string(), z.unknown()).default({}),
});
export const deliverMessageResponseSchema = z.object({ runId: z.string(), threadId: z.string() });
export const broadcastSignalBodySchema = z.object({
  name: z.string().min(1).max(200),
  variables: z.record(z.string(), z.unknown()).default({}),
});
/** The runs the signal started or resumed: none when nothing waited for it, which is no error. */
export const broadcastSignalResponseSchema = z.object({ runs: z.array(deliverMessageResponseSchema) });

export function messageRoutes({ runManager }: { readonly runManager: RunManager }) {
  return new Hono()
    .post('/messages', validate('json', deliverMessageBodySchema), async (c) => {
      const { name, correlationKey, variables } = c.req.valid('json');
      // A message no instance waits for is a NotFoundError naming it and its key (app.onError answers).
      const delivered = await runManager.deliverMessage({ name, correlationKey: correlationKey === undefined ? undefined : String(correlationKey), variables });
      return c.json(delivered, 202);
    })
    .post('/signals', validate('json', broadcastSignalBodySchema), async (c) => {
      const { name, variables } = c.req.valid('json');
      return c.json({ runs: await runManager.broadcastSignal({ name, variables }) }, 202);
    });
}
