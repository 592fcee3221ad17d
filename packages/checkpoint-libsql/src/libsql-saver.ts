import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  JsonPlusSerializer,
  TASKS,
  WRITES_IDX_MAP,
  compareWritesSortKeys,
  getCheckpointId,
  maxChannelVersion,
  writesSortKey,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type PendingWrite,
  type SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import type { Client, InStatement } from '@libsql/client';
import { and, eq, lt } from 'drizzle-orm';
import { isDeepStrictEqual } from 'node:util';
import { CorruptCheckpointError } from './corrupt-checkpoint-error';
import { applyMigrations } from './migrations';
import { LocalDatabase } from './local-database';
import { ValueCache, type CachedValue } from './value-cache';
import { DEFAULT_DATABASE_URL, databaseFileOf, openLibsqlClient } from './open-client';
import { checkpoints } from './schema';
import {
  bind,
  compile,
  deleteThreadRows,
  insertBlobs,
  insertWrites,
  metadataPrefilter,
  olderThan,
  selectCheckpointRowById,
  selectCheckpointRows,
  selectLatestCheckpointRow,
  selectLatestTuple,
  selectTupleById,
  selectTuples,
  selectValuesByKeys,
  selectWritesToChannel,
  replaceCheckpoint,
  type CheckpointRow,
  type CompiledStatement,
  type StatementValues,
  type StoredChannelValue,
  type StoredWrite,
  type TupleRow,
} from './statements';

export interface LibsqlSaverOptions {
  /** Defaults to LangGraph's JsonPlusSerializer. */
  serde?: SerializerProtocol;
  /**
   * Bytes of serialized channel values kept in memory after reading them from a database file
   * (see ValueCache), default DEFAULT_VALUE_CACHE_BYTES; 0 turns the cache off.
   */
  valueCacheBytes?: number;
}

/** The default of `LibsqlSaverOptions.valueCacheBytes`: 32 MiB. */
export const DEFAULT_VALUE_CACHE_BYTES = 32 * 1024 * 1024;

export interface OpenLibsqlSaverOptions extends LibsqlSaverOptions {
  /** For a remote sqld (`libsql://`, `http://`) that requires one. */
  authToken?: string;
}

/** How many checkpoints `list` loads per query; it pages through longer histories. */
const LIST_PAGE_SIZE = 100;
/**
 * Rows per INSERT statement. SQLite accepts at most 32,766 bound values in one statement and a
 * write row binds 4 of its own; a checkpoint with more changed channels, or a task with more
 * writes, takes several statements.
 */
const ROWS_PER_INSERT = 1000;

/** Where a stored checkpoint is: the primary key of `langgraph_checkpoints`. */
interface CheckpointKey {
  threadId: string;
  checkpointNs: string;
  checkpointId: string;
}

/** A channel and its stored value. */
type ChannelValue = [channel: string, value: CachedValue];
/** `[taskId, channel, taskPath, idx, type, value]` */
type Write = [string, string, string, number, string, Uint8Array];

/** A stored checkpoint as read, by either path, before deserializing. */
interface LoadedCheckpoint {
  key: CheckpointKey;
  parentId: string | null;
  checkpointType: string;
  checkpoint: Uint8Array;
  metadataType: string;
  metadata: Uint8Array;
  /** Undefined when the row's index of values (`blob_versions`) is not JSON. */
  values: ChannelValue[] | undefined;
  writes: Write[];
}

/**
 * A LangGraph checkpointer on libsql: an embedded file (WAL), `:memory:`, or a remote sqld.
 *
 * Channel values are stored once per version in `langgraph_checkpoint_blobs`; a checkpoint row
 * holds the checkpoint without its values, so a step that changes one channel writes one value,
 * whatever the size of the rest of the state. The tables are created by the embedded drizzle-kit
 * migrations on `setup()`, which every method awaits (so calling it is optional).
 */
export class LibsqlSaver extends BaseCheckpointSaver {
  readonly client: Client;
  private ownsClient = false;
  private setupDone: Promise<void> | undefined;
  /**
   * The saver's own connection with prepared statements, when the client is on a database file
   * that openLibsqlClient opened; all reads and writes then go through it. Otherwise (`:memory:`,
   * which a second connection cannot see, a remote sqld, a client made elsewhere) the client is used.
   */
  private local: LocalDatabase | undefined;
  private readonly valueCache: ValueCache;
  /** The serde is LangGraph's own JsonPlusSerializer, whose reviving `decode` may skip (see there). */
  private readonly jsonPlus: boolean;

