import { BpmnReadError, importBpmnXml, type BpmnImportReport, type BpmnImportResult } from '@loomflow/bpmn';
import { DEFAULT_MAX_JSON_DEPTH, describeJsonError, findJsonDepthExcess, findJsonSyntaxError, locationOf } from '@loomflow/graph-schema';
import { extname } from 'node:path';
import type { CliIo } from './io';

export type JsonFile = { readonly ok: true; readonly document: unknown } | { readonly ok: false; readonly message: string };

/**
 * Reads the flow document a command was given: a JSON flow document, or a `.bpmn` file imported
 * into one (what the import noticed goes to stderr). It only parses: whether the flow is valid is
 * validateFlow's question, so that every command reports flow problems the same way.
 */
export async function readFlowFile(path: string, io: CliIo): Promise<JsonFile> {
  if (!isBpmnPath(path)) return readJsonFile(path, io);
  const imported = await readBpmnFile(path, io);
  if (!imported.ok) return imported;
  printImportReport(io, path, imported.result.report, false);
  return { ok: true, document: imported.result.flow };
}

export function isBpmnPath(path: string): boolean {
  return extname(path).toLowerCase() === '.bpmn';
}

/** Reads a BPMN 2.0 XML file and imports it; unreadable or malformed XML is a message. */
export async function readBpmnFile(path: string, io: CliIo): Promise<{ readonly ok: true; readonly result: BpmnImportResult } | { readonly ok: false; readonly message: string }> {
  let xml: string;
  try {
    xml = await io.readFile(path);
  } catch (error) {
    return { ok: false, message: `cannot read ${path}: ${describeReadError(error)}` };
  }
  try {
    return { ok: true, result: await importBpmnXml(xml) };
  } catch (error) {
    if (error instanceof BpmnReadError) return { ok: false, message: `${path}: ${error.message}` };
    throw error;
  }
}

/**
 * The import report on stderr: a summary line, each kept element by id when `listKept` (the
 * `bpmn import` command; other commands point there), and each warning.
 */
export function printImportReport(io: CliIo, path: string, report: BpmnImportReport, listKept: boolean): void {
  const kept = report.kept.length;
  io.stderr(
    `imported ${path}: ${report.elements} elements, ${report.modelled} modelled, ${kept} kept without being modelled` +
      (kept > 0 && !listKept ? ' (`loomflow bpmn import` lists them)' : '') +
      '\n',
  );
  if (listKept) for (const element of report.kept) io.stderr(`kept  ${element.id}  ${element.type}  ${element.reason}\n`);
  for (const warning of report.warnings) io.stderr(`warning  ${warning}\n`);
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
