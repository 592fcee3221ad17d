/**
 * A stored checkpoint that cannot be deserialized. It names the thread and checkpoint so that an
 * operator can find (and delete) the row; other threads are unaffected.
 */
export class CorruptCheckpointError extends Error {
  override readonly name = 'CorruptCheckpointError';

  constructor(
    readonly threadId: string,
    readonly checkpointNs: string,
    readonly checkpointId: string,
    /** Which stored part failed, e.g. `metadata` or `value of channel "messages"`. */
    readonly part: string,
    cause: unknown,
  ) {
    const namespace = checkpointNs === '' ? '' : ` (namespace "${checkpointNs}")`;
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `Checkpoint "${checkpointId}" of thread "${threadId}"${namespace} cannot be read: its ${part} is corrupt (${reason}).`,
      { cause },
    );
  }
}