  /** Uses `client` without taking ownership: `close()` leaves it open. */
  constructor(client: Client, options: LibsqlSaverOptions = {}) {
    super(options.serde);
    this.client = client;
    this.jsonPlus = Object.getPrototypeOf(this.serde) === JsonPlusSerializer.prototype;
    const { valueCacheBytes = DEFAULT_VALUE_CACHE_BYTES } = options;
    if (!Number.isSafeInteger(valueCacheBytes) || valueCacheBytes < 0) {
      throw new RangeError(
        `LibsqlSaver option valueCacheBytes must be a whole number of bytes, 0 or more (0 turns the cache off); got ${String(valueCacheBytes)}.`,
      );
    }
    this.valueCache = new ValueCache(valueCacheBytes);
  }

  /**
   * Opens the database at `url` (see `openLibsqlClient`), migrates it, and returns a saver that
   * owns the connection: `close()` closes it.
   */
  static async open(url: string = DEFAULT_DATABASE_URL, options: OpenLibsqlSaverOptions = {}): Promise<LibsqlSaver> {
    const client = await openLibsqlClient(url, options.authToken);
    const saver = new LibsqlSaver(client, options);
    saver.ownsClient = true;
    try {
      await saver.setup();
    } catch (error) {
      client.close();
      throw error;
    }
    return saver;
  }

  /** Creates or migrates the checkpoint tables, once per saver; a failed attempt is retried on the next call. */
  setup(): Promise<void> {
    this.setupDone ??= applyMigrations(this.client).then(
      () => {
        const file = databaseFileOf(this.client);
        if (file !== undefined) this.local ??= new LocalDatabase(file);
      },
      (error: unknown) => {
        this.setupDone = undefined;
        throw error;
      },
    );
    return this.setupDone;
  }

  /** Closes the saver's own file connection, and the client if `open()` made it. */
  close(): void {
    this.local?.close();
    this.local = undefined;
    this.setupDone = undefined;
    if (this.ownsClient) this.client.close();
  }

  /**
   * Versions are numbers whose integer part counts the channel's updates and whose fraction is
   * random. Values are stored by (thread, namespace, channel, version), and two branches forked
   * from one checkpoint (time travel, `updateState` on an old checkpoint) both take the next
   * version: plain integers would make them overwrite or read each other's values.
   */
  override getNextVersion(current: number | undefined): number {
    const updatesSoFar = current === undefined ? 0 : Math.floor(current);
    return updatesSoFar + 1 + Math.random();
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    await this.setup();
    const threadId: unknown = config.configurable?.thread_id;
    if (typeof threadId !== 'string' || threadId === '') return undefined;
    const checkpointNs = namespaceOf(config);
    const checkpointId = getCheckpointId(config);
    const pick = (byId: CompiledStatement, latest: CompiledStatement): InStatement =>
      checkpointId ? bind(byId, { threadId, checkpointNs, checkpointId }) : bind(latest, { threadId, checkpointNs });
    // `all`, not `get`: libsql resets a statement before it runs, not after, so a `get` would keep
    // the connection's read snapshot pinned at its row (ARCHITECTURE.md).
    const [loaded] = this.local
      ? this.loadLocally(this.local, this.local.all<CheckpointRow>(pick(selectCheckpointRowById, selectLatestCheckpointRow)))
      : await this.loadRemotely(pick(selectTupleById, selectLatestTuple));
    return loaded && this.decodeTuple(loaded);
  }

