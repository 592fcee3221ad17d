// The knowledge store's refusals as the API's domain errors, which app.onError answers.
import { KnowledgeError, type KnowledgeErrorCode } from '@loomflow/knowledge';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError } from '../errors';

const statusOf: Record<KnowledgeErrorCode, ContentfulStatusCode> = {
  knowledge_base_not_found: 404,
  document_not_found: 404,
  knowledge_base_exists: 409,
  document_unreadable: 422,
  document_empty: 422,
  no_embedding_model: 422,
};

/** Runs a store call, turning its KnowledgeError into the DomainError of the same code. */
export async function answering<Result>(call: Promise<Result>): Promise<Result> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof KnowledgeError) throw new DomainError(statusOf[error.code], error.code, error.message);
    throw error;
  }
}
