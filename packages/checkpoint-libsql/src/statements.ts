// Every SQL statement of LibsqlSaver, written with drizzle against src/schema.ts. Most are
// compiled once (SQL text plus named placeholders) and run without drizzle, through the saver's
// own file connection (LocalDatabase, which prepares each text once) or @libsql/client (which
// prepares every statement it is given): drizzle's query building showed up in profiles of the
// hot paths.
import type { InStatement, InValue } from '@libsql/client';
import { and, eq, fillPlaceholders, getTableColumns, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import { checkpointBlobs, checkpointWrites, checkpoints } from './schema';

/** SQL text with its parameters, some of them drizzle placeholders filled per call by `bind`. */
export interface CompiledStatement {
  readonly sql: string;
  readonly params: unknown[];
}

/** Named values for a compiled statement's placeholders. */
export type StatementValues = Record<string, InValue>;

const dialect = new SQLiteAsyncDialect();
/** Builds insert and delete statements without a connection; they run through the client. */
const builder = drizzle.mock();
const placeholder = sql.placeholder;

export function compile(query: SQL): CompiledStatement {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return { sql: text, params };
}

export function bind(statement: CompiledStatement, values: StatementValues = {}): InStatement {
  return { sql: statement.sql, args: fillPlaceholders(statement.params, values) as InValue[] };
}

/**
 * Serialized values leave SQLite as hexadecimal text. libsql hands a BLOB to JavaScript about
 * three times slower than the same bytes as TEXT (85 µs against 34 µs for 16 KB, measured here),
 * but a JSON value cannot simply be cast to TEXT: if its bytes are not valid UTF-8 (a damaged
 * row), the libsql driver panics and takes the whole process down. Hex is always ASCII, needs no
 * escaping inside the JSON aggregates below, and costs one `Buffer.from(hex, 'hex')` to undo.
 */
function asHex(value: SQLWrapper): SQL {
  return sql`hex(${value})`;
}

/** `[channel, type, value as hex]` */
export type StoredChannelValue = [string, string, string];
/** `[taskId, channel, taskPath, idx, type, value as hex]` */
export type StoredWrite = [string, string, string, number, string, string];

/** One row of `selectTuples`: a checkpoint with its channel values and pending writes. */
export interface TupleRow {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  checkpoint_type: string;
  /** Hex, as all serialized values (see `asHex`). */
  checkpoint: string;
  metadata_type: string;
  metadata: string;
  /** 0 when `blob_versions` is not JSON (a damaged row): its values cannot be found. */
  blob_versions_valid: number;
  /** JSON array of StoredChannelValue. */
  channel_values: string;
  /** JSON array of StoredWrite. */
  pending_writes: string;
}

/**
 * The pending writes of the checkpoint of the current row of `checkpoints`, as a JSON array of
 * StoredWrite. Aggregated into the checkpoint's row because every further statement costs a call
 * into the driver and its own result set (about 40 µs for a few writes, measured here), more than
 * the hex detour for the usually small write values.
 */
const pendingWrites = sql`(SELECT json_group_array(json_array(w.task_id, w.channel, w.task_path, w.idx, w.type, ${asHex(sql`w.value`)}))
    FROM ${checkpointWrites} w
    WHERE w.thread_id = ${checkpoints.threadId} AND w.checkpoint_ns = ${checkpoints.checkpointNs}
      AND w.checkpoint_id = ${checkpoints.checkpointId})`;

/**
 * Up to `limit` checkpoints matching `where`, newest first (then by thread and namespace, the
 * keyset `olderThan` pages by), each in one row with its values and writes aggregated as JSON.
 *
 * One statement per call on purpose: @libsql/client prepares every statement it runs, and
 * preparing costs more than running these (a UNION of three SELECTs took 460 µs per call here,
 * this form 240 µs, three separate statements 320 µs). In the values subquery the CROSS JOIN fixes
 * the join order: otherwise SQLite walked every stored value of the thread and matched each
 * against json_each, instead of looking up the few it needs by key.
 */
export function selectTuples(where: SQL | undefined, limit: SQL | number): SQL {
  const versionsOrNone = sql`CASE WHEN json_valid(${checkpoints.blobVersions}) THEN ${checkpoints.blobVersions} ELSE '{}' END`;
  return sql`
    SELECT ${checkpoints.threadId} AS thread_id, ${checkpoints.checkpointNs} AS checkpoint_ns,
           ${checkpoints.checkpointId} AS checkpoint_id, ${checkpoints.parentCheckpointId} AS parent_checkpoint_id,
           ${checkpoints.checkpointType} AS checkpoint_type,
           ${asHex(checkpoints.checkpoint)} AS checkpoint,
           ${checkpoints.metadataType} AS metadata_type,
           ${asHex(checkpoints.metadata)} AS metadata,
           json_valid(${checkpoints.blobVersions}) AS blob_versions_valid,
           (SELECT json_group_array(json_array(b.channel, b.type, ${asHex(sql`b.value`)}))
            FROM json_each(${versionsOrNone}) v
            CROSS JOIN ${checkpointBlobs} b
              ON b.thread_id = ${checkpoints.threadId} AND b.checkpoint_ns = ${checkpoints.checkpointNs}
             AND b.channel = v.key AND b.version = v.value) AS channel_values,
           ${pendingWrites} AS pending_writes
    FROM ${checkpoints}
    ${where ? sql`WHERE ${where}` : sql``}
    ORDER BY ${checkpoints.checkpointId} DESC, ${checkpoints.threadId} DESC, ${checkpoints.checkpointNs} DESC
    LIMIT ${limit}
  `;
}

/** One row of `selectCheckpointRows`: a checkpoint without its values and writes. */
export interface CheckpointRow {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  checkpoint_type: string;
  checkpoint: ArrayBuffer;
  metadata_type: string;
  metadata: ArrayBuffer;
  /**
   * The bytes of `blob_versions`: as TEXT, bytes that are not UTF-8 (a damaged row) would make
   * the libsql driver panic and end the process, as for the values (see `asHex`).
   */
  blob_versions: ArrayBuffer;
  /** JSON array of StoredWrite. */
  pending_writes: string;
}

/**
 * The reads of the saver's own file connection (LocalDatabase), where every statement is prepared
 * once. A page of checkpoints (one for `getTuple`) takes at most two statements whatever its
 * size: its checkpoint rows with their pending writes (this), then the values they refer to that
 * the saver has not cached (`selectValuesByKeys`). Values then reach JavaScript as the BLOBs they
 * are, with neither the hex detour nor a JSON aggregate to build and parse, and a value that
 * several checkpoints of the page share (an unchanged channel) is read once.
 */
export function selectCheckpointRows(where: SQL | undefined, limit: SQL | number): SQL {
  return sql`
    SELECT ${checkpoints.threadId} AS thread_id, ${checkpoints.checkpointNs} AS checkpoint_ns,
           ${checkpoints.checkpointId} AS checkpoint_id, ${checkpoints.parentCheckpointId} AS parent_checkpoint_id,
           ${checkpoints.checkpointType} AS checkpoint_type, ${checkpoints.checkpoint} AS checkpoint,
           ${checkpoints.metadataType} AS metadata_type, ${checkpoints.metadata} AS metadata,
           CAST(${checkpoints.blobVersions} AS BLOB) AS blob_versions, ${pendingWrites} AS pending_writes
    FROM ${checkpoints}
    ${where ? sql`WHERE ${where}` : sql``}
    ORDER BY ${checkpoints.checkpointId} DESC, ${checkpoints.threadId} DESC, ${checkpoints.checkpointNs} DESC
    LIMIT ${limit}
  `;
}

/**
 * Stored values by key. Placeholder: keys, a JSON array of `[threadId, checkpointNs, channel,
 * version]`. CROSS JOIN for the same reason as in `selectTuples`: each key is one primary-key lookup.
 */
export const selectValuesByKeys = compile(sql`
  SELECT b.thread_id AS thread_id, b.checkpoint_ns AS checkpoint_ns, b.channel AS channel,
         b.version AS version, b.type AS type, b.value AS value
  FROM json_each(${placeholder('keys')}) k
  CROSS JOIN ${checkpointBlobs} b
    ON b.thread_id = k.value ->> 0 AND b.checkpoint_ns = k.value ->> 1
   AND b.channel = k.value ->> 2 AND b.version = k.value ->> 3
`);

const inThread = and(
  eq(checkpoints.threadId, placeholder('threadId')),
  eq(checkpoints.checkpointNs, placeholder('checkpointNs')),
);

/** The newest checkpoint of a thread's namespace. Placeholders: threadId, checkpointNs. */
export const selectLatestTuple = compile(selectTuples(inThread, 1));

const isCheckpoint = and(inThread, eq(checkpoints.checkpointId, placeholder('checkpointId')));

/** One checkpoint. Placeholders: threadId, checkpointNs, checkpointId. */
export const selectTupleById = compile(selectTuples(isCheckpoint, 1));

/** `selectLatestTuple` and `selectTupleById` for the saver's own file connection. */
export const selectLatestCheckpointRow = compile(selectCheckpointRows(inThread, 1));
export const selectCheckpointRowById = compile(selectCheckpointRows(isCheckpoint, 1));

/**
 * The writes of one checkpoint to one channel, as StoredWrite rows (for `migratePendingSends`).
 * Placeholders: threadId, checkpointNs, checkpointId, channel.
 */
export const selectWritesToChannel = compile(sql`
  SELECT task_id, channel, task_path, idx, type, ${asHex(sql`value`)} AS value
  FROM ${checkpointWrites}
  WHERE thread_id = ${placeholder('threadId')} AND checkpoint_ns = ${placeholder('checkpointNs')}
    AND checkpoint_id = ${placeholder('checkpointId')} AND channel = ${placeholder('channel')}
`);

/**
 * Inserts a checkpoint row, replacing one stored under the same id (as MemorySaver overwrites).
 * `INSERT OR REPLACE` rather than an upsert clause, which took the client half as long again to
 * prepare. Placeholders: the keys of `checkpoints` (threadId, checkpointNs, ...).
 */
export const replaceCheckpoint = compile(
  (() => {
    const columns = Object.entries(getTableColumns(checkpoints));
    const names = sql.join(
      columns.map(([, column]) => sql.identifier(column.name)),
      sql`, `,
    );
    const values = sql.join(
      columns.map(([key]) => placeholder(key)),
      sql`, `,
    );
    return sql`INSERT OR REPLACE INTO ${checkpoints} (${names}) VALUES (${values})`;
  })(),
);

/** Compiled multi-row inserts by row count; counts are few (channels per step, writes per task). */
const insertBlobsByRowCount = new Map<number, CompiledStatement>();
const keepWritesByRowCount = new Map<number, CompiledStatement>();
const replaceWritesByRowCount = new Map<number, CompiledStatement>();

/**
 * Inserts channel values, keeping an already stored version: a version names one value.
 * Placeholders: threadId, checkpointNs, and channel{i}, version{i}, type{i}, value{i} per row.
 */
export function insertBlobs(rowCount: number): CompiledStatement {
  let statement = insertBlobsByRowCount.get(rowCount);
  if (statement === undefined) {
    const rows = Array.from({ length: rowCount }, (_, row) => ({
      threadId: placeholder('threadId'),
      checkpointNs: placeholder('checkpointNs'),
      channel: placeholder(`channel${row}`),
      version: placeholder(`version${row}`),
      type: placeholder(`type${row}`),
      value: placeholder(`value${row}`),
    }));
    statement = compile(builder.insert(checkpointBlobs).values(rows).onConflictDoNothing().getSQL());
    insertBlobsByRowCount.set(rowCount, statement);
  }
  return statement;
}

/**
 * Inserts writes of one task: a retried task must not duplicate its writes, so a stored row is
 * kept, except for the special writes (error, interrupt, resume...), which have fixed negative
 * indexes and where the latest wins, as in MemorySaver. Placeholders: threadId, checkpointNs,
 * checkpointId, taskId, taskPath, and idx{i}, channel{i}, type{i}, value{i} per row.
 */
export function insertWrites(rowCount: number, conflict: 'keep' | 'replace'): CompiledStatement {
  const cache = conflict === 'keep' ? keepWritesByRowCount : replaceWritesByRowCount;
  let statement = cache.get(rowCount);
  if (statement === undefined) {
    const rows = Array.from({ length: rowCount }, (_, row) => ({
      threadId: placeholder('threadId'),
      checkpointNs: placeholder('checkpointNs'),
      checkpointId: placeholder('checkpointId'),
      taskId: placeholder('taskId'),
      idx: placeholder(`idx${row}`),
      channel: placeholder(`channel${row}`),
      type: placeholder(`type${row}`),
      value: placeholder(`value${row}`),
      taskPath: placeholder('taskPath'),
    }));
    const insert = builder.insert(checkpointWrites).values(rows);
    const query =
      conflict === 'keep'
        ? insert.onConflictDoNothing()
        : insert.onConflictDoUpdate({
            target: [
              checkpointWrites.threadId,
              checkpointWrites.checkpointNs,
              checkpointWrites.checkpointId,
              checkpointWrites.taskId,
              checkpointWrites.idx,
            ],
            set: {
              channel: sql`excluded.channel`,
              type: sql`excluded.type`,
              value: sql`excluded.value`,
              taskPath: sql`excluded.task_path`,
            },
          });
    statement = compile(query.getSQL());
    cache.set(rowCount, statement);
  }
  return statement;
}

/** Everything stored for a thread. Placeholder: threadId. */
export const deleteThreadRows = [checkpoints, checkpointBlobs, checkpointWrites].map((table) =>
  compile(builder.delete(table).where(eq(table.threadId, placeholder('threadId'))).getSQL()),
);

/** The keyset condition for the page after `key`, in `selectTuples`' order. */
export function olderThan(key: { threadId: string; checkpointNs: string; checkpointId: string }): SQL {
  return sql`(${checkpoints.checkpointId}, ${checkpoints.threadId}, ${checkpoints.checkpointNs}) < (${key.checkpointId}, ${key.threadId}, ${key.checkpointNs})`;
}

/**
 * Lets SQLite skip checkpoints whose metadata cannot match `metadata[key] === value`, so that a
 * filtered `list` does not load their values. Only for JSON-serialized metadata and primitive
 * values (compared with their JSON type, so 1 does not match true); everything else, and rows
 * this cannot read, is left to the exact check in JavaScript.
 */
export function metadataPrefilter(key: string, value: unknown): SQL | undefined {
  if (key.includes('"')) return undefined;
  const path = `$."${key}"`;
  const document = sql`CAST(${checkpoints.metadata} AS TEXT)`;
  const jsonType = sql`json_type(${document}, ${path})`;
  let matches: SQL;
  if (typeof value === 'string') matches = sql`${jsonType} = 'text' AND json_extract(${document}, ${path}) = ${value}`;
  else if (typeof value === 'number' && Number.isFinite(value)) {
    matches = sql`${jsonType} IN ('integer', 'real') AND json_extract(${document}, ${path}) = ${value}`;
  } else if (typeof value === 'boolean') matches = sql`${jsonType} = ${value ? 'true' : 'false'}`;
  else if (value === null) matches = sql`${jsonType} = 'null'`;
  else return undefined;
  return sql`(${checkpoints.metadataType} <> 'json' OR NOT json_valid(${document}) OR (${matches}))`;
}
