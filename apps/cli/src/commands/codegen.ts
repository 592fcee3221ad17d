import { dirname, join, resolve } from 'node:path';
import { hasErrors, validateFlow } from '@loomflow/graph-schema';
import { ExitCode, UsageError, parseCommandArgs, type Command } from '../command';
import { reportInvalidFlow } from '../flow-check';
import { readFlowFile } from '../flow-file';
import { loadSubflows } from '../subflows';

const usage = `Usage: loomflow codegen <flow.json|file.bpmn> -o <dir> [--force] [--flows-dir DIR]

Writes the flow (a .bpmn file is imported first) as a standalone LangGraph.js project in <dir>:
package.json with pinned versions, tsconfig.json (strict), README.md, .env.example, langgraph.json
(for \`langgraphjs dev\` and LangGraph Platform), src/state.ts, src/nodes.ts, src/graph.ts and
src/main.ts. The code imports no Loomflow package. Each written file is listed on stderr.

A sub-flow node's flow is written into the project as a graph of its own (src/flows/<flowId>/),
read from <flows-dir>/<flowId>.json. A node that cannot be written out as code (retriever and MCP
nodes, MCP and flow tools, and a few BPMN elements) stops the command, naming the node and why;
nothing is written then.

Options:
  -o, --output DIR     The folder to write the project to (created when missing)
  --force              Replace files of the same names that are already in DIR
  --flows-dir DIR      Where sub-flows are read from (default: the flow file's folder)
  -h, --help           Show this help

Exit codes: 0 written, 1 a flow that is invalid or cannot be written out as code, a file that is
missing or not a flow, a file in DIR that would be replaced (without --force) or cannot be written,
2 usage error
`;

export const codegenCommand: Command = {
  name: 'codegen',
  summary: 'Write a flow as a standalone LangGraph.js project',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs({
      args: [...args],
      options: { output: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false }, 'flows-dir': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const [path, ...extra] = positionals;
    if (path === undefined) throw new UsageError('missing the flow file to write out as code');
    if (extra.length > 0) throw new UsageError(`expected one flow file, got ${positionals.length}`);
    if (values.output === undefined) throw new UsageError('missing -o <dir>, the folder to write the project to');
    const dir = values.output;

    const file = await readFlowFile(path, io);
    if (!file.ok) {
      io.stderr(`loomflow: ${file.message}\n`);
      return ExitCode.invalidInput;
    }
    const issues = validateFlow(file.document);
    if (hasErrors(issues)) {
      reportInvalidFlow(io, path, issues);
      return ExitCode.invalidInput;
    }
    const subflows = await loadSubflows(file.document, resolve(values['flows-dir'] ?? dirname(path)), io);
    if (!subflows) return ExitCode.invalidInput;
    // Loaded here, not with the CLI: Prettier and its parsers would slow every other command's start.
    const { CodegenRefusedError, generateProject } = await import('@loomflow/codegen');
    let files: Readonly<Record<string, string>>;
    try {
      files = await generateProject(file.document, { loadFlow: async (flowId) => subflows[flowId] });
    } catch (error) {
      if (!(error instanceof CodegenRefusedError)) throw error;
      io.stderr(`loomflow: ${path}: ${error.message}\n`);
      return ExitCode.invalidInput;
    }
    const targets = Object.keys(files).map((name) => [name, join(dir, name)] as const);
    const existing = targets.filter(([, target]) => io.exists(target)).map(([, target]) => target);
    if (existing.length > 0 && !values.force) {
      io.stderr(`loomflow: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}; pass --force to replace ${existing.length === 1 ? 'it' : 'them'}\n`);
      return ExitCode.invalidInput;
    }
    for (const [name, target] of targets) {
      try {
        await io.writeFile(target, files[name] as string);
      } catch (error) {
        io.stderr(`loomflow: cannot write ${target}: ${error instanceof Error ? error.message : String(error)}\n`);
        return ExitCode.invalidInput;
      }
      io.stderr(`wrote ${target}\n`);
    }
    io.stderr(`next: cd ${dir} && npm install && npm start -- '<input JSON>'\n`);
    return ExitCode.ok;
  },
};