  /**
   * Newest first. As MemorySaver: without `thread_id` every thread, without `checkpoint_ns`
   * every namespace, `checkpoint_id` selects one checkpoint, `before` keeps older checkpoints,
   * `filter` matches metadata keys, and a `limit` of 0 or less yields nothing.
   */
  async *list(config: RunnableConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    await this.setup();
    const { before, limit, filter = {} } = options;
    let remaining = limit ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    const threadId: unknown = config.configurable?.thread_id;
    const checkpointNs: unknown = config.configurable?.checkpoint_ns;
    const checkpointId: unknown = config.configurable?.checkpoint_id;
    const beforeId: unknown = before?.configurable?.checkpoint_id;
    const filterEntries = Object.entries(filter);
    const prefilters = filterEntries.map(([key, value]) => metadataPrefilter(key, value));
    // When SQL can check every filter, a page needs no more rows than are still wanted.
    const sqlChecksEveryFilter = prefilters.every((prefilter) => prefilter !== undefined);
    const conditions = [
      typeof threadId === 'string' && threadId !== '' ? eq(checkpoints.threadId, threadId) : undefined,
      typeof checkpointNs === 'string' ? eq(checkpoints.checkpointNs, checkpointNs) : undefined,
      typeof checkpointId === 'string' && checkpointId !== '' ? eq(checkpoints.checkpointId, checkpointId) : undefined,
      typeof beforeId === 'string' && beforeId !== '' ? lt(checkpoints.checkpointId, beforeId) : undefined,
      ...prefilters,
    ];

    let after: CheckpointKey | undefined;
    for (;;) {
      const pageSize = sqlChecksEveryFilter ? Math.min(remaining, LIST_PAGE_SIZE) : LIST_PAGE_SIZE;
      const where = and(...conditions, after && olderThan(after));
      const loaded = this.local
        ? this.loadLocally(this.local, this.local.all<CheckpointRow>(bind(compile(selectCheckpointRows(where, pageSize)))))
        : await this.loadRemotely(bind(compile(selectTuples(where, pageSize))));
      const page = await Promise.all(loaded.map((checkpoint) => this.decodeTuple(checkpoint)));
      for (const tuple of page) {
        const metadata: Record<string, unknown> = tuple.metadata ?? {};
        if (!filterEntries.every(([key, value]) => isDeepStrictEqual(metadata[key], value))) continue;
        yield tuple;
        remaining -= 1;
        if (remaining <= 0) return;
      }
      const last = page.at(-1);
      if (last === undefined || page.length < pageSize) return;
      after = keyOf(last.config);
    }
  }

  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    await this.setup();
    const threadId = requireThreadId(config, 'put a checkpoint');
    const checkpointNs = namespaceOf(config);
    const parentId: unknown = config.configurable?.checkpoint_id;
    const { channel_values: channelValues, ...checkpointWithoutValues } = checkpoint;
    const changed = Object.entries(newVersions).filter(([channel]) => Object.hasOwn(channelValues, channel));
    const [[checkpointType, checkpointBytes], [metadataType, metadataBytes], serializedValues] = await Promise.all([
      this.encode({ ...checkpointWithoutValues, channel_values: {} }),
      this.encode(metadata),
      Promise.all(changed.map(([channel]) => this.encode(channelValues[channel]))),
    ]);

