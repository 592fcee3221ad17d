// The example flows are data that other parts rely on: the valid ones seed the template gallery
// and the runtime tests, the invalid ones document every issue validateFlow can report. These
// tests keep both sets honest as the validator and the node types evolve.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { issueCatalog, issueCodes, locales, migrateFlow, validateFlow, type IssueCode, type ValidationIssue } from '@loomflow/graph-schema';

const examplesDir = fileURLToPath(new URL('.', import.meta.url));

interface ExampleFile {
  readonly name: string;
  readonly path: string;
  readonly document: Record<string, unknown>;
}

function readExamples(folder: string): ExampleFile[] {
  const dir = join(examplesDir, folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: basename(file, '.json'),
      path: `${folder}/${file}`,
      document: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>,
    }));
}

interface ElementLike {
  readonly id?: unknown;
  readonly type?: unknown;
  readonly name?: unknown;
  readonly size?: unknown;
  readonly config?: unknown;
}

function elements(document: Record<string, unknown>, key: 'nodes' | 'edges'): ElementLike[] {
  const list = document[key];
  return Array.isArray(list) ? (list as ElementLike[]) : [];
}

function elementIds(document: Record<string, unknown>, key: 'nodes' | 'edges'): string[] {
  return elements(document, key).flatMap((element) => (typeof element.id === 'string' ? [element.id] : []));
}

/** Whether a validation path leads to something that is present in the document. */
function pathExists(document: unknown, path: readonly (string | number)[]): boolean {
  let current: unknown = document;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !(key in current)) return false;
    current = (current as Record<string | number, unknown>)[key];
  }
  return true;
}

const validExamples = [...readExamples('agent'), ...readExamples('bpmn')];
const invalidExamples = readExamples('invalid');

describe('valid examples', () => {
  it('cover both kinds of flow', () => {
    expect(readExamples('agent').length).toBeGreaterThanOrEqual(6);
    expect(readExamples('bpmn').length).toBeGreaterThanOrEqual(3);
  });

  describe.each(validExamples)('$path', ({ path, name, document }) => {
    it.each(locales)('has no issues at all in %s', (locale) => {
      expect(validateFlow(document, { locale })).toEqual([]);
    });

    it('needs no migration: every node is at its type\'s current version', () => {
      expect(migrateFlow(document)).toEqual({ flow: document, applied: [] });
    });

    it('follows the gallery conventions', () => {
      expect(document.id, 'the flow id is the file name').toBe(name);
      expect(document.kind, 'the folder is the kind').toBe(path.split('/')[0]);
      expect(typeof document.description === 'string' && document.description.length > 0, 'has a description').toBe(true);
      for (const node of elements(document, 'nodes')) {
        // A note's text is its label; every other node is labelled by its name.
        const label = typeof node.name === 'string' ? node.name : (node.config as { text?: unknown } | undefined)?.text;
        expect(typeof label === 'string' && label.length > 0, `node "${String(node.id)}" has a name`).toBe(true);
        if (document.kind === 'bpmn') expect(node.size, `BPMN shape "${String(node.id)}" has a size`).toBeDefined();
      }
    });
  });
});

/**
 * Some problems cannot occur alone: a flow without an end stops at a node that is then a dead
 * end, and an end that no path reaches is itself an unreachable node. Every other invalid example
 * triggers its own code and nothing else.
 */
const companionCodes: Partial<Record<IssueCode, readonly IssueCode[]>> = {
  'missing-end': ['dead-end'],
  'end-unreachable': ['unreachable-node', 'dead-end'],
};

/** Codes whose example is about the document as a whole, so the issue has a path but no element id. */
const documentLevelCodes = new Set<IssueCode>([
  'schema',
  'duplicate-channel',
  'missing-start',
  'multiple-starts',
  'missing-end',
  'end-unreachable',
]);

function isIssueCode(name: string): name is IssueCode {
  return (issueCodes as readonly string[]).includes(name);
}

describe('invalid examples', () => {
  it('exist for every issue code, and only for issue codes', () => {
    const names = invalidExamples.map((example) => example.name);
    expect(names.filter((name) => !isIssueCode(name)), 'files that name no issue code').toEqual([]);
    expect(issueCodes.filter((code) => !names.includes(code)), 'issue codes without an example').toEqual([]);
  });

  describe.each(invalidExamples.filter((example) => isIssueCode(example.name)))('$path', ({ name, document }) => {
    const code = name as IssueCode;

    it('says what is wrong', () => {
      expect(typeof document.description === 'string' && document.description.length > 0).toBe(true);
    });

    it.each(locales)('yields its own code in %s, pointing at the offending element', (locale) => {
      const issues = validateFlow(document, { locale });
      const expectedCodes = new Set([code, ...(companionCodes[code] ?? [])]);
      expect(issues.filter((issue) => !expectedCodes.has(issue.code)), 'issues unrelated to this example').toEqual([]);

      const own = issues.filter((issue) => issue.code === code);
      expect(own.length, `a ${code} issue`).toBeGreaterThan(0);
      for (const issue of own) {
        expect(issue.severity).toBe(issueCatalog[code].severity);
        expectPointsIntoDocument(issue, document, code);
      }
    });
  });
});

function expectPointsIntoDocument(issue: ValidationIssue, document: Record<string, unknown>, code: IssueCode): void {
  if (issue.nodeId !== undefined) expect(elementIds(document, 'nodes')).toContain(issue.nodeId);
  if (issue.edgeId !== undefined) expect(elementIds(document, 'edges')).toContain(issue.edgeId);
  const elementId = issue.nodeId ?? issue.edgeId;
  if (elementId !== undefined) {
    // The CLI and the editor show the message alone, so it must name the element too.
    expect(issue.message).toContain(elementId);
    return;
  }
  expect(documentLevelCodes.has(code), `a ${code} issue without a node or edge id`).toBe(true);
  expect(issue.path.length, 'a path into the document').toBeGreaterThan(0);
  expect(pathExists(document, issue.path), `path ${issue.path.join('.')} exists`).toBe(true);
}
