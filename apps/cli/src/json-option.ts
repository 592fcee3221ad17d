import { DEFAULT_MAX_JSON_DEPTH, describeJsonError, findJsonDepthExcess, findJsonSyntaxError, locationOf } from '@loomflow/graph-schema';

type ParsedJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** Parses JSON given as an option's value (`--input`, `--value`); `option` names it in the message. */
export function parseJsonOption(text: string, option: string): ParsedJson {
  const tooDeep = findJsonDepthExcess(text);
  if (tooDeep !== undefined) {
    return { ok: false, message: `${option} nests objects and arrays more than ${DEFAULT_MAX_JSON_DEPTH} levels deep (at column ${tooDeep.offset + 1})` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    // The shell hands the value over as one argument, usually one line: its column is what helps.
    const { line, column } = locationOf(text, findJsonSyntaxError(text) ?? text.length);
    const where = line > 1 ? `line ${line}, column ${column}` : `column ${column}`;
    return { ok: false, message: `${option} is not valid JSON: ${describeJsonError(error)} at ${where}` };
  }
}

/** What a JSON value is, in words, for messages such as "must be a JSON object, not an array". */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
