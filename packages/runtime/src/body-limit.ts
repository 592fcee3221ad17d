// A bound on what a server the host calls (an MCP server over HTTP, a model's provider) may make it
// hold. The clients read a JSON answer (and any answer that is not a 2xx) whole and parse an SSE
// stream without any limit, so a server answering with an endless `data:` line, or with endless
// tokens, would grow the host's memory until it dies; a run recovered after the restart would call
// it again. This counts the bytes before the client sees one (after any content decoding: undici
// decodes first).

const LF = 0x0a;
const CR = 0x0d;

/**
 * Bytes are handed on in pieces of at least this size (or ending at a line break): an SSE parser
 * keeps each piece it is given as a string of its own, so a server writing one byte at a time
 * would make the host hold some fifty times the limit in string headers.
 */
const MIN_PIECE_BYTES = 16 * 1024;

/** An answer (or one of its messages) over the limit, thrown into the body that carried it. */
export class TooLargeError extends Error {
  override readonly name = 'TooLargeError';
}

export interface BodyLimit {
  readonly maxBytes: number;
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
  const events = limit.perEvent && isEventStream(response) ? new SseEventCounter(maxBytes) : undefined;
  let total = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (events ? events.add(chunk) : total > maxBytes) {
          const error = new TooLargeError(describe());
          onTooLarge?.(error);
          controller.error(error);
          return;
        }
        pending.push(chunk);
        pendingBytes += chunk.byteLength;
        if (pendingBytes >= MIN_PIECE_BYTES || (events && (chunk.includes(LF) || chunk.includes(CR)))) {
          controller.enqueue(concat(pending, pendingBytes));
          pending = [];
          pendingBytes = 0;
        }
      },
      flush(controller) {
        if (pendingBytes > 0) controller.enqueue(concat(pending, pendingBytes));
      },
    }),
  );
  const limited = new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  // The SDK names a redirect it did not follow from the answer's own URL.
  Object.defineProperty(limited, 'url', { value: response.url });
  return limited;
}
