// Several sandboxes behind one: a QuickJS worker runs one call at a time, so a process that runs
// many flows at once (the server) spreads code nodes over a few workers instead of queueing them
// all behind one. A call that overruns its deadline ends only its own worker's calls.
import type { CodeSandbox, SandboxLimits } from './code-sandbox';
import { QuickJsSandbox } from './quickjs-sandbox';

interface Member {
  readonly sandbox: CodeSandbox & { close(): Promise<void> };
  calls: number;
}

export class SandboxPool implements CodeSandbox {
  readonly #members: Member[];

  /** `size` sandboxes made by `create` (QuickJS workers by default); each starts on first use. */
  constructor(size: number, create: () => CodeSandbox & { close(): Promise<void> } = () => new QuickJsSandbox()) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a sandbox pool needs at least one sandbox, not ${size}`);
    this.#members = Array.from({ length: size }, () => ({ sandbox: create(), calls: 0 }));
  }

  async run(source: string, state: unknown, limits: SandboxLimits): Promise<unknown> {
    // The least busy sandbox; among idle ones the first, so a worker starts only when needed.
    const member = this.#members.reduce((best, candidate) => (candidate.calls < best.calls ? candidate : best));
    member.calls += 1;
    try {
      return await member.sandbox.run(source, state, limits);
    } finally {
      member.calls -= 1;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.#members.map((member) => member.sandbox.close()));
  }
}
