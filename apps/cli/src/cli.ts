import { ExitCode, UsageError, type Command } from './command';
import { bpmnCommand } from './commands/bpmn';
import { codegenCommand } from './commands/codegen';
import { kbCommand } from './commands/kb';
import { resumeCommand } from './commands/resume';
import { runCommand } from './commands/run';
import { serveCommand } from './commands/serve';
import { stateCommand } from './commands/state';
import { validateCommand } from './commands/validate';
import type { CliIo } from './io';
import { overview } from './usage';
import { version } from './version';

/** Every command, in the order the overview lists them; a new command is one more entry. */
export const commands: readonly Command[] = [validateCommand, runCommand, resumeCommand, stateCommand, bpmnCommand, codegenCommand, kbCommand, serveCommand];

/** Runs one command line (the arguments after `loomflow`) and resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(overview(commands));
    return ExitCode.usage;
  }
  if (first === '--help' || first === '-h') {
    io.stdout(overview(commands));
    return ExitCode.ok;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`${version}\n`);
    return ExitCode.ok;
  }
  const command = commands.find((candidate) => candidate.name === first);
  if (!command) {
    const problem = first.startsWith('-') ? `unknown option "${first}"` : `unknown command "${first}"`;
    io.stderr(`loomflow: ${problem}\n\n${overview(commands)}`);
    return ExitCode.usage;
  }
  // Every command's help works the same way, so the dispatcher answers it.
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`loomflow ${command.name}: ${error.message}\n\n${command.usage}`);
    return ExitCode.usage;
  }
}
