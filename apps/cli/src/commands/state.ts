import { DEFAULT_DATABASE_URL } from '@loomflow/checkpoint-libsql';
import { ExitCode, UsageError, parseCommandArgs, type Command } from '../command';
import { RunSession } from '../run-session';

const usage = `Usage: loomflow state --thread ID [--db URL] [--history] [--flow <flow.json>]

Prints a thread's latest state as JSON on stdout: { "values", "next", "interrupts",
"checkpointId" }. \`next\` lists the nodes that run next (empty once the thread has finished);
\`interrupts\` what the thread waits on. With --history, prints every checkpoint of the thread,
newest first, each with its values, next nodes, step and parent checkpoint.

Options:
  --thread ID          The thread (printed by \`loomflow run\`)
  --db URL             libsql database (default: ${DEFAULT_DATABASE_URL})
  --history            Print the thread's checkpoints, newest first
  --flow <flow.json>   Read the thread with this flow instead of the one stored with it
  -h, --help           Show this help

Exit codes: 0 ok, 1 unknown thread, 2 usage error
`;

export const stateCommand: Command = {
  name: 'state',
  summary: "Show a thread's state or its checkpoint history",
  usage,
  async run(args, io) {
    const { values } = parseCommandArgs({
      args: [...args],
      options: {
        thread: { type: 'string' },
        db: { type: 'string', default: DEFAULT_DATABASE_URL },
        history: { type: 'boolean', default: false },
        flow: { type: 'string' },
      },
      allowPositionals: false,
      strict: true,
    });
    if (!values.thread) throw new UsageError('missing --thread: which thread to show');
    const threadId = values.thread;

    const session = await RunSession.open(values.db, io);
    if (!session) return ExitCode.invalidInput;
    try {
      const thread = await session.threadFlow(io, threadId, values.flow);
      if (!thread) return ExitCode.invalidInput;
      const compiled = session.compile(io, thread.source, thread.flow, thread.subflows);
      if (!compiled.ok) return compiled.exitCode;

      const state = await compiled.flow.getState(threadId);
      if (state.checkpointId === undefined) {
        io.stderr(`loomflow: thread "${threadId}" has no checkpoints in ${values.db}\n`);
        return ExitCode.invalidInput;
      }
      const result = values.history
        ? await compiled.flow.getHistory(threadId)
        : { values: state.values, next: state.next, interrupts: state.interrupts, checkpointId: state.checkpointId };
      io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      return ExitCode.ok;
    } finally {
      await session.close();
    }
  },
};
