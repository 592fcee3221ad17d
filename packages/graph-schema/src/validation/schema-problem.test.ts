import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { flowIdSchema } from '../flow-document';
import { locales } from '../localized';
import { schemaPatterns, schemaReasonCatalog, type SchemaReason } from '../schema-reasons';
import { describeSchemaProblem, schemaProblemParams } from './schema-problem';

/** The zod issues `schema` raises for `input`, with the input reported as validateFlow asks. */
function issuesOf(schema: z.ZodType, input: unknown, locale: 'en' | 'zh-CN' = 'en'): z.core.$ZodIssue[] {
  const localeError = (locale === 'en' ? z.locales.en : z.locales.zhCN)().localeError;
  const result = schema.safeParse(input, { reportInput: true, error: localeError });
  return result.success ? [] : result.error.issues;
}

const schema = z.strictObject({
  name: z.string().min(2),
  count: z.number().max(5).multipleOf(2),
  exact: z.array(z.string()).length(2),
  mode: z.enum(['a', 'b']),
  literal: z.literal(1),
  email: z.email(),
  event: z.discriminatedUnion('type', [z.object({ type: z.literal('x') }), z.object({ type: z.literal('y') })]),
});
const broken = { name: 5, count: 7, exact: ['a'], mode: 'c', literal: '1', email: 'nope', event: { type: 'z' }, extra: true };

describe('schema problems', () => {
  it.each(locales)('are worded again exactly as zod words them in %s, from params alone', (locale) => {
    const issues = issuesOf(schema, broken);
    const expected = issuesOf(schema, broken, locale).map((issue) => issue.message);
    expect(new Set(issues.map((issue) => issue.code)).size).toBeGreaterThanOrEqual(7);
    const params = issues.map(schemaProblemParams);
    for (const each of params) expect(each.problem).not.toBe('custom');
    expect(params.map((each) => describeSchemaProblem(each, locale))).toEqual(expected);
  });

  it('keep the wording a schema gave a check itself, as zod would not give it back', () => {
    const [issue] = issuesOf(z.string().min(2, 'too short, says the host'), 'a');
    expect(issue && schemaProblemParams(issue)).toEqual({ problem: 'custom', text: 'too short, says the host' });
  });

  it('name graph-schema’s own rules by a reason, worded in every language', () => {
    const [issue] = issuesOf(flowIdSchema, '_bad');
    expect(issue && schemaProblemParams(issue)).toEqual({ problem: 'custom', reason: 'flow-id' });
    for (const reason of Object.keys(schemaReasonCatalog) as SchemaReason[]) {
      for (const locale of locales) expect(describeSchemaProblem({ problem: 'custom', reason }, locale)).toBe(schemaReasonCatalog[reason][locale]);
    }
    for (const reason of Object.keys(schemaPatterns)) expect(Object.keys(schemaReasonCatalog)).toContain(reason);
  });
});
