/**
 * One drizzle-kit migration as scripts/embed-drizzle-migrations.mjs copies it from ./drizzle, carried in
 * code so that bundled apps need no migrations folder.
 */
export interface EmbeddedMigration {
  /** The file name in ./drizzle, without `.sql`. */
  readonly tag: string;
  /** `when` of the drizzle-kit journal entry: migrations newer than the last recorded one run. */
  readonly folderMillis: number;
  /** The whole .sql file, statements separated by drizzle-kit's breakpoint marker. */
  readonly sql: string;
}
