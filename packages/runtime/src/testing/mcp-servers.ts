// Stdio MCP servers for tests, started with this Node binary from files already installed: the
// registry's @modelcontextprotocol/server-everything (a devDependency) and a local misbehaving
// server. Nothing is downloaded when a test runs (never `npx`).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

function binOf(packageName: string): string {
  const manifestPath = require.resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  const [bin] = Object.values(manifest.bin);
  if (bin === undefined) throw new Error(`${packageName} declares no bin`);
  return join(dirname(manifestPath), bin);
}

/** `@modelcontextprotocol/server-everything` over stdio. */
export const everythingServer = () => ({ transport: 'stdio' as const, command: process.execPath, args: [binOf('@modelcontextprotocol/server-everything'), 'stdio'], env: {} });

/** The server of `src/mcp/fixtures/misbehaving-server.mjs` (tools `ping_count`, `hang`, `wait`, `exit`, `flood`). */
export const misbehavingServer = () => ({
  transport: 'stdio' as const,
  command: process.execPath,
  args: [join(dirname(fileURLToPath(import.meta.url)), '../mcp/fixtures/misbehaving-server.mjs')],
  env: {},
});
