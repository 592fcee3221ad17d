import { describe, expect, it } from 'vitest';
import { commands, runCli } from './cli';
import { memoryIo } from './memory-io';
import { version } from './version';

async function loomflow(...argv: string[]) {
  const { io, output } = memoryIo();
  const exitCode = await runCli(argv, io);
  return { exitCode, ...output };
}

describe('loomflow', () => {
  it('prints the overview on stderr and exits with 2 when given no command', async () => {
    const { exitCode, stdout, stderr } = await loomflow();
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: loomflow <command> [options]');
  });

  it.each(['--help', '-h'])('prints the overview of every command on stdout with %s', async (flag) => {
    const { exitCode, stdout } = await loomflow(flag);
    expect(exitCode).toBe(0);
    for (const command of commands) expect(stdout).toMatch(new RegExp(`^ {2}${command.name} +${command.summary}$`, 'm'));
  });

  it.each(['--version', '-v'])('prints the version with %s', async (flag) => {
    expect(await loomflow(flag)).toEqual({ exitCode: 0, stdout: `${version}\n`, stderr: '' });
  });

  it.each([
    [['deploy'], 'unknown command "deploy"'],
    [['--verbose'], 'unknown option "--verbose"'],
  ])('treats %j as a usage error with exit code 2', async (argv, problem) => {
    const { exitCode, stderr } = await loomflow(...argv);
    expect(exitCode).toBe(2);
    expect(stderr).toContain(`loomflow: ${problem}`);
    expect(stderr).toContain('Usage: loomflow <command> [options]');
  });

  it('gives every command a name, a summary and a usage of its own', () => {
    const names = commands.map((command) => command.name);
    expect(new Set(names).size).toBe(names.length);
    for (const command of commands) {
      expect(command.summary).not.toBe('');
      expect(command.usage).toContain(`Usage: loomflow ${command.name}`);
    }
  });
});