    // The values go first: whichever way `runInOrder` runs the statements, a reader never finds
    // the checkpoint without them.
    const statements = chunkBounds(changed.length, ROWS_PER_INSERT).map(([first, end]) => {
      const values: StatementValues = { threadId, checkpointNs };
      for (let index = first; index < end; index += 1) {
        const [channel, version] = changed[index] as [string, number | string];
        const [type, bytes] = serializedValues[index] as [string, Uint8Array];
        const row = index - first;
        values[`channel${row}`] = channel;
        values[`version${row}`] = String(version);
        values[`type${row}`] = type;
        values[`value${row}`] = asBuffer(bytes);
      }
      return bind(insertBlobs(end - first), values);
    });
    const blobVersions = Object.fromEntries(
      Object.entries(checkpoint.channel_versions).map(([channel, version]) => [channel, String(version)]),
    );
    statements.push(
      bind(replaceCheckpoint, {
        threadId,
        checkpointNs,
        checkpointId: checkpoint.id,
        parentCheckpointId: typeof parentId === 'string' && parentId !== '' ? parentId : null,
        checkpointType,
        checkpoint: asBuffer(checkpointBytes),
        metadataType,
        metadata: asBuffer(metadataBytes),
        blobVersions: JSON.stringify(blobVersions),
      }),
    );
    await this.runInOrder(statements);
    return { configurable: { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: checkpoint.id } };
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath = ''): Promise<void> {
    await this.setup();
    const threadId = requireThreadId(config, 'put writes');
    const checkpointId: unknown = config.configurable?.checkpoint_id;
    if (typeof checkpointId !== 'string' || checkpointId === '') {
      throw new Error('Cannot put writes: config.configurable.checkpoint_id is missing; pass the config that put() returned.');
    }
    const checkpointNs = namespaceOf(config);
    const rows = await Promise.all(
      writes.map(async ([channel, value], index) => {
        const [type, bytes] = await this.encode(value);
        return { idx: WRITES_IDX_MAP[channel] ?? index, channel, type, value: asBuffer(bytes) };
      }),
    );
    const statements: InStatement[] = [];
    for (const conflict of ['keep', 'replace'] as const) {
      const group = rows.filter((row) => (row.idx < 0) === (conflict === 'replace'));
      for (const [first, end] of chunkBounds(group.length, ROWS_PER_INSERT)) {
        const values: StatementValues = { threadId, checkpointNs, checkpointId, taskId, taskPath };
        group.slice(first, end).forEach((row, position) => {
          values[`idx${position}`] = row.idx;
          values[`channel${position}`] = row.channel;
          values[`type${position}`] = row.type;
          values[`value${position}`] = row.value;
        });
        statements.push(bind(insertWrites(end - first, conflict), values));
      }
    }
    await this.runInOrder(statements);
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.setup();
    await this.runInOrder(deleteThreadRows.map((statement) => bind(statement, { threadId })));
    this.valueCache.deleteThread(threadId);
  }

  /**
   * Runs statements in order, all or none. On a file, in one synchronous transaction on the
   * saver's own connection; remotely as one batch (one round trip); else (`:memory:`, a file client
   * made elsewhere) as separate client calls, each statement atomic on its own, which is why `put`
   * inserts the values before the checkpoint.
   */
  private async runInOrder(statements: InStatement[]): Promise<void> {
    if (statements.length === 0) return;
    if (this.local) this.local.runInTransaction(statements);
    else if (this.client.protocol !== 'file') await this.client.batch(statements);
    else for (const statement of statements) await this.client.execute(statement);
  }

  /**
   * Runs a `selectCheckpointRows` statement, then reads the values and the writes of all the
   * checkpoints it found with one statement each.
   */
  /** The checkpoints of `rows` (read through `local`) with their values, from the cache where it has them. */
  private loadLocally(local: LocalDatabase, rows: readonly CheckpointRow[]): LoadedCheckpoint[] {
    if (rows.length === 0) return [];
    const pages = rows.map((row) => {
      const versions = parseVersions(row.blob_versions);
      // Each value's cache key once: building them was a twentieth of a getTuple.
      const valueKeys = versions?.map(([channel, version]) => [channel, ValueCache.key(row.thread_id, row.checkpoint_ns, channel, version)] as const);
      return { row, key: { threadId: row.thread_id, checkpointNs: row.checkpoint_ns, checkpointId: row.checkpoint_id }, valueKeys };
    });
    // Each distinct value once, from the cache when it has it.
    const values = new Map<string, CachedValue>();
    const missing = new Set<string>();
    for (const { valueKeys } of pages) {
      for (const [, valueKey] of valueKeys ?? []) {
        if (values.has(valueKey) || missing.has(valueKey)) continue;
        const cached = this.valueCache.get(valueKey);
        if (cached === undefined) missing.add(valueKey);
        else values.set(valueKey, cached);
      }
    }
    if (missing.size > 0) {
      // The cache keys are the JSON arrays selectValuesByKeys takes.
      for (const row of local.all<ValueRow>(bind(selectValuesByKeys, { keys: `[${[...missing].join(',')}]` }))) {
        const valueKey = ValueCache.key(row.thread_id, row.checkpoint_ns, row.channel, row.version);
        const value: CachedValue = { type: row.type, bytes: new Uint8Array(row.value) };
        values.set(valueKey, value);
        this.valueCache.set(valueKey, value);
      }
    }
    return pages.map(({ row, key, valueKeys }) => ({
      key,
      parentId: row.parent_checkpoint_id,
      checkpointType: row.checkpoint_type,
      checkpoint: new Uint8Array(row.checkpoint),
      metadataType: row.metadata_type,
      metadata: new Uint8Array(row.metadata),
      values: valueKeys?.flatMap(([channel, valueKey]): ChannelValue[] => {
        const stored = values.get(valueKey);
        return stored ? [[channel, stored]] : [];
      }),
      writes: parseWrites(row.pending_writes),
    }));
  }

  /** Runs a `selectTuples` statement through the client: each row holds values and writes as JSON of hex. */
  private async loadRemotely(statement: InStatement): Promise<LoadedCheckpoint[]> {
    const { rows } = await this.client.execute(statement);
    return (rows as unknown as TupleRow[]).map((row) => ({
      key: { threadId: row.thread_id, checkpointNs: row.checkpoint_ns, checkpointId: row.checkpoint_id },
      parentId: row.parent_checkpoint_id,
      checkpointType: row.checkpoint_type,
      checkpoint: fromHex(row.checkpoint),
      metadataType: row.metadata_type,
      metadata: fromHex(row.metadata),
      values: row.blob_versions_valid
        ? (JSON.parse(row.channel_values) as StoredChannelValue[]).map(
            ([channel, type, hex]): ChannelValue => [channel, { type, bytes: fromHex(hex) }],
          )
        : undefined,
      writes: parseWrites(row.pending_writes),
    }));
  }

  private async decodeTuple(loaded: LoadedCheckpoint): Promise<CheckpointTuple> {
    const { key, values: storedValues } = loaded;
    if (storedValues === undefined) {
      throw new CorruptCheckpointError(key.threadId, key.checkpointNs, key.checkpointId, 'index of channel values', 'not JSON');
    }
    const [checkpoint, metadata, values, pendingWrites] = await Promise.all([
      this.decode<Checkpoint>(key, 'checkpoint', loaded.checkpointType, loaded.checkpoint),
      this.decode<CheckpointMetadata>(key, 'metadata', loaded.metadataType, loaded.metadata),
      Promise.all(
        storedValues.map(async ([channel, stored]) => {
          if (stored.decoded) return [channel, stored.decoded.value];
          const value = await this.decode(key, `value of channel "${channel}"`, stored.type, stored.bytes);
          if (value === null || typeof value !== 'object') stored.decoded = { value };
          return [channel, value];
        }),
      ),
      this.decodeWrites(key, loaded.writes),
    ]);
    checkpoint.channel_values = Object.fromEntries(values);
    const { parentId } = loaded;
    if (checkpoint.v < 4 && parentId !== null) await this.migratePendingSends(checkpoint, { ...key, checkpointId: parentId });
    const configurable = { thread_id: key.threadId, checkpoint_ns: key.checkpointNs };
    const tuple: CheckpointTuple = {
      config: { configurable: { ...configurable, checkpoint_id: key.checkpointId } },
      checkpoint,
      metadata,
      pendingWrites,
    };
    if (parentId !== null) tuple.parentConfig = { configurable: { ...configurable, checkpoint_id: parentId } };
    return tuple;
  }

  /** Pending writes in the order LangGraph applies them (`writesSortKey`). */
  private decodeWrites(key: CheckpointKey, writes: Write[]): Promise<CheckpointPendingWrite[]> {
    const sorted = writes
      .map((write) => ({ write, sortKey: writesSortKey(write[2], write[0], write[3]) }))
      .sort((a, b) => compareWritesSortKeys(a.sortKey, b.sortKey));
    return Promise.all(
      sorted.map(async ({ write: [taskId, channel, , idx, type, value] }): Promise<CheckpointPendingWrite> => {
        const part = `write ${idx} of task "${taskId}" to channel "${channel}"`;
        return [taskId, channel, await this.decode(key, part, type, value)];
      }),
    );
  }

  /**
   * Checkpoints before format v4 kept the sends of the next step in the parent's TASKS writes;
   * v4 keeps them in the TASKS channel. Old checkpoints are upgraded on read, as MemorySaver does.
   */
  private async migratePendingSends(checkpoint: Checkpoint, parent: CheckpointKey): Promise<void> {
    const statement = bind(selectWritesToChannel, { ...parent, channel: TASKS });
    const rows = this.local ? this.local.all<Record<string, unknown>>(statement) : (await this.client.execute(statement)).rows;
    const writes = rows.map(
      (row) => [row.task_id, row.channel, row.task_path, row.idx, row.type, fromHex(String(row.value))] as Write,
    );
    const sends = await this.decodeWrites(parent, writes);
    checkpoint.channel_values[TASKS] = sends.map(([, , value]) => value);
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : this.getNextVersion(undefined);
  }

  /**
   * A value or checkpoint, serialized. JsonPlusSerializer first walks the value for cycles, then
   * stringifies it with a replacer called for every part of it, to write `lc` records for what
   * JSON cannot hold. A value of plain JSON (null, booleans, finite numbers, strings, and arrays and
   * plain objects of them) has nothing for it to replace, and `JSON.stringify` writes the same text.
   */
  private async encode(value: unknown): Promise<[string, Uint8Array]> {
    if (this.jsonPlus && isPlainJson(value, 0)) return ['json', utf8Encoder.encode(JSON.stringify(value))];
    return this.serde.dumpsTyped(value);
  }

  /**
   * A stored value or checkpoint, deserialized. JsonPlusSerializer parses the JSON, then walks every
   * object and array of it asynchronously (a promise each) to revive its `lc` records: LangChain
   * objects such as messages, and Set, Map, RegExp, Error, Uint8Array and undefined. JSON with no
   * `"lc"` in its text holds no such record, and the walk would only copy what `JSON.parse` gives,
   * so that is returned directly (a sixth of getTuple's time on the benchmark's state).
   */
  private async decode<T = unknown>(key: CheckpointKey, part: string, type: string, bytes: Uint8Array): Promise<T> {
    try {
      if (!this.jsonPlus || type !== 'json') return (await this.serde.loadsTyped(type, bytes)) as T;
      const text = utf8.decode(bytes);
      return (text.includes('"lc"') ? await this.serde.loadsTyped(type, text) : JSON.parse(text)) as T;
    } catch (error) {
      throw new CorruptCheckpointError(key.threadId, key.checkpointNs, key.checkpointId, part, error);
    }
  }
}

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();
/** Deeper than this, a value goes to the serde, which handles cycles. */
const PLAIN_JSON_MAX_DEPTH = 64;

