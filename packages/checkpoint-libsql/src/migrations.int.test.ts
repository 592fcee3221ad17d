import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedMigrations } from './embedded-migrations';
import { LibsqlSaver } from './libsql-saver';
import { MIGRATIONS_TABLE, applyMigrations } from './migrations';
import { openLibsqlClient } from './open-client';

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '..', 'drizzle');
const workDir = mkdtempSync(join(tmpdir(), 'loomflow-migrations-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let databases = 0;
const freshDatabaseUrl = () => `file:${join(workDir, `migrations-${(databases += 1)}.db`)}`;

async function schemaOf(url: string): Promise<unknown[]> {
  const client = await openLibsqlClient(url);
  const { rows } = await client.execute(
    "SELECT type, name, sql FROM sqlite_schema WHERE name LIKE 'langgraph_%' OR name = ? ORDER BY name",
    [MIGRATIONS_TABLE],
  );
  const applied = await client.execute(`SELECT hash, created_at FROM ${MIGRATIONS_TABLE} ORDER BY created_at`);
  client.close();
  // Same DDL, compared without its layout (drizzle indents the bookkeeping table's).
  const normalized = (ddl: unknown) => String(ddl).replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')');
  return [rows.map((row) => ({ ...row, sql: normalized(row.sql) })), applied.rows.map((row) => ({ ...row }))];
}

describe('embedded migrations', () => {
  it('are the drizzle-kit output in ./drizzle, unchanged (run `pnpm db:generate` after editing the schema)', () => {
    const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
      entries: { tag: string; when: number }[];
    };
    const onDisk = journal.entries.map((entry) => ({
      tag: entry.tag,
      folderMillis: entry.when,
      sql: readFileSync(join(migrationsFolder, `${entry.tag}.sql`), 'utf8'),
    }));
    expect(embeddedMigrations).toEqual(onDisk);
  });

  it("leave the same tables and bookkeeping as drizzle's own migrator, which then has nothing left to do", async () => {
    const byDrizzle = freshDatabaseUrl();
    const drizzleClient = await openLibsqlClient(byDrizzle);
    await migrate(drizzle(drizzleClient), { migrationsFolder, migrationsTable: MIGRATIONS_TABLE });
    expect(await applyMigrations(drizzleClient)).toBe(0);
    drizzleClient.close();

    const byUs = freshDatabaseUrl();
    const ourClient = await openLibsqlClient(byUs);
    expect(await applyMigrations(ourClient)).toBe(embeddedMigrations.length);
    // drizzle's migrator would fail on CREATE TABLE if it tried to run the migration again.
    await migrate(drizzle(ourClient), { migrationsFolder, migrationsTable: MIGRATIONS_TABLE });
    ourClient.close();

    expect(await schemaOf(byUs)).toEqual(await schemaOf(byDrizzle));
  });

  it('run once when several savers open a fresh database at the same time', async () => {
    const url = freshDatabaseUrl();
    const savers = await Promise.all(Array.from({ length: 4 }, () => LibsqlSaver.open(url)));
    const [tables, applied] = await schemaOf(url);
    expect(tables).toHaveLength(4);
    expect(applied).toHaveLength(embeddedMigrations.length);
    for (const saver of savers) saver.close();
  });
});
