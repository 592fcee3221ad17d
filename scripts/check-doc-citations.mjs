// The repository stands alone: a person who clones it has no design or stack notes from beside
// it, so no tracked file may cite them. What the code relies on lives in docs/ (see
// docs/ARCHITECTURE.md for the references); cite those pages instead.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
// Built from parts so that this file does not cite what it forbids.
const forbidden = new RegExp(`\\b(?:${['DESIGN', 'STACK'].join('|')})\\.md\\b`);
const skippedDirs = new Set(['node_modules', 'dist', '.git', '.tools', 'data', 'test-results', 'playwright-report']);

/** Tracked files (git ls-files); without git (an unpacked archive), every file outside build output. */
function repositoryFiles() {
  const git = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' });
  if (git.status === 0) return git.stdout.split('\0').filter(Boolean);
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!skippedDirs.has(entry.name)) walk(join(dir, entry.name));
      } else if (entry.isFile()) {
        files.push(relative(root, join(dir, entry.name)));
      }
    }
  };
  walk(root);
  return files;
}

const offences = [];
for (const file of repositoryFiles()) {
  const path = join(root, file);
  let text;
  try {
    if (statSync(path).size > 5 * 1024 * 1024) continue;
    text = readFileSync(path, 'utf8');
  } catch {
    continue; // deleted in the work tree but still tracked
  }
  if (text.includes('\0')) continue; // binary
  text.split('\n').forEach((line, index) => {
    if (forbidden.test(line)) offences.push(`${file}:${index + 1}: ${line.trim()}`);
  });
}

if (offences.length > 0) {
  console.error('These lines cite notes that live outside the repository; cite docs/ instead:');
  for (const offence of offences) console.error(`  ${offence}`);
  process.exit(1);
}
console.log('no citations of documents outside the repository');
