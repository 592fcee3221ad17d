import type { Client, InStatement } from '@libsql/client';
import { createHash } from 'node:crypto';
import { embeddedMigrations } from './embedded-migrations';
import type { EmbeddedMigration } from './embedded-migration';

/**
 * Where the applied migrations are recorded. Not drizzle's default `__drizzle_migrations`: the
 * server may keep its own drizzle migrations in the same database, and drizzle decides what to run
 * from the newest row of that table, so two migration sets sharing it would skip each other's.
 */
export const MIGRATIONS_TABLE = '__loomflow_checkpoint_migrations';

const STATEMENT_BREAKPOINT = '--> statement-breakpoint';
/** Attempts before giving up when other processes keep migrating the same database meanwhile. */
const ATTEMPTS = 3;

/**
 * Brings the checkpoint tables up to date and returns how many migrations this call ran.
 *
 * It does what drizzle's libsql migrator does, with the same bookkeeping (table layout, the sha256
 * of the .sql file as `hash`, `folderMillis` as `created_at`, "newer than the newest recorded"),
 * so drizzle-kit's migrator and this function agree on what a database has. Two differences:
 * the migrations come from code, not from a folder read at run time, which a bundled app does not
 * have; and when another process (or saver) migrated the database between the check and the
 * write, the failed attempt (its tables now exist) is checked again instead of surfacing.
 *
 * Like drizzle's migrator it applies everything in one `client.migrate` batch. An interactive
 * transaction would be the obvious way to make the check atomic, but on a file database it holds
 * the write lock across awaits, and another connection of the same process that wants to write
 * then waits out its busy timeout with the event loop blocked, so the lock is never released.
 */
export async function applyMigrations(
  client: Client,
  migrations: readonly EmbeddedMigration[] = embeddedMigrations,
  /** Another migration set (the server's) records itself in its own table, for the reason above. */
  table: string = MIGRATIONS_TABLE,
): Promise<number> {
  await client.execute(
    `CREATE TABLE IF NOT EXISTS "${table}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
  );
  for (let attempt = 1; ; attempt += 1) {
    const newest = await client.execute(`SELECT created_at FROM "${table}" ORDER BY created_at DESC LIMIT 1`);
    const appliedUpTo = newest.rows[0] ? Number(newest.rows[0].created_at) : Number.NEGATIVE_INFINITY;
    const pending = migrations.filter((migration) => migration.folderMillis > appliedUpTo);
    if (pending.length === 0) return 0;
    const statements: InStatement[] = pending.flatMap((migration) => [
      ...migration.sql
        .split(STATEMENT_BREAKPOINT)
        .filter((statement) => statement.trim() !== '')
        .map((statement) => ({ sql: statement, args: [] })),
      {
        sql: `INSERT INTO "${table}" ("hash", "created_at") VALUES (?, ?)`,
        args: [createHash('sha256').update(migration.sql).digest('hex'), migration.folderMillis],
      },
    ]);
    try {
      await client.migrate(statements);
      return pending.length;
    } catch (error) {
      if (attempt >= ATTEMPTS) throw error;
    }
  }
}
