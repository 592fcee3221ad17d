import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../testing/fixtures';
import { SERVER_MIGRATIONS_TABLE, migrateServerDatabase } from './database';
import { serverMigrations } from './embedded-migrations';

const drizzleFolder = join(import.meta.dirname, '..', '..', 'drizzle');

describe('server migrations', () => {
  let temp: TempDatabase | undefined;
  afterEach(() => temp?.dispose());

  it('embeds exactly the drizzle-kit output', () => {
    const journal = JSON.parse(readFileSync(join(drizzleFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };
    expect(serverMigrations.map(({ tag, folderMillis }) => ({ tag, when: folderMillis }))).toEqual(journal.entries.map(({ tag, when }) => ({ tag, when })));
    for (const migration of serverMigrations) expect(migration.sql).toBe(readFileSync(join(drizzleFolder, `${migration.tag}.sql`), 'utf8'));
    expect(readdirSync(drizzleFolder).filter((name) => name.endsWith('.sql'))).toHaveLength(serverMigrations.length);
  });

  it('creates the tables once, next to the checkpoint bookkeeping', async () => {
    temp = await createTempDatabase();
    expect(await migrateServerDatabase(temp.db)).toBe(serverMigrations.length);
    expect(await migrateServerDatabase(temp.db)).toBe(0);
    const tables = await temp.db.execute("select name from sqlite_master where type = 'table' order by name");
    expect(tables.rows.map((row) => row.name)).toEqual(
      expect.arrayContaining(['flows', 'flow_versions', 'runs', 'run_events', 'human_tasks', 'settings', SERVER_MIGRATIONS_TABLE]),
    );
  });
});
