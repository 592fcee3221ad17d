// The server's view of the database: drizzle over the shared libsql client, after bringing the
// server's tables up to date.
import type { Client } from '@libsql/client';
import { applyMigrations } from '@loomflow/checkpoint-libsql';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { serverMigrations } from './embedded-migrations';
import * as schema from './schema';

/** Not checkpoint-libsql's table: drizzle runs whatever is newer than a table's newest row. */
export const SERVER_MIGRATIONS_TABLE = '__loomflow_server_migrations';

/** Drizzle over the server's tables, with the libsql client under it for plain SQL. */
export type Database = LibSQLDatabase<typeof schema> & { readonly $client: Client };

export async function migrateServerDatabase(client: Client): Promise<number> {
  return applyMigrations(client, serverMigrations, SERVER_MIGRATIONS_TABLE);
}

export function serverDatabase(client: Client): Database {
  return drizzle(client, { schema });
}
