export interface SandboxLimits {
  readonly timeoutMs: number;
  readonly memoryMb: number;
}

/**
 * Runs user JavaScript away from the host: `source` is the body of a function of `state`; its
 * return value comes back as plain JSON data.
 */
export interface CodeSandbox {
  run(source: string, state: unknown, limits: SandboxLimits): Promise<unknown>;
}

/**
 * The user's code failed: it threw, ran out of time or memory, or returned something unusable; or
 * it never started (`busy`: no sandbox became free within the host's limits).
 */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';
  constructor(
    readonly reason: 'error' | 'timeout' | 'memory' | 'result' | 'busy',
    message: string,
  ) {
    super(message);
  }
}
