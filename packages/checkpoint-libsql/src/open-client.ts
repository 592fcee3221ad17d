import { createClient, type Client } from '@libsql/client';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The database Loomflow uses when nothing else is configured: a file under `./data`. */
export const DEFAULT_DATABASE_URL = 'file:./data/loomflow.db';

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
 * a remote sqld at a `libsql://`/`http://` URL shared by several server processes. A file
 * database runs in WAL mode so that readers (the API) do not wait for the writer (a run's
 * checkpoints), and waits for a lock instead of failing at once.
 */
export async function openLibsqlClient(url: string = DEFAULT_DATABASE_URL, authToken?: string): Promise<Client> {
  const path = localDatabasePath(url);
  if (path) mkdirSync(dirname(path), { recursive: true });
  const client = createClient(authToken ? { url, authToken } : { url });
  if (path) {
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA busy_timeout = 5000');
  }
  return client;
}
