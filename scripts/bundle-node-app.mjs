// Bundles a Node app (cli, server) into one ESM file. Workspace packages are source-only
// TypeScript, so they and their dependencies are bundled in. Only the app's own direct
// dependencies stay external: Node resolves those from the app's node_modules at run time, which
// is where native modules such as libsql must come from.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const [entry, outfile] = process.argv.slice(2);
if (!entry || !outfile) {
  console.error('usage: node bundle-node-app.mjs <entry.ts> <outfile.js>');
  process.exit(2);
}

const manifest = JSON.parse(readFileSync(resolve('package.json'), 'utf8'));
const external = Object.keys(manifest.dependencies ?? {}).filter((name) => !name.startsWith('@loomflow/'));

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  external: [...external, ...external.map((name) => `${name}/*`)],
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __loomflowCreateRequire } from 'node:module';\nconst require = __loomflowCreateRequire(import.meta.url);",
  },
  define: { __LOOMFLOW_VERSION__: JSON.stringify(manifest.version) },
});
