import { defineConfig } from 'drizzle-kit';

// `pnpm db:generate` writes a migration into ./drizzle from src/schema.ts, then embeds the folder
// into src/embedded-migrations.ts, which is what the saver applies at run time.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/schema.ts',
  out: './drizzle',
});
