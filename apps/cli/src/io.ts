import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Everything a command touches outside itself. Commands take it as a parameter so that unit tests
 * run them in memory; only the entry point binds it to the real process.
 */
export interface CliIo {
  /** Writes to standard output; the text carries its own line ends. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error; the text carries its own line ends. */
  readonly stderr: (text: string) => void;
  /** Reads a UTF-8 text file; rejects with a Node file-system error (`code` ENOENT, EISDIR, …). */
  readonly readFile: (path: string) => Promise<string>;
  /** Writes a UTF-8 text file, replacing it and creating its folder; rejects as readFile does (a BPMN export's `-o`). */
  readonly writeFile: (path: string, text: string) => Promise<void>;
  /** The environment variables the command may read (a provider's API key). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a file's bytes (a PDF for a knowledge base); rejects as readFile does. */
  readonly readBytes: (path: string) => Promise<Uint8Array>;
  /**
   * A signal that aborts when the user asks the command to stop (Ctrl-C). Only commands that can
   * stop cleanly ask for it: from then on the first Ctrl-C aborts the signal instead of killing
   * the process, and a second one kills it as usual.
   */
  readonly stopSignal: () => AbortSignal;
  /** Whether a file exists (the server bundle `loomflow serve` starts). */
  readonly exists: (path: string) => boolean;
  /**
   * Runs Node on a script in the foreground, its output going to ours, with more environment;
   * Ctrl-C and SIGTERM reach the child, which stops itself. Resolves to its exit code.
   */
  readonly runNode: (script: string, env: Readonly<Record<string, string>>) => Promise<number>;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  writeFile: async (path, text) => {
    // A generated project's files go into folders that may not exist yet.
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, 'utf8');
  },
  env: process.env,
  readBytes: async (path) => new Uint8Array(await readFile(path)),
  stopSignal: () => {
    const controller = new AbortController();
    // `once`: with the listener gone, a second Ctrl-C gets Node's default and ends the process.
    process.once('SIGINT', () => controller.abort('interrupted by Ctrl-C'));
    return controller.signal;
  },
  exists: (path) => existsSync(path),
  runNode: (script, env) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script], { stdio: 'inherit', env: { ...process.env, ...env } });
      // The child shares the terminal, so Ctrl-C reaches it too; this process only waits for it.
      const forward = (signal: NodeJS.Signals) => child.kill(signal);
      const ignoreInterrupt = () => undefined;
      process.on('SIGINT', ignoreInterrupt);
      process.on('SIGTERM', forward);
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        process.off('SIGINT', ignoreInterrupt);
        process.off('SIGTERM', forward);
        resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
      });
    }),
};
