import Database from 'libsql';
import type { InStatement, InValue } from '@libsql/client';
import { BUSY_TIMEOUT_MS } from './open-client';

/**
 * Distinct SQL texts kept prepared. The saver's statements are a handful of fixed texts plus one
 * per row count of a multi-row insert and one per shape of `list` filter; past this many the cache
 * starts over, so an unusual workload cannot grow it without bound.
 */
const PREPARED_STATEMENTS_LIMIT = 256;

/**
 * The saver's own connection to a database file, through libsql's synchronous, better-sqlite3-like
 * API, with every statement prepared once and reused. @libsql/client prepares each statement it is
 * given on every call, which cost more than running the saver's statements (see ARCHITECTURE.md).
 *
 * Every call is synchronous, so a transaction here begins and commits within one turn of the event
 * loop: it never holds the write lock across an await, and can never wait on this process's other
 * connections to finish work that needs the event loop.
 */
export class LocalDatabase {
  private readonly database: Database.Database;
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(path: string) {
    // libsql's `timeout` is the same busy timeout @libsql/client passes it for its own connections.
    this.database = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    // Per connection, as in openLibsqlClient (WAL mode is a property of the file, already set).
    this.database.exec('PRAGMA synchronous = NORMAL');
  }

  /** The rows of a statement, as objects keyed by column name. */
  all<Row>(statement: InStatement): Row[] {
    const { sql, args } = splitStatement(statement);
    return this.statement(sql).all(args) as Row[];
  }

  /** Runs the statements in order as one transaction: all of them or, on an error, none. */
  runInTransaction(statements: InStatement[]): void {
    if (statements.length === 1) {
      this.runOne(statements[0] as InStatement);
      return;
    }
    // IMMEDIATE takes the write lock first, so a busy database makes BEGIN wait, not a later write.
    this.statement('BEGIN IMMEDIATE').run([]);
    try {
      for (const statement of statements) this.runOne(statement);
      this.statement('COMMIT').run([]);
    } catch (error) {
      this.statement('ROLLBACK').run([]);
      throw error;
    }
  }

  close(): void {
    this.prepared.clear();
    this.database.close();
  }

  private runOne(statement: InStatement): void {
    const { sql, args } = splitStatement(statement);
    this.statement(sql).run(args);
  }

  private statement(sql: string): Database.Statement {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      if (this.prepared.size >= PREPARED_STATEMENTS_LIMIT) this.prepared.clear();
      statement = this.database.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }
}

function splitStatement(statement: InStatement): { sql: string; args: InValue[] } {
  if (typeof statement === 'string') return { sql: statement, args: [] };
  const { args } = statement;
  if (args !== undefined && !Array.isArray(args)) throw new Error('LocalDatabase binds positional arguments only');
  return { sql: statement.sql, args: args ?? [] };
}
