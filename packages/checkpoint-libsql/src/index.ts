export { CorruptCheckpointError } from './corrupt-checkpoint-error';
export { DEFAULT_VALUE_CACHE_BYTES, LibsqlSaver, type LibsqlSaverOptions, type OpenLibsqlSaverOptions } from './libsql-saver';
export type { EmbeddedMigration } from './embedded-migration';
export { MIGRATIONS_TABLE, applyMigrations } from './migrations';
export { DEFAULT_DATABASE_URL, localDatabasePath, openLibsqlClient } from './open-client';
