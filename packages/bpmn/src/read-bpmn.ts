// Reading BPMN 2.0 XML is left to bpmn-moddle, the parser of bpmn.io and Camunda Modeler: it
// understands every namespace prefix, and its parser never processes DTDs, so external entities
// and entity bombs in untrusted files stay inert.
import { BpmnModdle, type FromXmlResult } from 'bpmn-moddle';

export interface BpmnElementSummary {
  readonly id: string;
  readonly type: string;
}

export interface BpmnReadResult {
  /** The `bpmn:Definitions` root as bpmn-moddle builds it. */
  readonly definitions: FromXmlResult['rootElement'];
  /** Every element that has an id, by id. */
  readonly elements: readonly BpmnElementSummary[];
  /** What the parser skipped or could not resolve, one line each, with line and column. */
  readonly warnings: readonly string[];
}

export class BpmnReadError extends Error {
  override readonly name = 'BpmnReadError';
}

/**
 * A message of bpmn-moddle's on one line, with its position counted from 1 as editors count:
 * its parser (saxen) counts lines and columns from 0, so a file cut short in its first line
 * read "line: 0".
 */
function oneLine(message: string): string {
  const counted = message.replace(/line: (\d+)\s*column: (\d+)/, (_match, line: string, column: string) => `line ${Number(line) + 1}, column ${Number(column) + 1}`);
  return counted.replace(/\s*\n\s*/g, '; ');
}

/** What the parser made of a file: the definitions, every element with an id by id, and the warnings. */
export interface BpmnParse {
  readonly definitions: FromXmlResult['rootElement'];
  readonly elementsById: FromXmlResult['elementsById'];
  readonly warnings: readonly string[];
}

/**
 * Parses with `moddle`, leaving the elements by id as moddle indexed them: the import reads the
 * types of only the few it reports on, rather than a list of every element in the file.
 */
export async function parseBpmnXml(xml: string, moddle: BpmnModdle): Promise<BpmnParse> {
  try {
    const result = await moddle.fromXML(xml);
    return { definitions: result.rootElement, elementsById: result.elementsById, warnings: result.warnings.map((warning) => oneLine(warning.message)) };
  } catch (error) {
    throw new BpmnReadError(`not a readable BPMN 2.0 document: ${oneLine(error instanceof Error ? error.message : String(error))}`);
  }
}

/** Reads with the plain BPMN packages, or with `moddle` when extension packages should be typed too. */
export async function readBpmnXml(xml: string, moddle: BpmnModdle = new BpmnModdle()): Promise<BpmnReadResult> {
  const { definitions, elementsById, warnings } = await parseBpmnXml(xml, moddle);
  return { definitions, elements: Object.entries(elementsById).map(([id, element]) => ({ id, type: element.$type })), warnings };
}

/** Whether bpmn-moddle knows `name` (e.g. `bpmn:UserTask`) as a BPMN element type. */
export function isBpmnElementType(name: string): boolean {
  try {
    new BpmnModdle().getType(name);
    return true;
  } catch {
    return false;
  }
}
