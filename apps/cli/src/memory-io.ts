import type { CliIo } from './io';

/** A CliIo for unit tests: files come from a map, and what the command writes is captured. */
export function memoryIo(files: Readonly<Record<string, string>> = {}, env: Readonly<Record<string, string | undefined>> = {}) {
  const output = { stdout: '', stderr: '' };
  /** The files the command wrote, by path. */
  const written: Record<string, string> = {};
  /** The scripts run with runNode, with the environment each was given; each exits with 0. */
  const started: { script: string; env: Readonly<Record<string, string>> }[] = [];
  const io: CliIo = {
    stdout: (text) => {
      output.stdout += text;
    },
    stderr: (text) => {
      output.stderr += text;
    },
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
      return text;
    },
    writeFile: async (path, text) => {
      written[path] = text;
    },
    env,
    readBytes: async (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
      return new TextEncoder().encode(text);
    },
    // Unit tests never press Ctrl-C; stopping a real run is tested on the built CLI.
    stopSignal: () => new AbortController().signal,
    exists: (path) => path in files,
    runNode: async (script, childEnv) => {
      started.push({ script, env: childEnv });
      return 0;
    },
  };
  return { io, output, started, written };
}
