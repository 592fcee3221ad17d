/** A serialized channel value as stored: the serde's type tag and the bytes. */
export interface CachedValue {
  readonly type: string;
  readonly bytes: Uint8Array;
  /**
   * The deserialized value, kept only when it is immutable (a string, number, boolean or null: a
   * large document, say): an object would be shared by every tuple that reads it, and a caller
   * may change the state it is given.
   */
  decoded?: { value: unknown };
}

/**
 * Serialized channel values already read from the database file, least recently used first out
 * once their bytes exceed the capacity.
 *
 * A stored value never changes: it is keyed by (thread, namespace, channel, version), inserted
 * once and never updated, and versions from `getNextVersion` carry a random fraction, so a key is
 * not reused for another value even after a thread is deleted. Only `deleteThread` removes values,
 * and it drops the thread's entries here too. So a cached value is what a read would return,
 * except when the file is damaged after the read, which the next process to read it then reports.
 *
 * What it saves: every checkpoint of a thread refers to the unchanged channels' values (a large
 * document given as input, say) again, and libsql hands a BLOB to JavaScript slowly (about 1.5 ns
 * a byte here), so reading them again was the largest part of `getTuple`.
 */
export class ValueCache {
  private readonly entries = new Map<string, CachedValue>();
  private bytes = 0;

  constructor(private readonly capacityBytes: number) {}

  static key(threadId: string, checkpointNs: string, channel: string, version: string): string {
    return JSON.stringify([threadId, checkpointNs, channel, version]);
  }

  get(key: string): CachedValue | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Most recently used last, so that eviction takes the first entries.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: CachedValue): void {
    const size = value.bytes.byteLength;
    if (size > this.capacityBytes) return;
    this.forget(key);
    this.entries.set(key, value);
    this.bytes += size;
    for (const [oldest, evicted] of this.entries) {
      if (this.bytes <= this.capacityBytes) break;
      this.entries.delete(oldest);
      this.bytes -= evicted.bytes.byteLength;
    }
  }

  /** Drops every value of a thread, in all its namespaces. */
  deleteThread(threadId: string): void {
    const prefix = `[${JSON.stringify(threadId)},`;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.forget(key);
  }

  private forget(key: string): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.bytes -= value.bytes.byteLength;
  }
}