/** Whether JSON holds `value` as it is: no undefined, no non-finite number, no class instance, no cycle. */
function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (depth >= PLAIN_JSON_MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        for (const item of value) if (!isPlainJson(item, depth + 1)) return false;
        return true;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

function namespaceOf(config: RunnableConfig): string {
  const checkpointNs: unknown = config.configurable?.checkpoint_ns;
  return typeof checkpointNs === 'string' ? checkpointNs : '';
}

function requireThreadId(config: RunnableConfig, action: string): string {
  const threadId: unknown = config.configurable?.thread_id;
  if (typeof threadId === 'string' && threadId !== '') return threadId;
  throw new Error(
    `Cannot ${action}: config.configurable.thread_id is missing. A checkpointer stores state per thread; ` +
      'run the graph with { configurable: { thread_id: "..." } }.',
  );
}

function keyOf(config: RunnableConfig): CheckpointKey {
  return {
    threadId: String(config.configurable?.thread_id),
    checkpointNs: String(config.configurable?.checkpoint_ns),
    checkpointId: String(config.configurable?.checkpoint_id),
  };
}

/** A row of `selectValuesByKeys`. */
interface ValueRow {
  thread_id: string;
  checkpoint_ns: string;
  channel: string;
  version: string;
  type: string;
  value: ArrayBuffer;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A checkpoint's `blob_versions` as `[channel, version]` pairs, or undefined when the stored
 * bytes are not a JSON object of strings (a damaged row).
 */
function parseVersions(bytes: ArrayBuffer): [string, string][] | undefined {
  let versions: unknown;
  try {
    versions = JSON.parse(strictUtf8.decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof versions !== 'object' || versions === null || Array.isArray(versions)) return undefined;
  const entries = Object.entries(versions);
  return entries.every((entry): entry is [string, string] => typeof entry[1] === 'string') ? entries : undefined;
}

/** Pending writes aggregated as JSON of StoredWrite (see `selectTuples`), values decoded from hex. */
function parseWrites(json: string): Write[] {
  return (JSON.parse(json) as StoredWrite[]).map(([taskId, channel, taskPath, idx, type, hex]): Write => [
    taskId,
    channel,
    taskPath,
    idx,
    type,
    fromHex(hex),
  ]);
}

/** Undoes the hex encoding of values read through the client (see `asHex` in statements.ts). */
function fromHex(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** [first, end) index ranges that split `count` items into runs of at most `size`. */
function chunkBounds(count: number, size: number): [number, number][] {
  const bounds: [number, number][] = [];
  for (let first = 0; first < count; first += size) bounds.push([first, Math.min(first + size, count)]);
  return bounds;
}
