// Flow documents as files: the exported JSON is the document exactly as stored, and a file to
// import is read with the same schema the server and the CLI use. A file that is not a flow is
// refused with what is wrong and where, before anything in the editor changes.
import { flowDocumentSchema, formatIssueMessage, formatPath, schemaProblemParams, type FlowDocument, type Locale } from '@loomflow/graph-schema';
import { parseJsonText, type JsonSyntaxProblem } from './json-text';

/** The document as a file: pretty-printed, as the examples and `loomflow` CLI write flows. */
export function flowToJson(flow: FlowDocument): string {
  return `${JSON.stringify(flow, null, 2)}\n`;
}

export function isJsonFile(file: File): boolean {
  return file.type === 'application/json' || file.name.toLowerCase().endsWith('.json');
}

/** BPMN 2.0 XML, as Camunda Modeler (`.bpmn`) and some other tools (`.bpmn20.xml`) name it. */
export function isBpmnFile(file: File): boolean {
  const name = file.name.toLowerCase();
  return name.endsWith('.bpmn') || name.endsWith('.bpmn20.xml');
}

export type FlowFileProblem =
  /** Not JSON at all. */
  | ({ readonly kind: 'syntax' } & JsonSyntaxProblem)
  /** JSON, but not a flow document: one message per wrong field, naming its path. */
  | { readonly kind: 'schema'; readonly messages: readonly string[] };

export type FlowFileResult = { readonly ok: true; readonly flow: FlowDocument } | { readonly ok: false; readonly problem: FlowFileProblem };

/** Reads a flow file; messages are in `locale`, except the JSON parser's own detail. */
export function parseFlowFile(text: string, locale: Locale): FlowFileResult {
  // Editors on Windows may start a UTF-8 file with a byte-order mark, which JSON.parse refuses.
  const source = text.replace(/^\uFEFF/, '');
  const parsedText = parseJsonText(source);
  if (!parsedText.ok) return { ok: false, problem: { kind: 'syntax', ...parsedText.problem } };
  const json = parsedText.value;
  // The input is reported so that a wrong type can say what it received (schemaProblemParams).
  const parsed = flowDocumentSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) => {
      const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
      return formatIssueMessage('schema', { ...(path.length === 0 ? {} : { where: formatPath(path) }), ...schemaProblemParams(issue) }, locale);
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

function duplicateIds(flow: FlowDocument): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { id } of [...flow.nodes, ...flow.edges]) {
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
