// Flow documents as files: the exported JSON is the document exactly as stored, and a file to
// import is read with the same schema the server and the CLI use. A file that is not a flow is
// refused with what is wrong and where, before anything in the editor changes.
import { flowDocumentSchema, formatIssueMessage, formatPath, type FlowDocument, type Locale } from '@loomflow/graph-schema';
import { z } from 'zod';

/** The document as a file: pretty-printed, as the examples and `loomflow` CLI write flows. */
export function flowToJson(flow: FlowDocument): string {
  return `${JSON.stringify(flow, null, 2)}\n`;
}

export function isJsonFile(file: File): boolean {
  return file.type === 'application/json' || file.name.toLowerCase().endsWith('.json');
}

export type FlowFileProblem =
  /** Not JSON at all: where it breaks (1-based, as text editors count) and what is found there, if not the end. */
  | { readonly kind: 'syntax'; readonly line: number; readonly column: number; readonly found?: string }
  /** JSON, but not a flow document: one message per wrong field, naming its path. */
  | { readonly kind: 'schema'; readonly messages: readonly string[] };

export type FlowFileResult = { readonly ok: true; readonly flow: FlowDocument } | { readonly ok: false; readonly problem: FlowFileProblem };

const zodLocales: Record<Locale, () => { localeError: z.core.$ZodErrorMap }> = {
  en: z.locales.en,
  'zh-CN': z.locales.zhCN,
};

/** Reads a flow file; messages are in `locale`, except the JSON parser's own detail. */
export function parseFlowFile(text: string, locale: Locale): FlowFileResult {
  // Editors on Windows may start a UTF-8 file with a byte-order mark, which JSON.parse refuses.
  const source = text.replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch {
    return { ok: false, problem: syntaxProblem(source) };
  }
  const parsed = flowDocumentSchema.safeParse(json, { error: zodLocales[locale]().localeError });
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) => {
      const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
      return formatIssueMessage('schema', { where: formatPath(path), detail: issue.message }, locale);
    });
    return { ok: false, problem: { kind: 'schema', messages } };
  }
  // The schema cannot see that ids repeat, and every edit command relies on their being unique.
  const duplicates = duplicateIds(parsed.data);
  if (duplicates.length > 0) {
    return { ok: false, problem: { kind: 'schema', messages: duplicates.map((id) => formatIssueMessage('duplicate-id', { id }, locale)) } };
  }
  return { ok: true, flow: parsed.data };
}

/**
 * JSON.parse says where it stopped only in its message, in words that differ between engines and
 * sometimes without a position at all; the place is found again by scanning the text.
 */
function syntaxProblem(text: string): FlowFileProblem {
  const offset = jsonSyntaxErrorOffset(text);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  const found = text[offset];
  return { kind: 'syntax', line, column, ...(found === undefined ? {} : { found }) };
}

/** Thrown by the scanner where the text stops being JSON. */
class NotJson extends Error {}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The offset of the first character that breaks JSON's grammar (RFC 8259); the text's length if it ends too early. */
export function jsonSyntaxErrorOffset(text: string): number {
  let at = 0;
  const stop = (): never => {
    throw new NotJson();
  };
  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text.charAt(at))) at += 1;
  };
  const expect = (char: string) => {
    if (text[at] !== char) stop();
    at += 1;
  };
  const string = () => {
    expect('"');
    while (at < text.length) {
      const char = text.charAt(at);
      if (char === '"') {
        at += 1;
        return;
      }
      if (char < ' ') stop();
      if (char !== '\\') at += 1;
      else if (at + 1 < text.length && '"\\/bfnrt'.includes(text.charAt(at + 1))) at += 2;
      else if (text[at + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) at += 6;
      else {
        at += 1;
        stop();
      }
    }
    stop();
  };
  const value = (): void => {
    skipSpace();
    const char = text[at];
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      at += 1;
      skipSpace();
      if (text[at] === close) {
        at += 1;
        return;
      }
      for (;;) {
        if (close === '}') {
          skipSpace();
          string();
          skipSpace();
          expect(':');
        }
        value();
        skipSpace();
        if (text[at] !== ',') break;
        at += 1;
      }
      expect(close);
      return;
    }
    if (char === '"') return string();
    const word = ['true', 'false', 'null'].find((candidate) => text.startsWith(candidate, at));
    if (word) {
      at += word.length;
      return;
    }
    NUMBER.lastIndex = at;
    if (!NUMBER.test(text)) stop();
    at = NUMBER.lastIndex;
  };
  try {
    value();
    skipSpace();
    if (at < text.length) stop();
  } catch {
    // Where the scan stopped is the answer; absurdly deep nesting also stops it (stack overflow).
  }
  return at;
}

function duplicateIds(flow: FlowDocument): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { id } of [...flow.nodes, ...flow.edges, ...flow.annotations]) {
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  return [...duplicates];
}

/** Offers a file to the reader as a download. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  // The click has handed the file to the browser's download; the URL is no longer needed then.
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}
