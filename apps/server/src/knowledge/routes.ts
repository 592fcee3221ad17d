// /api/knowledge-bases: the knowledge bases agent.retriever steps search, their documents, and
// search itself. Uploads are JSON (text, or a file's bytes in base64) like every other write, so
// the cross-site rules of the request guard hold for them too.
import { isDocumentMediaType, mediaTypeOfFileName, type KnowledgeStore } from '@loomflow/knowledge';
import { Hono } from 'hono';
import { DomainError } from '../errors';
import { validate } from '../validation';
import { answering } from './knowledge-errors';
import { addDocumentBodySchema, createKnowledgeBaseBodySchema, documentParamSchema, knowledgeBaseParamSchema, searchBodySchema } from './schemas';

export interface KnowledgeRouteDependencies {
  readonly knowledge: KnowledgeStore;
  /** The largest document, in bytes once decoded (LOOMFLOW_MAX_DOCUMENT_BYTES). */
  readonly maxDocumentBytes: number;
}

const notFound = (id: string) => new DomainError(404, 'knowledge_base_not_found', `No knowledge base with id "${id}".`, { id });

export function knowledgeRoutes({ knowledge, maxDocumentBytes }: KnowledgeRouteDependencies) {
  return new Hono()
    .get('/knowledge-bases', async (c) => c.json({ items: await knowledge.list() }, 200))
    .post('/knowledge-bases', validate('json', createKnowledgeBaseBodySchema), async (c) => c.json(await answering(knowledge.create(c.req.valid('json'))), 201))
    .get('/knowledge-bases/:id', validate('param', knowledgeBaseParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      const base = await knowledge.get(id);
      if (!base) throw notFound(id);
      return c.json(base, 200);
    })
    .delete('/knowledge-bases/:id', validate('param', knowledgeBaseParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      if (!(await knowledge.delete(id))) throw notFound(id);
      return c.body(null, 204);
    })
    .get('/knowledge-bases/:id/documents', validate('param', knowledgeBaseParamSchema), async (c) =>
      c.json({ items: await answering(knowledge.listDocuments(c.req.valid('param').id)) }, 200),
    )
    .post('/knowledge-bases/:id/documents', validate('param', knowledgeBaseParamSchema), validate('json', addDocumentBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const mediaType = body.mediaType ?? mediaTypeOfFileName(body.source) ?? (body.text === undefined ? undefined : 'text/plain');
      if (!mediaType || !isDocumentMediaType(mediaType)) {
        throw new DomainError(415, 'unsupported_media_type', `"${body.source}" is not a text, Markdown, HTML or PDF file by its name; say which it is in mediaType.`, { source: body.source });
      }
      const content = body.text === undefined ? Buffer.from(body.contentBase64 ?? '', 'base64') : new TextEncoder().encode(body.text);
      if (content.byteLength > maxDocumentBytes) {
        throw new DomainError(413, 'document_too_large', `"${body.source}" has ${content.byteLength} bytes, over ${maxDocumentBytes}, the limit set by LOOMFLOW_MAX_DOCUMENT_BYTES.`, {
          bytes: content.byteLength,
          maxBytes: maxDocumentBytes,
        });
      }
      return c.json(await answering(knowledge.addDocument(id, { source: body.source, mediaType, content }, { signal: c.req.raw.signal })), 201);
    })
    .delete('/knowledge-bases/:id/documents/:documentId', validate('param', documentParamSchema), async (c) => {
      const { id, documentId } = c.req.valid('param');
      await answering(knowledge.deleteDocument(id, documentId));
      return c.body(null, 204);
    })
    .post('/knowledge-bases/:id/search', validate('param', knowledgeBaseParamSchema), validate('json', searchBodySchema), async (c) =>
      c.json({ items: await answering(knowledge.search(c.req.valid('param').id, c.req.valid('json'), { signal: c.req.raw.signal })) }, 200),
    );
}
