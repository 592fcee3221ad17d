import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, LOCAL_CONNECTIONS, localDatabasePath, openLibsqlClient } from './open-client';

const workDir = mkdtempSync(join(tmpdir(), 'loomflow-libsql-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('openLibsqlClient', () => {
  it('creates the folder of a file database, writes to it in WAL mode, and reads it back after reopening', async () => {
    const file = join(workDir, 'nested', 'loomflow.db');
    const url = `file:${file}`;
    const client = await openLibsqlClient(url);
    await client.execute('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    await client.execute({ sql: 'INSERT INTO notes (text) VALUES (?)', args: ['kept'] });
    const mode = await client.execute('PRAGMA journal_mode');
    expect(mode.rows[0]?.[0]).toBe('wal');
    client.close();

    expect(statSync(file).size).toBeGreaterThan(0);
    const reopened = await openLibsqlClient(url);
    const rows = await reopened.execute('SELECT text FROM notes');
    expect(rows.rows.map((row) => row.text)).toEqual(['kept']);
    reopened.close();
  });

  it('gives every connection of the pool the busy timeout and synchronous = NORMAL', async () => {
    const client = await openLibsqlClient(`file:${join(workDir, 'pool.db')}`);
    // Calls in flight together borrow different connections: twice the pool size reaches them all.
    const probes = Array.from({ length: 2 * LOCAL_CONNECTIONS }, () =>
      client.execute('SELECT * FROM pragma_busy_timeout, pragma_synchronous'),
    );
    const settings = new Set((await Promise.all(probes)).map(({ rows }) => JSON.stringify(rows[0])));
    expect([...settings]).toEqual([JSON.stringify({ timeout: BUSY_TIMEOUT_MS, synchronous: 1 })]);
    client.close();
  });

  it('opens an in-memory database', async () => {
    const client = await openLibsqlClient(':memory:');
    const result = await client.execute('SELECT 1 + 1 AS two');
    expect(result.rows[0]?.two).toBe(2);
    client.close();
  });
});

describe('localDatabasePath', () => {
  it('finds the file behind file: URLs and nothing behind others', () => {
    expect(localDatabasePath('file:./data/loomflow.db')).toBe('./data/loomflow.db');
    expect(localDatabasePath(pathToFileURL('/tmp/x.db').href)).toBe('/tmp/x.db');
    expect(localDatabasePath('file:./a.db?mode=ro')).toBe('./a.db');
    expect(localDatabasePath(':memory:')).toBeUndefined();
    expect(localDatabasePath('libsql://db.example.com')).toBeUndefined();
    expect(localDatabasePath('http://127.0.0.1:8080')).toBeUndefined();
  });
});
