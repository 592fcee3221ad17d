import type { Command } from './command';

/** The overview `loomflow --help` prints, listing the commands of the table it is given. */
export function overview(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: loomflow <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options:',
    '  -h, --help     Show this help (`loomflow <command> --help` shows a command’s options)',
    '  -v, --version  Print the version',
    '',
    'Exit codes: 0 ok, 1 invalid input, 2 usage error, 3 waiting on an interrupt, 4 run failed, 130 stopped by Ctrl-C',
    '',
  ].join('\n');
}
