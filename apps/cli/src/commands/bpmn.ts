import { exportBpmnXml } from '@loomflow/bpmn';
import { flowDocumentSchema, validateFlow } from '@loomflow/graph-schema';
import { ExitCode, UsageError, parseCommandArgs, type Command } from '../command';
import { reportInvalidFlow } from '../flow-check';
import { readJsonFile } from '../flow-file';

const usage = `Usage: loomflow bpmn export <flow.json> [-o file.bpmn]

Writes a BPMN flow document as BPMN 2.0 XML that Camunda Modeler, bpmn.io and Camunda 8 open: a
process per pool, lanes, every BPMN node with its event definitions, conditions as FEEL
(\`=expr\`), the diagram with the canvas positions and sizes, \`zeebe:\` elements for Camunda 8 and
Loomflow's own settings in the \`loomflow:\` namespace. The XML goes to stdout, or to the -o file.
What the XML cannot hold is listed on stderr as a warning naming the node or edge.

Options:
  -o, --output FILE    Write the XML to FILE instead of stdout
  -h, --help           Show this help

Exit codes: 0 written (warnings allowed), 1 a file that is missing, not JSON or not a flow
document, or an output file that cannot be written, 2 usage error
`;

export const bpmnCommand: Command = {
  name: 'bpmn',
  summary: 'Export a flow document as BPMN 2.0 XML',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs({
      args: [...args],
      options: { output: { type: 'string', short: 'o' } },
      allowPositionals: true,
      strict: true,
    });
    const [action, path, ...extra] = positionals;
    if (action === undefined) throw new UsageError('missing the action: export');
    if (action !== 'export') throw new UsageError(`unknown action "${action}"; expected export`);
    if (path === undefined) throw new UsageError('missing the flow file to export');
    if (extra.length > 0) throw new UsageError(`expected one flow file, got ${positionals.length - 1}`);

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
    if (values.output === undefined) {
      io.stdout(`${xml}\n`);
      return ExitCode.ok;
    }
    try {
      await io.writeFile(values.output, `${xml}\n`);
    } catch (error) {
      io.stderr(`loomflow: cannot write ${values.output}: ${error instanceof Error ? error.message : String(error)}\n`);
      return ExitCode.invalidInput;
    }
    io.stderr(`wrote ${values.output}\n`);
    return ExitCode.ok;
  },
};
