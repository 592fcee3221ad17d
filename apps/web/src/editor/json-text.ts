// JSON typed by a person (an imported file, a run's input, a human step's answer): parsed, or
// refused with where it breaks, in the reader's language. JSON.parse's own messages differ
// between engines and often give no position, so graph-schema's scanner finds it.
import { findJsonSyntaxError, locationOf } from '@loomflow/graph-schema';

/** Where the text stops being JSON (1-based, as text editors count) and what is found there, if not the end. */
export interface JsonSyntaxProblem {
  readonly line: number;
  readonly column: number;
  readonly found?: string;
}

export type JsonTextResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: JsonSyntaxProblem };

export function parseJsonText(text: string): JsonTextResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const offset = findJsonSyntaxError(text) ?? text.length;
    const { line, column } = locationOf(text, offset);
    const found = text[offset];
    return { ok: false, problem: { line, column, ...(found === undefined ? {} : { found }) } };
  }
}

type Translate = (key: 'fileIo.syntaxEnd' | 'fileIo.syntaxAt', params: Record<string, unknown>) => string;

export function jsonSyntaxMessage(problem: JsonSyntaxProblem, t: Translate): string {
  return problem.found === undefined
    ? t('fileIo.syntaxEnd', { line: problem.line, column: problem.column })
    : t('fileIo.syntaxAt', { line: problem.line, column: problem.column, found: JSON.stringify(problem.found) });
}
