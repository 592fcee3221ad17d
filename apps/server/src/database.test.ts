import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localDatabaseFile, openDatabase } from './database';

describe('localDatabaseFile', () => {
  it('finds the file behind relative and absolute file: URLs', () => {
    expect(localDatabaseFile('file:./data/loomflow.db')).toBe(resolve('data/loomflow.db'));
    expect(localDatabaseFile('file:/var/lib/loomflow.db')).toBe('/var/lib/loomflow.db');
    expect(localDatabaseFile('file:///var/lib/loomflow.db?mode=ro')).toBe('/var/lib/loomflow.db');
  });

  it('ignores remote and in-memory databases', () => {
    expect(localDatabaseFile('libsql://db.example.turso.io')).toBeUndefined();
    expect(localDatabaseFile('file::memory:')).toBeUndefined();
    expect(localDatabaseFile(':memory:')).toBeUndefined();
  });
});

describe('openDatabase', () => {
  it('creates the missing directory of a local database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loomflow-db-'));
    const file = join(dir, 'data', 'deeper', 'loomflow.db');
    const db = openDatabase(pathToFileURL(file).href);
    try {
      const result = await db.execute('select 1 as one');
      expect(result.rows[0]?.one).toBe(1);
      expect(existsSync(file)).toBe(true);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
