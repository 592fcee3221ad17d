// A schema problem (a zod issue) kept as language-neutral params — its zod code and the values its
// message is made of — and worded again by zod's own locale when the issue is shown. zod's
// message is fixed in one language when the issue is made, so it cannot travel in params.
import { z } from 'zod';
import type { Locale } from '../localized';
import type { MessageParams, MessageParamValue } from '../message-template';
import { isSchemaReason, reasonOfPattern, schemaReasonCatalog } from '../schema-reasons';

const zodLocales: Record<Locale, () => { localeError: z.core.$ZodErrorMap }> = {
  en: z.locales.en,
  'zh-CN': z.locales.zhCN,
};

const internalError: Record<Locale, string> = {
  en: 'internal validator error: ',
  'zh-CN': '校验器内部错误：',
};

/** A primitive of an enum or literal as text that keeps its type (`"a"` and `1` stay apart). */
function encodePrimitive(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function decodePrimitive(text: string): string | number | boolean | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null ? value : text;
  } catch {
    return text;
  }
}

/** `exact`, `inclusive` or `exclusive`: how a size limit applies, as one token. */
function boundOf(issue: { readonly exact?: boolean; readonly inclusive?: boolean }): string {
  return issue.exact ? 'exact' : issue.inclusive ? 'inclusive' : 'exclusive';
}

/**
 * The params of a zod issue: `problem` (its code) and its values. Parse with `reportInput: true`,
 * or an `invalid_type` issue cannot say what it received, and without an error map: zod's own
 * English message is how a check the schema worded itself is told apart.
 */
export function schemaProblemParams(issue: z.core.$ZodIssue): MessageParams {
  const params = valuesOf(issue);
  // A schema that words a check itself (a host's `.min(1, 'say something')`) is not worded by zod
  // again; nor is any problem these params would not word back exactly as zod did. Its own text is
  // all there is then, in the one language it was written in.
  if (params.problem !== 'custom' && describeSchemaProblem(params, 'en') !== issue.message) return { problem: 'custom', text: issue.message };
  return params;
}

function valuesOf(issue: z.core.$ZodIssue): MessageParams {
  const problem = issue.code;
  switch (issue.code) {
    case 'invalid_type':
      return { problem, expected: issue.expected, received: z.core.util.parsedType(issue.input) };
    case 'too_big':
      return { problem, origin: issue.origin, limit: Number(issue.maximum), bound: boundOf(issue) };
    case 'too_small':
      return { problem, origin: issue.origin, limit: Number(issue.minimum), bound: boundOf(issue) };
    case 'invalid_format': {
      // One of graph-schema's own patterns: its reason says what the pattern means.
      const reason = issue.format === 'regex' ? reasonOfPattern(issue.pattern) : undefined;
      if (reason) return { problem: 'custom', reason };
      // The issue type zod declares leaves out the fields of the starts_with / ends_with / includes formats.
      const extra = issue as z.core.$ZodIssueInvalidStringFormat & { prefix?: string; suffix?: string; includes?: string };
      const params: Record<string, MessageParamValue> = { problem, format: issue.format };
      for (const key of ['pattern', 'prefix', 'suffix', 'includes'] as const) {
        const value = extra[key];
        if (value !== undefined) params[key] = value;
      }
      return params;
    }
    case 'not_multiple_of':
      return { problem, divisor: issue.divisor };
    case 'unrecognized_keys':
      return { problem, keys: issue.keys };
    case 'invalid_union':
      if (issue.inclusive === false) return { problem, matched: 'several' };
      return issue.options ? { problem, options: issue.options.map(String) } : { problem };
    case 'invalid_key':
    case 'invalid_element':
      return { problem, origin: issue.origin };
    case 'invalid_value':
      return { problem, values: issue.values.map(encodePrimitive) };
    case 'custom': {
      const reason: unknown = issue.params?.reason;
      // A host's own refinement has no entry in the catalog; its wording is all there is.
      return isSchemaReason(reason) ? { problem, reason } : { problem, text: issue.message };
    }
  }
}

/** An error thrown inside the validator, as params: its own message is all there is to say. */
export function internalProblemParams(error: unknown): MessageParams {
  return { problem: 'internal', error: error instanceof Error ? error.message : String(error) };
}

/** A value of the type zod names `type`, for zod to name it again in another language. */
function sampleOf(type: MessageParamValue | undefined): unknown {
  const samples: Record<string, unknown> = { string: '', number: 0, nan: Number.NaN, boolean: false, null: null, array: [], object: {}, date: new Date(0) };
  return typeof type === 'string' ? samples[type] : undefined;
}

function text(params: MessageParams, key: string): string {
  const value = params[key];
  return value === undefined ? '' : String(value);
}

function list(params: MessageParams, key: string): readonly string[] {
  const value = params[key];
  return typeof value === 'object' ? value : [];
}

/** The zod issue the params were taken from, as much of it as zod's locales read. */
function rawIssueOf(params: MessageParams): z.core.$ZodRawIssue | undefined {
  const base = { input: undefined, path: [] };
  const bound = { exact: params.bound === 'exact', inclusive: params.bound !== 'exclusive' };
  switch (params.problem) {
    case 'invalid_type':
      return { ...base, code: 'invalid_type', expected: text(params, 'expected'), input: sampleOf(params.received) };
    case 'too_big':
      return { ...base, code: 'too_big', origin: text(params, 'origin'), maximum: Number(params.limit), ...bound };
    case 'too_small':
      return { ...base, code: 'too_small', origin: text(params, 'origin'), minimum: Number(params.limit), ...bound };
    case 'invalid_format':
      return { ...base, code: 'invalid_format', format: text(params, 'format'), pattern: text(params, 'pattern'), prefix: text(params, 'prefix'), suffix: text(params, 'suffix'), includes: text(params, 'includes') };
    case 'not_multiple_of':
      return { ...base, code: 'not_multiple_of', divisor: Number(params.divisor) };
    case 'unrecognized_keys':
      return { ...base, code: 'unrecognized_keys', keys: [...list(params, 'keys')] };
    case 'invalid_union':
      return params.matched === 'several'
        ? { ...base, code: 'invalid_union', errors: [], inclusive: false, matches: [] }
        : { ...base, code: 'invalid_union', errors: [], ...(params.options === undefined ? {} : { options: [...list(params, 'options')] }) };
    case 'invalid_key':
      return { ...base, code: 'invalid_key', origin: params.origin === 'map' ? 'map' : 'record', issues: [] };
    case 'invalid_element':
      return { ...base, code: 'invalid_element', origin: params.origin === 'map' ? 'map' : 'set', key: undefined, issues: [] };
    case 'invalid_value':
      return { ...base, code: 'invalid_value', values: list(params, 'values').map(decodePrimitive) };
    default:
      return undefined;
  }
}

/** What is wrong, in `locale`: zod's own wording of the problem, or graph-schema's for its own rules. */
export function describeSchemaProblem(params: MessageParams, locale: Locale): string {
  if (params.problem === 'internal') return internalError[locale] + text(params, 'error');
  if (params.problem === 'custom') return isSchemaReason(params.reason) ? schemaReasonCatalog[params.reason][locale] : text(params, 'text');
  const raw = rawIssueOf(params);
  const worded = raw ? zodLocales[locale]().localeError(raw) : undefined;
  return typeof worded === 'string' ? worded : (worded?.message ?? text(params, 'problem'));
}
