// A bound on what an MCP server over HTTP may make the host hold. The SDK reads a JSON answer
// whole and parses an SSE stream into events without any limit, so a server answering with an
// endless `data:` line would grow one string until the host runs out of memory; a run recovered
// after the restart would call it again. The stdio transport has the same bound built in
// (`maxBufferSize`); this gives HTTP the same one, counted before the SDK sees a byte.

const LF = 0x0a;
const CR = 0x0d;

/**
 * Counts the bytes of each SSE event: an event ends at an empty line, whichever of CRLF, LF or CR
 * ends its lines (the SSE grammar allows all three).
 */
class SseEventCounter {
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

/**
 * The response with a body that fails once one message in it passes `maxBytes`: the whole body
 * for JSON, each event of an event stream (a stream that stays open for hours may carry any number
 * of events, each of them bounded). Failing the body cancels the request, so the server's
 * connection ends too. The error is `tooLarge()`'s, called first so that its caller can end the
 * connection: the SDK only reports a broken event stream to its error handler, and the request
 * the stream carried would wait out its time limit.
 */
export function limitMessages(response: Response, maxBytes: number, tooLarge: () => Error): Response {
  if (response.body === null) return response;
  const isEventStream = (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream');
  const events = new SseEventCounter(maxBytes);
  let total = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (isEventStream ? events.add(chunk) : total > maxBytes) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
}
