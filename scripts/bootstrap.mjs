#!/usr/bin/env node
// `npm start` and `npm test` land here. The README promises that these two commands work on a
// machine that has only Node 20 and npm, so this file uses nothing but Node's standard library:
// it brings pnpm at the version pinned in package.json (into ./.tools, no global install needed),
// the workspace dependencies from the lockfile, and Debian chromium when the e2e tests need it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = manifest.packageManager.replace(/^pnpm@/, '');
const localPnpm = join(root, '.tools', 'node_modules', 'pnpm', 'bin', 'pnpm.mjs');

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function mustRun(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) {
    console.error(`loomflow: "${command} ${args.join(' ')}" exited with ${status}`);
    process.exit(status);
  }
}

function pnpmOnPathMatches() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 && probe.stdout.trim() === pnpmVersion;
}

/** Returns [command, leadingArgs] that runs pnpm at the pinned version. */
function ensurePnpm() {
  if (pnpmOnPathMatches()) return ['pnpm', []];
  if (!existsSync(localPnpm)) {
    console.error(`loomflow: installing pnpm ${pnpmVersion} into .tools/`);
    mustRun('npm', ['install', '--prefix', '.tools', '--no-save', '--no-audit', '--no-fund', `pnpm@${pnpmVersion}`]);
  }
  return [process.execPath, [localPnpm]];
}

const chromiumPath = process.env.LOOMFLOW_CHROMIUM ?? '/usr/bin/chromium';

function ensureChromium() {
  if (existsSync(chromiumPath)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(
      `loomflow: the e2e tests need Chromium at ${chromiumPath}. Install it with ` +
        '"sudo apt-get install -y chromium" or set LOOMFLOW_CHROMIUM to its path.',
    );
    process.exit(1);
  }
  console.error('loomflow: installing Debian chromium for the e2e tests');
  mustRun('apt-get', ['update']);
  mustRun('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

const task = process.argv[2];
if (task !== 'start' && task !== 'test') {
  console.error('usage: node scripts/bootstrap.mjs <start|test>');
  process.exit(2);
}

/**
 * Native addons (better-sqlite3, the benchmarks' peer) compile against Node's headers. node-gyp
 * would download them, which fails without internet; point it at the headers Node ships with.
 */
function installEnv() {
  const nodeDir = dirname(dirname(process.execPath));
  const hasHeaders = existsSync(join(nodeDir, 'include', 'node', 'node.h'));
  return hasHeaders && !process.env.npm_config_nodedir ? { ...process.env, npm_config_nodedir: nodeDir } : process.env;
}

const [pnpm, pnpmArgs] = ensurePnpm();
const pnpmRun = (...args) => mustRun(pnpm, [...pnpmArgs, ...args]);

mustRun(pnpm, [...pnpmArgs, 'install', '--frozen-lockfile', '--prefer-offline'], { env: installEnv() });
if (task === 'test') {
  ensureChromium();
  pnpmRun('run', 'check');
} else {
  pnpmRun('run', 'build');
  // The server keeps running in the foreground; its exit code becomes ours.
  process.exit(run(process.execPath, ['apps/server/dist/index.js']));
}
