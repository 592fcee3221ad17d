// A streamed reply's tokens as `llm.token` events. A provider decides how it cuts its reply: one
// token per chunk, or one byte; and a server stores every event a run yields as a row. So the
// first token goes out at once and the rest gather for TOKEN_EVENT_INTERVAL_MS: a streaming node
// yields at most about twenty events a second whatever its provider sends, and a person watching
// the text appear sees no difference.
import type { NodeStreamEvent } from './executor';

export const TOKEN_EVENT_INTERVAL_MS = 50;

export class TokenEvents {
  #pending = '';
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** What emitting from the timer threw (a secret in the text): the reply's next token or its end throws it. */
  #failure: { readonly error: unknown } | undefined;

  constructor(private readonly emit: (event: NodeStreamEvent) => void) {}

  add(token: string): void {
    this.#rethrow();
    this.#pending += token;
    // Outside a gathering window the token goes out at once, and opens one.
    if (this.#timer === undefined) this.#emitPending();
  }

  /** The reply ended (or failed): what is gathered goes out now, before the node's own end. */
  end(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#rethrow();
    if (this.#pending === '') return;
    const token = this.#pending;
    this.#pending = '';
    this.emit({ type: 'llm.token', token });
  }

  #emitPending(): void {
    if (this.#pending === '') {
      // Nothing came in the window: the next token goes out at once.
      this.#timer = undefined;
      return;
    }
    const token = this.#pending;
    this.#pending = '';
    this.#timer = undefined;
    this.emit({ type: 'llm.token', token });
    this.#timer = setTimeout(() => {
      try {
        this.#emitPending();
      } catch (error) {
        this.#failure = { error };
      }
    }, TOKEN_EVENT_INTERVAL_MS);
  }

  #rethrow(): void {
    if (this.#failure) throw this.#failure.error;
  }
}
