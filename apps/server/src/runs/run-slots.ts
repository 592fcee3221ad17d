// The cap on runs executing at once in this process; the rest wait as `queued`, first come first
// served.

/**
 * Runs executing at once. Node steps share one event loop and a file database writes
 * synchronously, so more runs at once do not finish sooner: they all finish late together, and
 * requests (SSE among them) wait behind them.
 */
export const DEFAULT_MAX_CONCURRENT_RUNS = 8;

export class RunSlots {
  readonly #waiting: (() => void)[] = [];
  #executing = 0;

  constructor(private readonly max: number = DEFAULT_MAX_CONCURRENT_RUNS) {}

  /** Resolves when a run may execute; every call must be followed by one `release`. */
  async acquire(): Promise<void> {
    if (this.#executing < this.max) {
      this.#executing += 1;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    // The slot passes straight to the next queued run, so no newcomer can slip in between.
    const next = this.#waiting.shift();
    if (next) next();
    else this.#executing -= 1;
  }
}
