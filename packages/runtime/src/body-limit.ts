// A bound on what a server the host calls (an MCP server over HTTP, a model's provider) may make it
// hold. The clients read a JSON answer (and any answer that is not a 2xx) whole and parse an SSE
// stream without any limit, so a server answering with an endless `data:` line, or with endless
// tokens, would grow the host's memory until it dies; a run recovered after the restart would call
// it again. This counts the bytes before the client sees one (after any content decoding: undici
// decodes first).

const LF = 0x0a;
const CR = 0x0d;

/**
 * Bytes are handed on in pieces of at least this size, or, of a 2xx event stream, ending at a line
 * break: an SSE parser keeps each piece it is given as a string of its own, so a server writing one
 * byte at a time would make the host hold some fifty times the limit in string headers. A line
 * break hands on at once what came before it, so a model's first token is not held back until
 * 16 KiB of its reply have come.
 */
const MIN_PIECE_BYTES = 16 * 1024;

/** An answer (or one of its messages) over the limit, thrown into the body that carried it. */
export class TooLargeError extends Error {
  override readonly name = 'TooLargeError';
}

/**
 * The bytes of answers being read at once, across every call that shares it. Each answer's own
 * bound, times the calls in flight (a map of a thousand MCP calls, each answer just under its
 * bound), would still take all the host's memory.
 */
export class AnswerBudget {
  #held = 0;
  constructor(
    readonly maxBytes: number,
    /** What the host calls it where it is set, named in the failure; none if it cannot be set. */
    readonly setting?: string,
  ) {}

  /** Bytes of answers being read now. */
  get held(): number {
    return this.#held;
  }

  /** Takes `bytes` unless that would pass the budget. */
  take(bytes: number): boolean {
    if (this.#held + bytes > this.maxBytes) return false;
    this.#held += bytes;
    return true;
  }

  give(bytes: number): void {
    this.#held -= bytes;
  }

  describe(): string {
    return `the answers being read at once would hold more than ${this.maxBytes} bytes${this.setting ? `, the limit set by ${this.setting}` : ''}`;
  }
}

/** The budget of hosts that give none: 256 MiB, some sixty MCP answers at their own bound. */
export const DEFAULT_ANSWER_BUDGET = new AnswerBudget(256 * 1024 * 1024);

export interface BodyLimit {
  readonly maxBytes: number;
  /** Shared with the host's other calls' answers (DEFAULT_ANSWER_BUDGET if unset). */
  readonly budget?: AnswerBudget | undefined;
  /**
   * Counts each event of a 2xx event stream on its own rather than the whole answer: an MCP
   * server's stream may stay open for hours, carrying any number of messages, each bounded.
   */
  readonly perEvent: boolean;
}

/**
 * Counts the bytes of each SSE event: an event ends at an empty line, whichever of CRLF, LF or CR
 * ends its lines (the SSE grammar allows all three).
 */
export class SseEventCounter {
  #eventBytes = 0;
  #lineBytes = 0;
  #afterCr = false;
  constructor(private readonly maxBytes: number) {}

  /** The bytes of the event under way, line ends not counted. */
  get eventBytes(): number {
    return this.#eventBytes;
  }

  /** Whether the event under way is over the limit once `chunk` is added. */
  add(chunk: Uint8Array): boolean {
    for (const byte of chunk) {
      if (byte === LF && this.#afterCr) {
        // The LF of a CRLF: the CR already ended the line.
        this.#afterCr = false;
        continue;
      }
      this.#afterCr = byte === CR;
      if (byte === LF || byte === CR) {
        if (this.#lineBytes === 0) this.#eventBytes = 0;
        this.#lineBytes = 0;
      } else {
        this.#lineBytes += 1;
        this.#eventBytes += 1;
        if (this.#eventBytes > this.maxBytes) return true;
      }
    }
    return false;
  }
}

/** The SSE events the SDK parses one by one: a 2xx `text/event-stream` answer; anything else it reads whole. */
function isEventStream(response: Response): boolean {
  const essence = (response.headers.get('content-type') ?? '').split(';', 1)[0]?.trim().toLowerCase();
  return response.ok && essence === 'text/event-stream';
}

function concat(pieces: readonly Uint8Array[], bytes: number): Uint8Array {
  if (pieces.length === 1) return pieces[0] as Uint8Array;
  const joined = new Uint8Array(bytes);
  let at = 0;
  for (const piece of pieces) {
    joined.set(piece, at);
    at += piece.byteLength;
  }
  return joined;
}

/**
 * The response with a body that fails with a TooLargeError once it passes `limit.maxBytes`, or
 * with `perEvent` once one event of a 2xx event stream does. Failing the body cancels the request,
 * so the server's connection ends too. `onTooLarge` learns of it first: the MCP SDK only reports a
 * broken event stream to its error handler, and the request it carried would wait out its time
 * limit unless the caller answers it.
 */
export function limitBody(response: Response, limit: BodyLimit, describe: () => string, onTooLarge?: (error: TooLargeError) => void): Response {
  if (response.body === null) return response;
  const { maxBytes } = limit;
  const eventStream = isEventStream(response);
  const events = limit.perEvent && eventStream ? new SseEventCounter(maxBytes) : undefined;
  const budget = limit.budget ?? DEFAULT_ANSWER_BUDGET;
  let total = 0;
  // What this answer holds of the budget: the event under way, or all of it so far.
  let held = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const fail = (controller: TransformStreamDefaultController<Uint8Array>, message: string) => {
    const error = new TooLargeError(message);
    onTooLarge?.(error);
    controller.error(error);
  };
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      total += chunk.byteLength;
      if (events ? events.add(chunk) : total > maxBytes) {
        fail(controller, describe());
        return;
      }
      const holds = events ? events.eventBytes : total;
      if (holds > held && !budget.take(holds - held)) {
        fail(controller, budget.describe());
        return;
      }
      if (holds < held) budget.give(held - holds);
      held = holds;
      pending.push(chunk);
      pendingBytes += chunk.byteLength;
      if (pendingBytes >= MIN_PIECE_BYTES || (eventStream && (chunk.includes(LF) || chunk.includes(CR)))) {
        controller.enqueue(concat(pending, pendingBytes));
        pending = [];
        pendingBytes = 0;
      }
    },
    flush(controller) {
      if (pendingBytes > 0) controller.enqueue(concat(pending, pendingBytes));
    },
  });
  // The pipe settles however the answer ends (read to the end, failed, or cancelled by its reader),
  // and what it held goes back to the budget then.
  void response.body
    .pipeTo(counter.writable)
    .catch(() => {})
    .finally(() => budget.give(held));
  const counted = counter.readable;
  const limited = new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  // The SDK names a redirect it did not follow from the answer's own URL.
  Object.defineProperty(limited, 'url', { value: response.url });
  return limited;
}
