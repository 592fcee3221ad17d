// Knowledge bases → documents → passages (chunks), in the libsql database the host already has.
// Keyword search is FTS5's BM25 and needs no model; when the host gives a base an embedder, its
// passages are embedded too, into a vector table of that base's width with a libsql vector index,
// and `vector` and `hybrid` (reciprocal rank fusion of both lists) searches become possible.
import type { Client, InStatement, Row } from '@libsql/client';
import { applyMigrations } from '@loomflow/checkpoint-libsql';
import { randomUUID } from 'node:crypto';
import { chunkText } from './chunk';
import { DocumentReadError, extractDocumentText, type DocumentMediaType } from './extract';
import { KNOWLEDGE_MIGRATIONS_TABLE, knowledgeMigrations } from './migrations';
import { indexText, matchQuery } from './segment';

/** Turns passages and queries into vectors: an embedding model, as the host configures it. */
export interface Embedder {
  embed(texts: readonly string[], options?: { readonly signal?: AbortSignal }): Promise<number[][]>;
}

export interface KnowledgeBase {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly chunkSize: number;
  readonly chunkOverlap: number;
  /** How the host embeds this base's passages (opaque here), or null: keyword search only. */
  readonly embedding: Readonly<Record<string, unknown>> | null;
  readonly documentCount: number;
  readonly chunkCount: number;
  readonly createdAt: number;
}

export interface NewKnowledgeBase {
  readonly id: string;
  readonly name: string;
  readonly description?: string | undefined;
  readonly chunkSize?: number | undefined;
  readonly chunkOverlap?: number | undefined;
  readonly embedding?: Readonly<Record<string, unknown>> | null | undefined;
}

export interface KnowledgeDocument {
  readonly id: string;
  readonly knowledgeBaseId: string;
  /** Where the text came from: a file name or a URL, shown with every passage found in it. */
  readonly source: string;
  readonly mediaType: DocumentMediaType;
  readonly bytes: number;
  readonly chunkCount: number;
  readonly createdAt: number;
}

export type SearchMode = 'keyword' | 'vector' | 'hybrid';

export interface SearchRequest {
  readonly query: string;
  readonly mode: SearchMode;
  readonly topK: number;
  /** Passages scoring below it are left out; scores are those of the mode (see SearchHit). */
  readonly scoreThreshold?: number | undefined;
}

export interface SearchHit {
  readonly content: string;
  /**
   * Higher is better. keyword: BM25 negated (0 and up); vector: cosine similarity (−1 to 1);
   * hybrid: the reciprocal-rank-fusion sum, 1/(60 + rank) over both lists.
   */
  readonly score: number;
  readonly source: string;
  readonly documentId: string;
  /** The passage's place in its document, from 0. */
  readonly position: number;
  readonly chunkId: number;
}

export type KnowledgeErrorCode = 'knowledge_base_not_found' | 'knowledge_base_exists' | 'document_not_found' | 'document_unreadable' | 'document_empty' | 'no_embedding_model';

