// LangGraph hands a run's chunks over through a ReadableStream and ends a failed run with
// `controller.error`, which by the WHATWG streams rules discards every chunk still queued. A reader
// that gives the event loop a turn between chunks therefore lost the failing node's own
// `node.failed` whenever the failure came while chunks were queued. This reader takes chunks off
// the stream as soon as they arrive (microtasks only) into a queue of its own, and its consumer
// meets the stream's error only after every chunk that came before it.

/** Reads `source` eagerly; yields its chunks in order, then ends or throws as the source did. */
export async function* drained<T>(source: AsyncIterable<T>, turn: () => Promise<void>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const queue: T[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const pump = (async () => {
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        queue.push(next.value);
        notify();
      }
    } catch (error) {
      failure = { error };
    } finally {
      ended = true;
      notify();
    }
  })();
  let taken = 0;
  try {
    for (;;) {
      if (taken < queue.length) {
        const chunk = queue[taken] as T;
        taken += 1;
        // Let go of what was taken now and then, so a long run does not keep every chunk.
        if (taken > 1024) {
          queue.splice(0, taken);
          taken = 0;
        }
        yield chunk;
        await turn();
      } else if (ended) {
        if (failure) throw failure.error;
        return;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
  } finally {
    // The consumer stopped early: stop the source too, and let the pump settle.
    if (!ended) await iterator.return?.();
    await pump;
  }
}
