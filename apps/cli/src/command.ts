import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliIo } from './io';

/** The exit codes of docs/cli.md § Exit codes, with the shell's convention for a run stopped by Ctrl-C. */
export const ExitCode = {
  ok: 0,
  /** The input is at fault: a flow with errors, a file that is missing or not JSON, a refused answer. */
  invalidInput: 1,
  /** The command line is at fault: unknown command or option, missing argument. */
  usage: 2,
  /** The run paused: it waits on an interrupt (a person's answer or a breakpoint) and can be resumed. */
  waiting: 3,
  /** The run failed: a node could not run or failed while running. */
  runFailed: 4,
  /** The user stopped the run with Ctrl-C (128 + SIGINT, what shells report for it). */
  cancelled: 130,
} as const;

export interface Command {
  readonly name: string;
  /** One line for the command overview. */
  readonly summary: string;
  /** The command's own help text, ending with a newline. */
  readonly usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** A command line the command cannot act on; the dispatcher prints it with the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** node:util parseArgs, with its argument errors turned into usage errors. */
export function parseCommandArgs<Config extends ParseArgsConfig>(config: Config): ReturnType<typeof parseArgs<Config>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (error instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) throw new UsageError(error.message);
    throw error;
  }
}
