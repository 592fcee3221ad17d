// Issues carry ids and values; their words come from graph-schema's catalog when they are shown.
// These tests hold both halves to every example flow: every code has a message in every language
// that the params of a real issue fill completely, and no param carries words of a language.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssueMessage, issueCatalog, issueCodes, locales, validateFlow, type IssueParams } from '@loomflow/graph-schema';

const examplesDir = fileURLToPath(new URL('.', import.meta.url));

const examples = ['agent', 'bpmn', 'invalid'].flatMap((folder) =>
  readdirSync(join(examplesDir, folder))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ path: `${folder}/${file}`, document: JSON.parse(readFileSync(join(examplesDir, folder, file), 'utf8')) as unknown })),
);

/** Every string the document holds (ids, names, types, expressions): the author's data, not the validator's words. */
function stringsOf(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, into);
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) stringsOf(item, into.add(key));
  return into;
}

/**
 * The params whose values read as a language: two words side by side (`The flow`, `expected
 * string to have`) or Chinese characters (`状态定义`). Values the document itself holds are exempt:
 * a FEEL expression or a node's name is the author's text, quoted, not a message.
 */
function wordyParams(params: IssueParams, documentStrings: ReadonlySet<string>): string[] {
  const wordy = (text: string) => !documentStrings.has(text) && (/\p{L}{2,} \p{L}{2,}/u.test(text) || /\p{Script=Han}/u.test(text));
  return Object.entries(params)
    .filter(([, value]) => (typeof value === 'string' ? wordy(value) : typeof value === 'number' ? false : value.some(wordy)))
    .map(([key]) => key);
}

describe('issue params', () => {
  it('are told from words by the check below', () => {
    // The shapes params had before they became language-neutral: each must be caught.
    const none = new Set<string>();
    expect(wordyParams({ scope: 'The flow' }, none)).toEqual(['scope']);
    expect(wordyParams({ owner: '状态定义', channel: 'draft' }, none)).toEqual(['owner']);
    expect(wordyParams({ where: 'id', detail: 'must be URL-safe: letters, digits, "_" or "-"' }, none)).toEqual(['detail']);
    expect(wordyParams({ nodes: ['a', 'b'], edges: ['the first edge'] }, none)).toEqual(['edges']);
    expect(wordyParams({ node: 'review', ports: ['out', 'error'], where: 'nodes[2].config.output', count: 3 }, none)).toEqual([]);
    expect(wordyParams({ expression: 'amount > 1000 and not approved' }, new Set(['amount > 1000 and not approved']))).toEqual([]);
  });

  describe.each(examples)('$path', ({ document }) => {
    const issues = validateFlow(document, { locale: 'en' });
    const documentStrings = stringsOf(document);

    it('hold ids and values, no words of a language', () => {
      for (const issue of issues) expect(wordyParams(issue.params, documentStrings), `${issue.code}: ${JSON.stringify(issue.params)}`).toEqual([]);
    });

    it('are the same whatever the language asked for, which only changes the message', () => {
      for (const locale of locales) {
        const localized = validateFlow(document, { locale });
        expect(localized.map((issue) => issue.params)).toEqual(issues.map((issue) => issue.params));
        expect(localized.map((issue) => issue.message)).toEqual(issues.map((issue) => formatIssueMessage(issue.code, issue.params, locale)));
      }
    });
  });
});

describe('issue catalog', () => {
  const produced = examples.flatMap(({ document }) => validateFlow(document));

  it.each(issueCodes)('%s has a message in every language, filled completely by the params of a real issue', (code) => {
    for (const locale of locales) expect(issueCatalog[code][locale].trim()).not.toBe('');
    const real = produced.filter((issue) => issue.code === code);
    expect(real.length, `no example produces ${code}`).toBeGreaterThan(0);
    for (const issue of real) for (const locale of locales) expect(formatIssueMessage(code, issue.params, locale)).not.toMatch(/\{\w+\}/);
  });
});
