import { exportBpmnXml } from '@loomflow/bpmn';
import { flowDocumentSchema, validateFlow } from '@loomflow/graph-schema';
import { ExitCode, UsageError, parseCommandArgs, type Command } from '../command';
import { reportInvalidFlow } from '../flow-check';
import { printImportReport, readBpmnFile, readJsonFile } from '../flow-file';
import { formatIssueLine } from '../format-issues';
import type { CliIo } from '../io';

const usage = `Usage: loomflow bpmn import <file.bpmn> [-o flow.json]
       loomflow bpmn export <flow.json> [-o file.bpmn]

import: reads BPMN 2.0 XML made by any BPMN tool (Camunda Modeler, Signavio, Trisotech, …) into a
flow document: nodes at their diagram positions and sizes, lanes, pools, message flows, event
definitions, conditions and Camunda 8 settings. What Loomflow does not model is kept in the
document, so an export writes it back. The JSON goes to stdout, or to the -o file; the report goes
to stderr: a summary, each kept element (\`kept  <id>  <type>  <reason>\`), each warning, and
what \`validate\` would say of the flow.

export: writes a BPMN flow document as BPMN 2.0 XML that Camunda Modeler, bpmn.io and Camunda 8
open: a process per pool, lanes, every BPMN node with its event definitions, conditions as FEEL
(\`=expr\`), the diagram with the canvas positions and sizes, \`zeebe:\` elements for Camunda 8,
Loomflow's own settings in the \`loomflow:\` namespace, and what an import kept. The XML goes to stdout, or to the -o file.
What the XML cannot hold is listed on stderr as a warning naming the node or edge.

Options:
  -o, --output FILE    Write the JSON (import) or the XML (export) to FILE instead of stdout
  -h, --help           Show this help

Exit codes: 0 written (warnings and validation issues allowed), 1 a file that is missing, not
BPMN XML (the message gives line and column), not JSON or not a flow document, or an output file
that cannot be written, 2 usage error
`;

export const bpmnCommand: Command = {
  name: 'bpmn',
  summary: 'Import BPMN 2.0 XML into a flow document, or export one as BPMN 2.0 XML',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs({
      args: [...args],
      options: { output: { type: 'string', short: 'o' } },
      allowPositionals: true,
      strict: true,
    });
    const [action, path, ...extra] = positionals;
    if (action === undefined) throw new UsageError('missing the action: import or export');
    if (action !== 'export' && action !== 'import') throw new UsageError(`unknown action "${action}"; expected import or export`);
    if (path === undefined) throw new UsageError(`missing the ${action === 'import' ? 'BPMN' : 'flow'} file to ${action}`);
    if (extra.length > 0) throw new UsageError(`expected one file, got ${positionals.length - 1}`);
    if (action === 'import') return importBpmn(path, values.output, io);

    const file = await readJsonFile(path, io);
    if (!file.ok) {
      io.stderr(`loomflow: ${file.message}\n`);
      return ExitCode.invalidInput;
    }
    // A half-drawn diagram is worth exporting, so only the document's shape must hold, not
    // everything a run needs.
    const parsed = flowDocumentSchema.safeParse(file.document);
    if (!parsed.success) {
      reportInvalidFlow(io, path, validateFlow(file.document));
      return ExitCode.invalidInput;
    }
    if (parsed.data.kind !== 'bpmn') {
      io.stderr(`loomflow: ${path} is an ${parsed.data.kind} flow; only BPMN flows export to BPMN XML\n`);
      return ExitCode.invalidInput;
    }
    const { xml, warnings } = await exportBpmnXml(parsed.data);
    for (const warning of warnings) io.stderr(`warning  ${warning}\n`);
    return writeOutput(io, values.output, `${xml}\n`);
  },
};

async function importBpmn(path: string, output: string | undefined, io: CliIo): Promise<number> {
  const file = await readBpmnFile(path, io);
  if (!file.ok) {
    io.stderr(`loomflow: ${file.message}\n`);
    return ExitCode.invalidInput;
  }
  const { flow, report } = file.result;
  printImportReport(io, path, report, true);
  // The flow is written even when it would not run yet: opening a drawing is worth it.
  for (const issue of report.issues) io.stderr(`${formatIssueLine(issue)}\n`);
  return writeOutput(io, output, `${JSON.stringify(flow, null, 2)}\n`);
}

/** Writes to stdout, or to the -o file (then says so on stderr). */
async function writeOutput(io: CliIo, output: string | undefined, text: string): Promise<number> {
  if (output === undefined) {
    io.stdout(text);
    return ExitCode.ok;
  }
  try {
    await io.writeFile(output, text);
  } catch (error) {
    io.stderr(`loomflow: cannot write ${output}: ${error instanceof Error ? error.message : String(error)}\n`);
    return ExitCode.invalidInput;
  }
  io.stderr(`wrote ${output}\n`);
  return ExitCode.ok;
}
