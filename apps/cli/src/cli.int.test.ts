// Runs the built `loomflow` bundle the way users do (`pnpm loomflow …` runs it from the repository
// root), against every example flow.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueCatalog, validateFlow, type IssueCode } from '@loomflow/graph-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSubject } from './format-issues';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = resolve(cliDir, '../..');
const bundle = join(cliDir, 'dist/index.js');
const scratchDir = mkdtempSync(join(tmpdir(), 'loomflow-cli-'));

async function loomflow(...args: string[]) {
  const child = spawn(process.execPath, [bundle, ...args], { cwd: repoRoot });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [exitCode] = (await once(child, 'close')) as [number | null];
  return { exitCode, stdout, stderr };
}

function exampleFiles(folder: string): string[] {
  return readdirSync(join(repoRoot, 'examples', folder))
    .filter((file) => file.endsWith('.json'))
    .map((file) => `examples/${folder}/${file}`);
}

beforeAll(() => {
  // Always rebuild: a stale bundle would test yesterday's code. It takes well under a second.
  execFileSync(process.execPath, ['../../scripts/bundle-node-app.mjs', 'src/index.ts', 'dist/index.js'], { cwd: cliDir, stdio: 'pipe' });
}, 60_000);

afterAll(() => {
  rmSync(scratchDir, { recursive: true, force: true });
});

// Each case starts a Node process; running them side by side keeps the file fast, and the timeout
// leaves room for a busy machine.
describe.concurrent('the built loomflow CLI', { timeout: 30_000 }, () => {
  it('prints the version of its package', async () => {
    const { version } = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as { version: string };
    expect(await loomflow('--version')).toEqual({ exitCode: 0, stdout: `${version}\n`, stderr: '' });
  });

  it.each([...exampleFiles('agent'), ...exampleFiles('bpmn')])('accepts the valid example %s', async (file) => {
    expect(await loomflow('validate', file)).toEqual({ exitCode: 0, stdout: '', stderr: 'no issues\n' });
  });

  it.each(exampleFiles('invalid'))('reports every issue of %s, naming its node or edge', async (file) => {
    const code = file.slice(file.lastIndexOf('/') + 1, -'.json'.length) as IssueCode;
    const issues = validateFlow(JSON.parse(readFileSync(join(repoRoot, file), 'utf8')));
    const { exitCode, stdout, stderr } = await loomflow('validate', file);

    // Warnings alone do not fail validation (docs/cli.md § validate).
    expect(exitCode).toBe(issueCatalog[code].severity === 'error' ? 1 : 0);
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(issues.length);
    issues.forEach((issue, index) => {
      const prefix = `${issue.severity}  ${issue.code}  ${issueSubject(issue)}  `;
      expect(lines[index]?.slice(0, prefix.length)).toBe(prefix);
    });
    expect(lines.some((line) => line.includes(`  ${code}  `))).toBe(true);
    expect(stderr).toMatch(/^\d+ errors?, \d+ warnings?\n$/);
  });

  it('reports a file that is not JSON with its line and column', async () => {
    const file = join(scratchDir, 'truncated.json');
    writeFileSync(file, '{\n  "schemaVersion": 1,\n  "nodes": [\n');
    const { exitCode, stdout, stderr } = await loomflow('validate', file);
    expect(exitCode).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`loomflow: ${file} is not valid JSON: Unexpected end of JSON input at line 4, column 1\n`);
  });

  it('reports a missing file', async () => {
    expect(await loomflow('validate', 'examples/no-such-flow.json')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'loomflow: cannot read examples/no-such-flow.json: no such file\n',
    });
  });

  it.each([[[]], [['frobnicate']], [['validate']]])('treats %j as a usage error', async (args) => {
    const { exitCode, stderr } = await loomflow(...args);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('Usage: loomflow');
  });
});
