import { createClient, type Client } from '@libsql/client';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The database Loomflow uses when nothing else is configured: a file under `./data`. */
export const DEFAULT_DATABASE_URL = 'file:./data/loomflow.db';

/**
 * How long a statement on a file database waits for a lock held by another connection (another
 * process, or another connection of the client's pool) before failing with SQLITE_BUSY.
 */
export const BUSY_TIMEOUT_MS = 5000;

/** Connections the client keeps to a file database (the client's own default). */
export const LOCAL_CONNECTIONS = 20;

/**
 * The file behind each client openLibsqlClient opened on one, so that a LibsqlSaver given such a
 * client can open its own connection with prepared statements next to it (see LocalDatabase).
 */
const databaseFiles = new WeakMap<Client, string>();

/** The database file of a client that openLibsqlClient opened on a file, else undefined. */
export function databaseFileOf(client: Client): string | undefined {
  return databaseFiles.get(client);
}

/** The local file behind a `file:` URL, or undefined for `:memory:` and remote (`libsql:`, `http:`) URLs. */
export function localDatabasePath(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  const withoutQuery = url.replace(/\?.*$/, '');
  if (withoutQuery.startsWith('file://')) return fileURLToPath(withoutQuery);
  const path = withoutQuery.slice('file:'.length);
  return path === '' || path === ':memory:' ? undefined : path;
}

/**
 * Opens a libsql database: an embedded file (its folder is created when missing), `:memory:`, or
 * a remote sqld at a `libsql://`/`http://` URL shared by several server processes.
 *
 * A file database runs in WAL mode, so that readers (the API) do not wait for the writer (a run's
 * checkpoints), with `synchronous = NORMAL`, SQLite's recommended setting for WAL and the default
 * of better-sqlite3: a commit survives a crash of the process at once, and an OS crash or power
 * loss can roll back the last commits but never corrupts the file. Under the default (FULL) every
 * commit waits for an fsync, which made each checkpoint write about ten times slower here.
 */
export async function openLibsqlClient(url: string = DEFAULT_DATABASE_URL, authToken?: string): Promise<Client> {
  const path = localDatabasePath(url);
  if (path === undefined) return createClient(authToken ? { url, authToken } : { url });

  mkdirSync(dirname(path), { recursive: true });
  // `timeout` rather than `PRAGMA busy_timeout` because the client applies it to each connection
  // of its pool; a pragma reaches only the connection that runs it.
  const client = createClient({ url, timeout: BUSY_TIMEOUT_MS, concurrency: LOCAL_CONNECTIONS });
  await client.execute('PRAGMA journal_mode = WAL');
  // `synchronous` has no client option, so open every connection of the pool now and set it on
  // each: calls that are in flight together borrow different connections, and the pool never
  // opens more than LOCAL_CONNECTIONS. (Should a connection be reopened later, it runs at the
  // safer default.)
  await Promise.all(Array.from({ length: LOCAL_CONNECTIONS }, () => client.execute('PRAGMA synchronous = NORMAL')));
  databaseFiles.set(client, path);
  return client;
}
