// Golden files: expected outputs stored as pretty JSON beside the tests, compared byte for byte.
// `UPDATE_GOLDEN=1` rewrites them. A missing golden is written on a developer's machine, but
// fails under CI, so a CI run can never pass by writing the very file it should compare against.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';

export const goldenDir = join(import.meta.dirname, '..', '__golden__');

const updating = () => process.env.UPDATE_GOLDEN === '1';
const inCi = () => process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

/**
 * JSON with the keys of every object sorted, two-space indented, ending in a newline. Object key
 * order carries no meaning in the IR, and sorting it keeps a golden from changing when code merely
 * builds an object in another order; array order is kept, since there it does mean something
 * (branches are tried in order, chains run in order).
 */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, item: unknown) => (isPlainObject(item) ? sortKeys(item) : item), 2)}\n`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortKeys(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(object).sort().map((key) => [key, object[key]]));
}

/** Compares `value` with the golden file `name` (a path under `__golden__`), or writes it (see above). */
export function expectGolden(name: string, value: unknown): void {
  const file = join(goldenDir, name);
  const actual = stableJson(value);
  if (updating() || !existsSync(file)) {
    if (!updating() && inCi()) {
      expect.fail(`golden ${name} is missing; run the test with UPDATE_GOLDEN=1 and commit the file it writes`);
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(actual, `${name} differs from its golden; if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff`).toBe(readFileSync(file, 'utf8'));
}

/**
 * Golden files under `folder` that no test wrote: an example that was removed or renamed. They are
 * deleted when updating; otherwise the caller fails on them, so no stale contract stays behind.
 */
export function strayGoldens(folder: string, expected: readonly string[]): string[] {
  const dir = join(goldenDir, folder);
  const present = existsSync(dir) ? readdirSync(dir) : [];
  const stray = present.filter((file) => !expected.includes(file)).sort();
  if (updating()) {
    for (const file of stray) rmSync(join(dir, file));
    return [];
  }
  return stray;
}
