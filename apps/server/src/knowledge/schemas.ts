// Request and response shapes of /api/knowledge-bases; GET /api/openapi.json describes them.
import { documentMediaTypes } from '@loomflow/knowledge';
import { z } from 'zod';
import { embeddingSettingsSchema } from './embedder';

export const knowledgeBaseIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be letters, digits, "_" or "-", not starting with "_" or "-"')
  .max(64);
export const knowledgeBaseParamSchema = z.object({ id: knowledgeBaseIdSchema });
export const documentParamSchema = z.object({ id: knowledgeBaseIdSchema, documentId: z.uuid() });

export const createKnowledgeBaseBodySchema = z
  .object({
    id: knowledgeBaseIdSchema,
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    /** Characters per passage. */
    chunkSize: z.number().int().min(100).max(8000).optional(),
    /** Characters a passage repeats of the one before, so a sentence cut in two is found whole. */
    chunkOverlap: z.number().int().min(0).max(4000).optional(),
    /** An OpenAI-compatible embedding model; without one the base is searched by keyword only. */
    embedding: embeddingSettingsSchema.optional(),
  })
  .refine((body) => (body.chunkOverlap ?? 100) < (body.chunkSize ?? 800), { message: 'chunkOverlap must be less than chunkSize', path: ['chunkOverlap'] });

/**
 * A document as text, or as the bytes of a file (a PDF) in base64. The media type may be left
 * out when the source's file name says it (`.md`, `.html`, `.pdf`, `.txt`).
 */
export const addDocumentBodySchema = z
  .object({
    source: z.string().trim().min(1).max(500),
    mediaType: z.enum(documentMediaTypes).optional(),
    text: z.string().optional(),
    contentBase64: z.base64().optional(),
  })
  .refine((body) => (body.text === undefined) !== (body.contentBase64 === undefined), { message: 'give the document as text or as contentBase64, not both or neither', path: ['text'] });

export const searchBodySchema = z.object({
  query: z.string().trim().min(1).max(2000),
  mode: z.enum(['keyword', 'vector', 'hybrid']).default('hybrid'),
  topK: z.number().int().min(1).max(50).default(4),
  scoreThreshold: z.number().optional(),
});

export const knowledgeBaseViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  chunkSize: z.number(),
  chunkOverlap: z.number(),
  embedding: z.record(z.string(), z.unknown()).nullable(),
  documentCount: z.number(),
  chunkCount: z.number(),
  createdAt: z.number(),
});
export const documentViewSchema = z.object({
  id: z.string(),
  knowledgeBaseId: z.string(),
  source: z.string(),
  mediaType: z.enum(documentMediaTypes),
  bytes: z.number(),
  chunkCount: z.number(),
  createdAt: z.number(),
});
export const searchResponseSchema = z.object({
  items: z.array(z.object({ content: z.string(), score: z.number(), source: z.string(), documentId: z.string(), position: z.number(), chunkId: z.number() })),
});
export const listKnowledgeBasesResponseSchema = z.object({ items: z.array(knowledgeBaseViewSchema) });
export const listDocumentsResponseSchema = z.object({ items: z.array(documentViewSchema) });
