// Request and response shapes of the flow routes; the routes validate with them and
// GET /api/openapi.json describes them.
import { elementIdSchema, flowDocumentSchema, flowIdSchema } from '@loomflow/graph-schema';
import { z } from 'zod';

export const flowIdParamSchema = z.object({ id: flowIdSchema });
export const versionParamSchema = z.object({ id: flowIdSchema, version: z.coerce.number().int().positive() });

export const listFlowsQuerySchema = z.object({
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Nodes a debug run pauses before or after. */
export const breakpointsSchema = z.strictObject({ before: z.array(elementIdSchema).max(10_000).default([]), after: z.array(elementIdSchema).max(10_000).default([]) });
export const debugSettingsBodySchema = z.strictObject({ breakpoints: breakpointsSchema });
export const debugSettingsSchema = z.object({ breakpoints: z.object({ before: z.array(z.string()), after: z.array(z.string()) }), revision: z.number().int() });

export const updateFlowBodySchema = z.object({ flow: flowDocumentSchema, revision: z.number().int().positive() });
export const duplicateFlowBodySchema = z.object({ id: flowIdSchema.optional(), name: z.string().min(1).max(200).optional() });
export const publishFlowBodySchema = z.object({ message: z.string().max(2000).default('') });

const validationIssueSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  path: z.array(z.union([z.string(), z.number()])),
});

export const flowSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['agent', 'bpmn']),
  revision: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export const listFlowsResponseSchema = z.object({ items: z.array(flowSummarySchema), total: z.number() });
export const flowResponseSchema = z.object({ flow: flowDocumentSchema, revision: z.number(), updatedAt: z.number(), issues: z.array(validationIssueSchema) });
export const revisionResponseSchema = z.object({ id: z.string(), revision: z.number(), issues: z.array(validationIssueSchema) });
export const validateResponseSchema = z.object({ ok: z.boolean(), issues: z.array(validationIssueSchema) });
export const versionSummarySchema = z.object({ version: z.number(), message: z.string(), revision: z.number(), createdAt: z.number() });
export const versionResponseSchema = versionSummarySchema.extend({ flow: flowDocumentSchema });
