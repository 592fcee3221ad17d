import { defineConfig } from 'drizzle-kit';

// `pnpm db:generate` writes a migration into ./drizzle from src/db/schema.ts, then embeds the
// folder into src/db/embedded-migrations.ts, which is what the server applies at start-up.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
