import { elementIdSchema, flowIdSchema } from '@loomflow/graph-schema';
import { z } from 'zod';
import { runStatuses } from '../db/schema';
import { breakpointsSchema } from '../flows/schemas';

const threadIdSchema = z.string().min(1).max(200);

export const runIdParamSchema = z.object({ id: z.string().min(1).max(200) });
export const threadIdParamSchema = z.object({ id: threadIdSchema });
export const flowRunParamSchema = z.object({ id: flowIdSchema });

export const startRunBodySchema = z.object({
  input: z.record(z.string(), z.unknown()).default({}),
  threadId: threadIdSchema.optional(),
  /** A published version; without it the saved draft runs. */
  version: z.number().int().positive().optional(),
  breakpoints: breakpointsSchema.optional(),
  /** One node per step, for stepping and time travel (breakpoints imply it). */
  debug: z.boolean().optional(),
  /** Pause before the first node, to step from the start (implies debug). */
  step: z.boolean().optional(),
});

export const listRunsQuerySchema = z.object({
  flowId: flowIdSchema.optional(),
  threadId: threadIdSchema.optional(),
  status: z.enum(runStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const historyQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() });
export const stateQuerySchema = z.object({
  checkpointId: z.string().min(1).optional(),
  /** One channel's whole value; without it, values over the preview size come as previews. */
  channel: z.string().min(1).max(64).optional(),
});

export const updateStateBodySchema = z.object({
  values: z.record(z.string(), z.unknown()),
  /** The node the update is written as: the thread continues after it. */
  asNode: elementIdSchema,
  /** Fork from this checkpoint instead of writing on top of the latest. */
  checkpointId: z.string().min(1).optional(),
});

export const resumeBodySchema = z.object({
  interruptId: z.string().min(1).optional(),
  value: z.unknown(),
  /** Continue from this earlier checkpoint: a new branch of the thread; the first one stays. */
  checkpointId: z.string().min(1).optional(),
  /** Pause again before the next node (one step). */
  step: z.boolean().optional(),
  /** Where to pause from now on; without them the thread keeps those it has. */
  breakpoints: breakpointsSchema.optional(),
});

/**
 * `draft`: replay with the flow's current draft rather than the document the run ran.
 * `checkpointId`: replay only the continuation from that checkpoint of the run's thread, as a new
 * branch of the thread (the thread keeps its document, so not with `draft`).
 */
export const replayBodySchema = z
  .strictObject({ draft: z.boolean().default(false), checkpointId: z.string().min(1).optional() })
  .refine((body) => !(body.draft && body.checkpointId !== undefined), { path: ['checkpointId'], message: 'a replay from a checkpoint runs the document of its thread; it cannot take the draft' });

export const startRunResponseSchema = z.object({ runId: z.string(), threadId: z.string() });
export const resumeResponseSchema = z.object({ runId: z.string() });
