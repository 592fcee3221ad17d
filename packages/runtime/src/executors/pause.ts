// Waiting between attempts of an outside call (a model, an HTTP request), so that a run that is
// stopped meanwhile (cancelled, out of time, over its event limit) does not go on to try again.

/** Waits before another attempt, or ends at once when the run is stopped. */
export function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}
