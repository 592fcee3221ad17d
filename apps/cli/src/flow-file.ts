import { DEFAULT_MAX_JSON_DEPTH, describeJsonError, findJsonDepthExcess, findJsonSyntaxError, locationOf } from '@loomflow/graph-schema';
import { extname } from 'node:path';
import type { CliIo } from './io';

export type JsonFile = { readonly ok: true; readonly document: unknown } | { readonly ok: false; readonly message: string };

/**
 * Reads the flow document a command was given. It only parses: whether the JSON is a valid flow is
 * validateFlow's question, so that every command reports flow problems the same way.
 */
export async function readFlowFile(path: string, io: CliIo): Promise<JsonFile> {
  if (extname(path).toLowerCase() === '.bpmn') {
    return { ok: false, message: `${path}: reading BPMN XML is not available yet; give a flow document (.json)` };
  }
  return readJsonFile(path, io);
}

/** Reads and parses a JSON file; a syntax error is reported with its line and column. */
export async function readJsonFile(path: string, io: CliIo): Promise<JsonFile> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    return { ok: false, message: `cannot read ${path}: ${describeReadError(error)}` };
  }
  // Some Windows editors start UTF-8 files with a byte-order mark, which JSON.parse rejects.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const tooDeep = findJsonDepthExcess(json);
  if (tooDeep !== undefined) {
    const { line, column } = locationOf(json, tooDeep.offset);
    return { ok: false, message: `${path} nests objects and arrays more than ${DEFAULT_MAX_JSON_DEPTH} levels deep, at line ${line}, column ${column}` };
  }
  try {
    return { ok: true, document: JSON.parse(json) };
  } catch (error) {
    const { line, column } = locationOf(json, findJsonSyntaxError(json) ?? json.length);
    return { ok: false, message: `${path} is not valid JSON: ${describeJsonError(error)} at line ${line}, column ${column}` };
  }
}

const readErrorReasons: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
};

function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code in readErrorReasons) return readErrorReasons[code] as string;
  return error instanceof Error ? error.message : String(error);
}
