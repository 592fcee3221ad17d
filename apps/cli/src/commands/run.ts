import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { DEFAULT_DATABASE_URL } from '@loomflow/checkpoint-libsql';
import type { CompiledFlow } from '@loomflow/runtime';
import { breakpointHelp, breakpointOptions, breakpointsFor } from '../breakpoints';
import { ExitCode, UsageError, parseCommandArgs, type Command } from '../command';
import { checkFlow } from '../flow-check';
import { readFlowFile, readJsonFile } from '../flow-file';
import type { CliIo } from '../io';
import { describeJsonType, isJsonObject, parseJsonOption } from '../json-option';
import { reportRun } from '../run-report';
import { parseProviders, providerHelp, providerOptions } from '../providers';
import { RunSession } from '../run-session';
import { loadSubflows } from '../subflows';

const usage = `Usage: loomflow run <flow.json|file.bpmn> [--input <json> | --input-file <path>] [--thread ID] [--db URL] [--events] [--provider NAME=URL]
                    [--breakpoint-before node,...] [--breakpoint-after node,...] [--flows-dir DIR]

Runs a flow (a .bpmn file is imported first, its import report on stderr) to its end, or until it
waits for a person or pauses at a breakpoint. Its state is checkpointed in a libsql database, so
\`loomflow resume\` (in this or another process) continues a waiting thread and \`loomflow state\`
shows it. The thread id is printed on stderr.

Prints the final state (the flow's output channels) as one JSON object on stdout; with --events,
every run event as one JSON line instead (NDJSON), the last being run.completed, run.failed or
interrupt. Failures and questions to answer are printed on stderr. Ctrl-C stops the run.

Sub-flows: an agent.subflow node with flowId "x" runs the flow in <flows-dir>/x.json (sub-flows of
sub-flows too). They are read and checked before the run starts and stored with the thread.

Options:
  --input <json>              The input, a JSON object of channel values (default: {})
  --input-file <path>         Read the input object from a JSON file instead
  --thread ID                 Run on this thread (default: a new random id); an existing thread
                              keeps its state and starts over from the start node
  --db URL                    libsql database (default: ${DEFAULT_DATABASE_URL}, relative to the
                              current directory; e.g. file:/tmp/runs.db, libsql://host)
  --events                    Print every run event as NDJSON on stdout
${breakpointHelp}
${providerHelp}
  --flows-dir DIR             Where sub-flows are read from (default: the flow file's folder)
  -h, --help                  Show this help

Exit codes: 0 completed, 1 invalid input (flow, file, input JSON), 2 usage error, 3 waiting on an
interrupt (a person's answer or a breakpoint), 4 the run failed, 130 stopped by Ctrl-C
`;

async function readInput(values: { input?: string; 'input-file'?: string }, io: CliIo): Promise<Record<string, unknown> | undefined> {
  let input: unknown = {};
  let source = '--input';
  if (values.input !== undefined) {
    const parsed = parseJsonOption(values.input, '--input');
    if (!parsed.ok) {
      io.stderr(`loomflow: ${parsed.message}\n`);
      return undefined;
    }
    input = parsed.value;
  } else if (values['input-file'] !== undefined) {
    source = values['input-file'];
    const file = await readJsonFile(source, io);
    if (!file.ok) {
      io.stderr(`loomflow: ${file.message}\n`);
      return undefined;
    }
    input = file.document;
  }
  if (!isJsonObject(input)) {
    io.stderr(`loomflow: ${source} must be a JSON object of channel values, not ${describeJsonType(input)}\n`);
    return undefined;
  }
  return input;
}

/** LangGraph drops input keys the graph does not take; say so rather than let a typo pass unseen. */
function warnAboutIgnoredInput(input: Record<string, unknown>, flow: CompiledFlow, io: CliIo): void {
  const accepted = new Set(flow.ir.input ?? flow.ir.channels.map((channel) => channel.name));
  for (const key of Object.keys(input)) {
    if (!accepted.has(key)) io.stderr(`loomflow: warning: input "${key}" is not an input channel of flow "${flow.ir.flowId}"; it is ignored\n`);
  }
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a flow, checkpointing its state in a libsql database',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs({
      args: [...args],
      options: {
        input: { type: 'string' },
        'input-file': { type: 'string' },
        thread: { type: 'string' },
        db: { type: 'string', default: DEFAULT_DATABASE_URL },
        ...providerOptions,
        events: { type: 'boolean', default: false },
        ...breakpointOptions,
        'flows-dir': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    const [path, ...extra] = positionals;
    if (path === undefined) throw new UsageError('missing the flow file to run');
    if (extra.length > 0) throw new UsageError(`expected one flow file, got ${positionals.length}`);
    if (values.input !== undefined && values['input-file'] !== undefined) throw new UsageError('give the input with --input or --input-file, not both');
    if (values.thread === '') throw new UsageError('--thread must not be empty');

    const file = await readFlowFile(path, io);
    if (!file.ok) {
      io.stderr(`loomflow: ${file.message}\n`);
      return ExitCode.invalidInput;
    }
    if (!checkFlow(io, path, file.document)) return ExitCode.invalidInput;
    const breakpoints = breakpointsFor(values, file.document);
    const input = await readInput(values, io);
    if (!input) return ExitCode.invalidInput;
    const subflows = await loadSubflows(file.document, resolve(values['flows-dir'] ?? dirname(path)), io);
    if (!subflows) return ExitCode.invalidInput;

    const session = await RunSession.open(values.db, io, parseProviders(values.provider));
    if (!session) return ExitCode.invalidInput;
    try {
      const compiled = session.compile(io, path, file.document, subflows);
      if (!compiled.ok) return compiled.exitCode;
      warnAboutIgnoredInput(input, compiled.flow, io);

      const threadId = values.thread ?? randomUUID();
      await session.threads.remember({ threadId, flow: file.document, flowPath: path, subflows });
      io.stderr(`thread: ${threadId}\n`);
      const events = compiled.flow.run(input, { threadId, signal: io.stopSignal(), breakpoints });
      return await reportRun(events, io, { events: values.events, dbUrl: values.db });
    } finally {
      await session.close();
    }
  },
};
