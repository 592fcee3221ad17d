import { DEFAULT_DATABASE_URL } from '@loomflow/checkpoint-libsql';
import type { RunEvent } from '@loomflow/graph-schema';
import { AnswerRejectedError, NotWaitingError, type CompiledFlow } from '@loomflow/runtime';
import { breakpointHelp, breakpointOptions, breakpointsFor } from '../breakpoints';
import { ExitCode, UsageError, parseCommandArgs, type Command } from '../command';
import type { CliIo } from '../io';
import { parseJsonOption } from '../json-option';
import { reportRun } from '../run-report';
import { parseProviders, providerHelp, providerOptions } from '../providers';
import { RunSession } from '../run-session';

const usage = `Usage: loomflow resume --thread ID [--value <json>] [--db URL] [--events] [--interrupt ID]
                       [--breakpoint-before node,...] [--breakpoint-after node,...] [--flow <flow.json>]

Continues a thread that waits on an interrupt, in any process: \`loomflow run\` stored the flow
with the thread in the database. For a human step, --value is the answer; it must satisfy the
step's answer schema, or it is refused (exit 1) and the thread keeps waiting. A thread paused at a
breakpoint needs no value. Prints what \`loomflow run\` prints, with the same exit codes.

Options:
  --thread ID                 The thread to resume (printed by \`loomflow run\`)
  --value <json>              The answer to the waiting step, as JSON
  --interrupt ID              Which interrupt to answer, when the thread waits on several
  --db URL                    libsql database (default: ${DEFAULT_DATABASE_URL})
  --events                    Print every run event as NDJSON on stdout
${breakpointHelp}
${providerHelp}
  --flow <flow.json>          Continue with this flow instead of the one stored with the thread
                              (its sub-flows are read from its folder); it is stored from now on
  -h, --help                  Show this help

Exit codes: 0 completed, 1 invalid input (unknown thread, refused answer, not waiting), 2 usage
error, 3 waiting on an interrupt again, 4 the run failed, 130 stopped by Ctrl-C
`;

/** Resumes the thread, or says why it cannot be: a refused answer, or nothing to resume. */
async function startResume(
  flow: CompiledFlow,
  threadId: string,
  value: unknown,
  options: Parameters<CompiledFlow['resume']>[2],
  io: CliIo,
): Promise<AsyncIterable<RunEvent> | undefined> {
  try {
    return await flow.resume(threadId, value, options);
  } catch (error) {
    if (!(error instanceof AnswerRejectedError || error instanceof NotWaitingError)) throw error;
    const stillWaiting = error instanceof AnswerRejectedError ? '; the thread keeps waiting' : '';
    io.stderr(`loomflow: ${error.message}${stillWaiting}\n`);
    return undefined;
  }
}

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'Answer a waiting thread, or continue it from a breakpoint',
  usage,
  async run(args, io) {
    const { values } = parseCommandArgs({
      args: [...args],
      options: {
        thread: { type: 'string' },
        value: { type: 'string' },
        interrupt: { type: 'string' },
        db: { type: 'string', default: DEFAULT_DATABASE_URL },
        ...providerOptions,
        events: { type: 'boolean', default: false },
        ...breakpointOptions,
        flow: { type: 'string' },
      },
      allowPositionals: false,
      strict: true,
    });
    if (!values.thread) throw new UsageError('missing --thread: which thread to resume');
    const threadId = values.thread;
    let value: unknown = null;
    if (values.value !== undefined) {
      const parsed = parseJsonOption(values.value, '--value');
      if (!parsed.ok) {
        io.stderr(`loomflow: ${parsed.message}\n`);
        return ExitCode.invalidInput;
      }
      value = parsed.value;
    }

    const session = await RunSession.open(values.db, io, parseProviders(values.provider));
    if (!session) return ExitCode.invalidInput;
    try {
      const thread = await session.threadFlow(io, threadId, values.flow);
      if (!thread) return ExitCode.invalidInput;
      const breakpoints = breakpointsFor(values, thread.flow);
      const compiled = session.compile(io, thread.source, thread.flow, thread.subflows);
      if (!compiled.ok) return compiled.exitCode;

      if (values.value === undefined) {
        const { interrupts } = await compiled.flow.getState(threadId);
        const waiting = values.interrupt === undefined ? interrupts[0] : interrupts.find((pending) => pending.interruptId === values.interrupt);
        if (waiting?.kind === 'human') throw new UsageError(`missing --value: node "${waiting.nodeId}" waits for an answer`);
      }
      const interruptId = values.interrupt === undefined ? {} : { interruptId: values.interrupt };
      const events = await startResume(compiled.flow, threadId, value, { signal: io.stopSignal(), breakpoints, ...interruptId }, io);
      if (!events) return ExitCode.invalidInput;
      if (values.flow !== undefined) await session.threads.remember(thread);
      io.stderr(`thread: ${threadId}\n`);
      return await reportRun(events, io, { events: values.events, dbUrl: values.db });
    } finally {
      await session.close();
    }
  },
};
