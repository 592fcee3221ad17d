// Server-sent events read from a fetch body. EventSource would parse them for us, but it cannot
// send the Authorization header a server started with LOOMFLOW_API_TOKEN requires, so the run
// stream is read with fetch and split into messages here, after the HTML standard's rules
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).

export interface SseMessage {
  /** The `event:` field; "message" when the frame names none. */
  readonly event: string;
  readonly data: string;
  /** The last `id:` seen so far on the stream, as EventSource's lastEventId. */
  readonly id: string;
}

export interface SseParser {
  /** Feeds decoded text; a frame may arrive split anywhere, even between `\r` and `\n`. */
  push(text: string): void;
}

export function createSseParser(onMessage: (message: SseMessage) => void): SseParser {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let lastId = '';
  /** A `\r` ended the previous chunk: a `\n` opening this one belongs to the same line end. */
  let afterCarriageReturn = false;

  const dispatch = () => {
    if (data.length > 0) onMessage({ event: event || 'message', data: data.join('\n'), id: lastId });
    event = '';
    data = [];
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    // An id holding NUL is ignored, as EventSource does.
    else if (field === 'id' && !value.includes('\0')) lastId = value;
  };

  return {
    push(text) {
      if (afterCarriageReturn && text.startsWith('\n')) text = text.slice(1);
      afterCarriageReturn = false;
      buffer += text;
      // Line ends found natively: a run of a large flow streams megabytes, and a loop over
      // characters in script was the slowest part of following it.
      const lineEnds = /\r\n|\r|\n/g;
      let start = 0;
      for (let found = lineEnds.exec(buffer); found !== null; found = lineEnds.exec(buffer)) {
        line(buffer.slice(start, found.index));
        // A chunk ending in `\r` may have its `\n` at the start of the next one.
        if (found[0] === '\r' && lineEnds.lastIndex === buffer.length) afterCarriageReturn = true;
        start = lineEnds.lastIndex;
      }
      buffer = buffer.slice(start);
    },
  };
}