export class KnowledgeError extends Error {
  override readonly name = 'KnowledgeError';
  constructor(
    readonly code: KnowledgeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_CHUNK_SIZE = 800;
export const DEFAULT_CHUNK_OVERLAP = 100;
/** The k of reciprocal rank fusion, as in the paper that proposed it (Cormack et al., 2009). */
const RRF_K = 60;
/** How many candidates each list gives a hybrid search, per passage asked for. */
const HYBRID_CANDIDATES = 4;

interface BaseRow {
  readonly seq: number;
  readonly base: KnowledgeBase;
  readonly dimensions: number | null;
}

const vectorTable = (seq: number) => `kb_vectors_${seq}`;

export interface KnowledgeStoreOptions {
  /** The embedder of a base whose `embedding` is set; undefined when the host cannot provide it. */
  readonly embedderOf?: (base: KnowledgeBase) => Embedder | undefined;
}

export class KnowledgeStore {
  private constructor(
    private readonly client: Client,
    private readonly options: KnowledgeStoreOptions,
  ) {}

  /** Brings the knowledge tables up to date in `client`'s database and returns a store over them. */
  static async open(client: Client, options: KnowledgeStoreOptions = {}): Promise<KnowledgeStore> {
    await applyMigrations(client, knowledgeMigrations, KNOWLEDGE_MIGRATIONS_TABLE);
    return new KnowledgeStore(client, options);
  }

  async create(input: NewKnowledgeBase): Promise<KnowledgeBase> {
    const createdAt = Date.now();
    const result = await this.client.execute({
      sql: `INSERT INTO kb_knowledge_bases (id, name, description, chunk_size, chunk_overlap, embedding, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      args: [
        input.id,
        input.name,
        input.description ?? '',
        input.chunkSize ?? DEFAULT_CHUNK_SIZE,
        input.chunkOverlap ?? DEFAULT_CHUNK_OVERLAP,
        input.embedding ? JSON.stringify(input.embedding) : null,
        createdAt,
      ],
    });
    if (result.rowsAffected === 0) throw new KnowledgeError('knowledge_base_exists', `A knowledge base with id "${input.id}" exists already.`);
    return (await this.#base(input.id)).base;
  }

  async list(): Promise<KnowledgeBase[]> {
    const { rows } = await this.client.execute(`${BASE_SELECT} ORDER BY b.created_at, b.id`);
    return rows.map((row) => toBase(row).base);
  }

  async get(id: string): Promise<KnowledgeBase | undefined> {
    return (await this.#find(id))?.base;
  }

  /** Deletes the base with its documents, passages and indexes; false when there is none. */
  async delete(id: string): Promise<boolean> {
    const found = await this.#find(id);
    if (!found) return false;
    await this.client.batch(
      [
        { sql: 'DELETE FROM kb_chunks_fts WHERE rowid IN (SELECT id FROM kb_chunks WHERE knowledge_base_seq = ?)', args: [found.seq] },
        ...(found.dimensions === null ? [] : [`DROP TABLE IF EXISTS ${vectorTable(found.seq)}`]),
        { sql: 'DELETE FROM kb_chunks WHERE knowledge_base_seq = ?', args: [found.seq] },
        { sql: 'DELETE FROM kb_documents WHERE knowledge_base_seq = ?', args: [found.seq] },
        { sql: 'DELETE FROM kb_knowledge_bases WHERE seq = ?', args: [found.seq] },
      ],
      'write',
    );
    return true;
  }

  /**
   * Reads, cuts and indexes a document (and embeds its passages when the base has an embedder),
   * all stored in one write: a document is found whole or not at all.
   */
  async addDocument(
    knowledgeBaseId: string,
    document: { readonly source: string; readonly mediaType: DocumentMediaType; readonly content: Uint8Array },
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<KnowledgeDocument> {
    const { seq, base, dimensions } = await this.#base(knowledgeBaseId);
    let text: string;
    try {
      text = await extractDocumentText(document.content, document.mediaType);
    } catch (error) {
      if (error instanceof DocumentReadError) throw new KnowledgeError('document_unreadable', `"${document.source}": ${error.message}.`);
      throw error;
    }
    const chunks = await chunkText(text, document.mediaType, base);
    if (chunks.length === 0) throw new KnowledgeError('document_empty', `"${document.source}" has no text to index.`);

    const embedder = this.#embedder(base);
    const vectors = embedder ? await embedder.embed(chunks, options) : undefined;
    const width = vectors?.[0]?.length;
    if (vectors && (vectors.length !== chunks.length || !width || vectors.some((vector) => vector.length !== width))) {
      throw new KnowledgeError('no_embedding_model', `The embedding model of knowledge base "${base.id}" returned ${vectors.length} vectors of mixed or zero width for ${chunks.length} passages.`);
    }
    if (vectors && dimensions !== null && width !== dimensions) {
      throw new KnowledgeError('no_embedding_model', `The embedding model of knowledge base "${base.id}" returned vectors of ${width} numbers; its passages so far have ${dimensions}.`);
    }

    const id = randomUUID();
    const createdAt = Date.now();
    const statements: InStatement[] = [];
    if (vectors && dimensions === null) {
      statements.push(
        `CREATE TABLE IF NOT EXISTS ${vectorTable(seq)} (chunk_id INTEGER PRIMARY KEY, embedding F32_BLOB(${width}) NOT NULL)`,
        // libsql's defaults (neighbours from the width, float32 neighbour copies, a wide insert
        // search) cost ~16 ms per 384-wide passage here; these cost ~3 ms with a recall@5 that
        // bench:ai measures against an exact scan.
        `CREATE INDEX IF NOT EXISTS ${vectorTable(seq)}_idx ON ${vectorTable(seq)} (libsql_vector_idx(embedding, 'metric=cosine', 'max_neighbors=32', 'compress_neighbors=float8', 'insert_l=40'))`,
        { sql: 'UPDATE kb_knowledge_bases SET embedding_dimensions = ? WHERE seq = ?', args: [width ?? null, seq] },
      );
    }
    statements.push({
      sql: 'INSERT INTO kb_documents (id, knowledge_base_seq, source, media_type, bytes, chunk_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      args: [id, seq, document.source, document.mediaType, document.content.byteLength, chunks.length, createdAt],
    });
    // The index rows name their passage by its place in this new document: the batch runs on
    // one connection, as one transaction, so the ids AUTOINCREMENT gives are known by then.
    const chunkId = 'SELECT id FROM kb_chunks WHERE document_id = ? AND position = ?';
    chunks.forEach((content, position) => {
      statements.push(
        { sql: 'INSERT INTO kb_chunks (document_id, knowledge_base_seq, position, content) VALUES (?, ?, ?, ?)', args: [id, seq, position, content] },
        { sql: `INSERT INTO kb_chunks_fts (rowid, words) VALUES ((${chunkId}), ?)`, args: [id, position, indexText(content)] },
      );
      const vector = vectors?.[position];
      if (vector) statements.push({ sql: `INSERT INTO ${vectorTable(seq)} (chunk_id, embedding) VALUES ((${chunkId}), vector32(?))`, args: [id, position, JSON.stringify(vector)] });
    });
    await this.client.batch(statements, 'write');
    return { id, knowledgeBaseId: base.id, source: document.source, mediaType: document.mediaType, bytes: document.content.byteLength, chunkCount: chunks.length, createdAt };
  }

  async listDocuments(knowledgeBaseId: string): Promise<KnowledgeDocument[]> {
    const { seq, base } = await this.#base(knowledgeBaseId);
    const { rows } = await this.client.execute({ sql: 'SELECT * FROM kb_documents WHERE knowledge_base_seq = ? ORDER BY created_at, id', args: [seq] });
    return rows.map((row) => toDocument(row, base.id));
  }

  async deleteDocument(knowledgeBaseId: string, documentId: string): Promise<void> {
    const { seq, dimensions } = await this.#base(knowledgeBaseId);
    const chunkIds = 'SELECT id FROM kb_chunks WHERE document_id = ?';
    const results = await this.client.batch(
      [
        { sql: `DELETE FROM kb_chunks_fts WHERE rowid IN (${chunkIds})`, args: [documentId] },
        ...(dimensions === null ? [] : [{ sql: `DELETE FROM ${vectorTable(seq)} WHERE chunk_id IN (${chunkIds})`, args: [documentId] }]),
        { sql: 'DELETE FROM kb_chunks WHERE document_id = ?', args: [documentId] },
        { sql: 'DELETE FROM kb_documents WHERE id = ? AND knowledge_base_seq = ?', args: [documentId, seq] },
      ],
      'write',
    );
    if (results.at(-1)?.rowsAffected === 0) throw new KnowledgeError('document_not_found', `Knowledge base "${knowledgeBaseId}" has no document "${documentId}".`);
  }

  async search(knowledgeBaseId: string, request: SearchRequest, options: { readonly signal?: AbortSignal } = {}): Promise<SearchHit[]> {
    const found = await this.#base(knowledgeBaseId);
    const embedder = this.#embedder(found.base);
    const canEmbed = embedder !== undefined && found.dimensions !== null;
    if (request.mode === 'vector' && !canEmbed) {
      throw new KnowledgeError(
        'no_embedding_model',
        `Knowledge base "${knowledgeBaseId}" has no embedded passages or no embedding model; search it with mode "keyword" or configure an embedding model.`,
      );
    }
    let hits: SearchHit[];
    if (request.mode === 'keyword' || (request.mode === 'hybrid' && !canEmbed)) {
      // A base without vectors searches by keyword in hybrid mode: it is what it has.
      hits = await this.#keyword(found.seq, request.query, request.topK);
    } else {
      const [vector] = await (embedder as Embedder).embed([request.query], options);
      if (!vector || vector.length !== found.dimensions) {
        throw new KnowledgeError('no_embedding_model', `The embedding model of knowledge base "${knowledgeBaseId}" returned no vector of ${found.dimensions} numbers for the query.`);
      }
      if (request.mode === 'vector') hits = await this.#vector(found.seq, vector, request.topK);
      else {
        const candidates = request.topK * HYBRID_CANDIDATES;
        hits = fuse([await this.#keyword(found.seq, request.query, candidates), await this.#vector(found.seq, vector, candidates)], request.topK);
      }
    }
    const threshold = request.scoreThreshold;
    return threshold === undefined ? hits : hits.filter((hit) => hit.score >= threshold);
  }

  /**
   * Search in the shape of the runtime's `Retriever` service (structurally: this package does not
   * import the runtime), so a host passes the store as the service agent.retriever steps call.
   */
  async retrieve(
    request: SearchRequest & { readonly knowledgeBase: string },
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<{ content: string; score: number; metadata: { source: string; documentId: string; position: number } }[]> {
    const hits = await this.search(request.knowledgeBase, request, options);
    return hits.map(({ content, score, source, documentId, position }) => ({ content, score, metadata: { source, documentId, position } }));
  }

  async #keyword(seq: number, query: string, limit: number): Promise<SearchHit[]> {
    const match = matchQuery(query);
    if (!match) return [];
    const { rows } = await this.client.execute({
      sql: `SELECT c.id AS chunk_id, c.content, c.position, d.id AS document_id, d.source, bm25(kb_chunks_fts) AS rank
            FROM kb_chunks_fts JOIN kb_chunks c ON c.id = kb_chunks_fts.rowid JOIN kb_documents d ON d.id = c.document_id
            WHERE kb_chunks_fts MATCH ? AND c.knowledge_base_seq = ?
            ORDER BY rank, c.id LIMIT ?`,
      args: [match, seq, limit],
    });
    // bm25() is lower for better matches; negated, higher is better as in the other modes.
    return rows.map((row) => toHit(row, -Number(row.rank)));
  }

  async #vector(seq: number, vector: readonly number[], limit: number): Promise<SearchHit[]> {
    const table = vectorTable(seq);
    const literal = JSON.stringify(vector);
    const { rows } = await this.client.execute({
      sql: `SELECT c.id AS chunk_id, c.content, c.position, d.id AS document_id, d.source, vector_distance_cos(v.embedding, vector32(?)) AS distance
            FROM vector_top_k('${table}_idx', vector32(?), ?) AS top JOIN ${table} v ON v.rowid = top.id
            JOIN kb_chunks c ON c.id = v.chunk_id JOIN kb_documents d ON d.id = c.document_id
            ORDER BY distance, c.id`,
      args: [literal, literal, limit],
    });
    return rows.map((row) => toHit(row, 1 - Number(row.distance)));
  }

  #embedder(base: KnowledgeBase): Embedder | undefined {
    return base.embedding ? this.options.embedderOf?.(base) : undefined;
  }

  async #find(id: string): Promise<BaseRow | undefined> {
    const { rows } = await this.client.execute({ sql: `${BASE_SELECT} WHERE b.id = ?`, args: [id] });
    return rows[0] ? toBase(rows[0]) : undefined;
  }

  async #base(id: string): Promise<BaseRow> {
    const found = await this.#find(id);
    if (!found) throw new KnowledgeError('knowledge_base_not_found', `No knowledge base with id "${id}".`);
    return found;
  }
}

const BASE_SELECT = `SELECT b.*,
  (SELECT COUNT(*) FROM kb_documents d WHERE d.knowledge_base_seq = b.seq) AS document_count,
  (SELECT COUNT(*) FROM kb_chunks c WHERE c.knowledge_base_seq = b.seq) AS chunk_count
  FROM kb_knowledge_bases b`;

function toBase(row: Row): BaseRow {
  const embedding = typeof row.embedding === 'string' ? (JSON.parse(row.embedding) as Record<string, unknown>) : null;
  return {
    seq: Number(row.seq),
    dimensions: row.embedding_dimensions === null ? null : Number(row.embedding_dimensions),
    base: {
      id: String(row.id),
      name: String(row.name),
      description: String(row.description),
      chunkSize: Number(row.chunk_size),
      chunkOverlap: Number(row.chunk_overlap),
      embedding,
      documentCount: Number(row.document_count),
      chunkCount: Number(row.chunk_count),
      createdAt: Number(row.created_at),
    },
  };
}

function toDocument(row: Row, knowledgeBaseId: string): KnowledgeDocument {
  return {
    id: String(row.id),
    knowledgeBaseId,
    source: String(row.source),
    mediaType: String(row.media_type) as DocumentMediaType,
    bytes: Number(row.bytes),
    chunkCount: Number(row.chunk_count),
    createdAt: Number(row.created_at),
  };
}

function toHit(row: Row, score: number): SearchHit {
  return { content: String(row.content), score, source: String(row.source), documentId: String(row.document_id), position: Number(row.position), chunkId: Number(row.chunk_id) };
}

/** Reciprocal rank fusion: each passage scores 1/(k + rank) in every list it is in, summed. */
function fuse(lists: readonly (readonly SearchHit[])[], topK: number): SearchHit[] {
  const fused = new Map<number, { hit: SearchHit; score: number }>();
  for (const list of lists) {
    list.forEach((hit, index) => {
      const entry = fused.get(hit.chunkId) ?? { hit, score: 0 };
      entry.score += 1 / (RRF_K + index + 1);
      fused.set(hit.chunkId, entry);
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.hit.chunkId - b.hit.chunkId)
    .slice(0, topK)
    .map(({ hit, score }) => ({ ...hit, score }));
}
