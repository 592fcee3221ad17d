// A thread's checkpoints hold its state but not the flow that produced it, and a second `loomflow`
// process must rebuild that flow to resume or inspect the thread. The CLI therefore records, in
// the same database, which flow document (and which sub-flow documents) each thread runs.
import type { Client } from '@libsql/client';

/** What the CLI remembers about a thread it started. */
export interface ThreadRecord {
  readonly threadId: string;
  readonly flow: unknown;
  /** The file the flow was read from, as given on the command line; for messages only. */
  readonly flowPath: string | undefined;
  /** The documents of the sub-flows the flow may run, by flow id. */
  readonly subflows: Readonly<Record<string, unknown>>;
}

const THREADS_TABLE = 'loomflow_cli_threads';

/** The CLI's table; the checkpoint tables belong to checkpoint-libsql and are left alone. */
export class ThreadStore {
  #ready: Promise<unknown> | undefined;

  constructor(private readonly client: Client) {}

  /** Records the flow a thread runs; a later run on the same thread replaces it. */
  async remember(record: ThreadRecord): Promise<void> {
    await this.#ensureTable();
    await this.client.execute({
      sql: `INSERT INTO ${THREADS_TABLE} (thread_id, flow_json, flow_path, subflows_json, created_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (thread_id) DO UPDATE SET flow_json = excluded.flow_json, flow_path = excluded.flow_path, subflows_json = excluded.subflows_json`,
      args: [record.threadId, JSON.stringify(record.flow), record.flowPath ?? null, JSON.stringify(record.subflows), Date.now()],
    });
  }

  /** The record of a thread, or undefined when no `loomflow run` started it in this database. */
  async recall(threadId: string): Promise<ThreadRecord | undefined> {
    await this.#ensureTable();
    const { rows } = await this.client.execute({
      sql: `SELECT flow_json, flow_path, subflows_json FROM ${THREADS_TABLE} WHERE thread_id = ?`,
      args: [threadId],
    });
    const row = rows[0];
    if (!row) return undefined;
    return {
      threadId,
      flow: JSON.parse(String(row.flow_json)) as unknown,
      flowPath: row.flow_path === null ? undefined : String(row.flow_path),
      subflows: JSON.parse(String(row.subflows_json)) as Record<string, unknown>,
    };
  }

  #ensureTable(): Promise<unknown> {
    this.#ready ??= this.client.execute(`CREATE TABLE IF NOT EXISTS ${THREADS_TABLE} (
      thread_id TEXT PRIMARY KEY,
      flow_json TEXT NOT NULL,
      flow_path TEXT,
      subflows_json TEXT NOT NULL DEFAULT '{}',
      created_at INTEGER NOT NULL
    )`);
    return this.#ready;
  }
}
