export { documentMediaTypes, isDocumentMediaType, mediaTypeOfFileName, type DocumentMediaType } from './extract';
export {
  DEFAULT_CHUNK_OVERLAP,
  DEFAULT_CHUNK_SIZE,
  KnowledgeError,
  KnowledgeStore,
  type Embedder,
  type KnowledgeBase,
  type KnowledgeDocument,
  type KnowledgeErrorCode,
  type KnowledgeStoreOptions,
  type NewKnowledgeBase,
  type SearchHit,
  type SearchMode,
  type SearchRequest,
} from './knowledge-store';
