import { createClient, type Client } from '@libsql/client';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Opens the libsql database. A local file's directory is created first, because a fresh checkout
 * has no ./data and libsql reports a missing directory only as an opaque open error.
 */
export function openDatabase(url: string): Client {
  const file = localDatabaseFile(url);
  if (file !== undefined) mkdirSync(dirname(file), { recursive: true });
  return createClient({ url });
}

/** The file behind a `file:` URL (absolute `file:///x.db` or relative `file:./x.db`), if any. */
export function localDatabaseFile(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  if (url.startsWith('file://')) return fileURLToPath(url.split('?')[0] ?? url);
  const path = url.slice('file:'.length).split('?')[0] ?? '';
  return path === '' || path === ':memory:' ? undefined : resolve(path);
}
