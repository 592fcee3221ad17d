// No circular imports (docs/ARCHITECTURE.md § Packages and the way dependencies point): workspace
// packages must depend on each other one way, and no module may import itself back through a chain
// of imports.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const manifests = ['apps', 'packages', '.']
  .flatMap((group) => (group === '.' ? ['e2e', 'examples'] : readdirSync(join(root, group)).map((name) => join(group, name))))
  .map((dir) => join(root, dir, 'package.json'))
  .filter((file) => existsSync(file))
  .map((file) => JSON.parse(readFileSync(file, 'utf8')));

const workspaceDeps = new Map(
  manifests.map((manifest) => [
    manifest.name,
    Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((dep) => dep.startsWith('@loomflow/')),
  ]),
);

function findPackageCycle() {
  const state = new Map(); // name → 'visiting' | 'done'
  const path = [];
  const visit = (name) => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const dep of workspaceDeps.get(name) ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of workspaceDeps.keys()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}

let failed = false;
const packageCycle = findPackageCycle();
if (packageCycle) {
  console.error(`circular dependency between workspace packages: ${packageCycle.join(' → ')}`);
  failed = true;
}

const dpdm = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'dpdm', 'lib', 'bin', 'dpdm.js'),
    '--no-tree',
    '--no-warning',
    '--exit-code',
    'circular:1',
    '--ext',
    '.ts,.vue',
    'packages/*/src/**/*.ts',
    'apps/*/src/**/*.ts',
  ],
  { cwd: root, stdio: 'inherit' },
);
if (dpdm.status !== 0) failed = true;

if (failed) process.exit(1);
console.log(`no circular imports (${workspaceDeps.size} workspace packages)`);
