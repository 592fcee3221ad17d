// The knowledge tables, as migrations in code (the apps are bundled into one file with no folder
// of .sql beside them). Written by hand rather than by drizzle-kit: FTS5 virtual tables and libsql
// vector columns are outside what its schema language describes. They run through the same
// applier as the checkpoint tables, recorded in a table of their own.
import type { EmbeddedMigration } from '@loomflow/checkpoint-libsql';

export const KNOWLEDGE_MIGRATIONS_TABLE = '__loomflow_knowledge_migrations';

const breakpoint = '\n--> statement-breakpoint\n';

export const knowledgeMigrations: readonly EmbeddedMigration[] = [
  {
    tag: '0000_knowledge_bases',
    folderMillis: 1_796_342_400_000,
    sql: [
      `CREATE TABLE kb_knowledge_bases (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  chunk_size INTEGER NOT NULL,
  chunk_overlap INTEGER NOT NULL,
  -- How its passages are embedded, as the host describes it (a provider and a model), or NULL.
  embedding TEXT,
  -- Set by the first embedded passage: the width of this base's vector table.
  embedding_dimensions INTEGER,
  created_at INTEGER NOT NULL
)`,
      `CREATE TABLE kb_documents (
  id TEXT PRIMARY KEY,
  knowledge_base_seq INTEGER NOT NULL REFERENCES kb_knowledge_bases(seq) ON DELETE CASCADE,
  source TEXT NOT NULL,
  media_type TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  chunk_count INTEGER NOT NULL,
  created_at INTEGER NOT NULL
)`,
      'CREATE INDEX kb_documents_by_base ON kb_documents (knowledge_base_seq, created_at)',
      `CREATE TABLE kb_chunks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id TEXT NOT NULL REFERENCES kb_documents(id) ON DELETE CASCADE,
  knowledge_base_seq INTEGER NOT NULL,
  position INTEGER NOT NULL,
  content TEXT NOT NULL
)`,
      'CREATE INDEX kb_chunks_by_document ON kb_chunks (document_id, position)',
      // Contentless: the text lives in kb_chunks, and a chunk's rowid here is its id there; this
      // holds only the index of its words, which segment.ts has split (Chinese included) and
      // joined with spaces for unicode61 to read.
      "CREATE VIRTUAL TABLE kb_chunks_fts USING fts5(words, content='', contentless_delete=1, tokenize='unicode61')",
    ].join(breakpoint),
  },
];
