// The knowledge store's refusals, and the embedding model's failures, as the API's domain errors,
// which app.onError answers.
import { KnowledgeError, type KnowledgeErrorCode } from '@loomflow/knowledge';
import { EmbeddingError, type EmbeddingErrorCode } from '@loomflow/runtime';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError } from '../errors';

const statusOf: Record<KnowledgeErrorCode | EmbeddingErrorCode, ContentfulStatusCode> = {
  knowledge_base_not_found: 404,
  document_not_found: 404,
  knowledge_base_exists: 409,
  document_unreadable: 422,
  document_empty: 422,
  no_embedding_model: 422,
  // The base's embedding settings cannot be used as they are: the request cannot be done.
  embedding_misconfigured: 422,
  embedding_refused: 422,
  // The model's server could not be reached or answered an error: a gateway's failure.
  embedding_failed: 502,
};

/** Runs a store call, turning its KnowledgeError or EmbeddingError into the DomainError of the same code. */
export async function answering<Result>(call: Promise<Result>): Promise<Result> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof KnowledgeError || error instanceof EmbeddingError) throw new DomainError(statusOf[error.code], error.code, error.message);
    throw error;
  }
}
