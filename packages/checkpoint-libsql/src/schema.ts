import { blob, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The three tables of LangGraph's checkpoint model, prefixed so that they can share one database
// with the server's own tables. Every serialized column is a BLOB next to the serde's type tag
// (`json` or `bytes` for JsonPlusSerializer), so a different serde can read its own output back.

/** One row per checkpoint, without its channel values: those live in `checkpointBlobs`. */
export const checkpoints = sqliteTable(
  'langgraph_checkpoints',
  {
    threadId: text('thread_id').notNull(),
    checkpointNs: text('checkpoint_ns').notNull().default(''),
    checkpointId: text('checkpoint_id').notNull(),
    parentCheckpointId: text('parent_checkpoint_id'),
    checkpointType: text('checkpoint_type').notNull(),
    /** The checkpoint with `channel_values` emptied. */
    checkpoint: blob('checkpoint', { mode: 'buffer' }).notNull(),
    metadataType: text('metadata_type').notNull(),
    metadata: blob('metadata', { mode: 'buffer' }).notNull(),
    /**
     * `channel_versions` again, as a JSON object of version strings: SQL joins it with
     * `checkpointBlobs` (through `json_each`) to load a checkpoint's values in the same query.
     */
    blobVersions: text('blob_versions').notNull(),
  },
  (table) => [primaryKey({ columns: [table.threadId, table.checkpointNs, table.checkpointId] })],
);

/**
 * One row per value a channel took: a checkpoint refers to it by version, so a channel that did
 * not change in a step is not written again.
 */
export const checkpointBlobs = sqliteTable(
  'langgraph_checkpoint_blobs',
  {
    threadId: text('thread_id').notNull(),
    checkpointNs: text('checkpoint_ns').notNull().default(''),
    channel: text('channel').notNull(),
    version: text('version').notNull(),
    type: text('type').notNull(),
    value: blob('value', { mode: 'buffer' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.threadId, table.checkpointNs, table.channel, table.version] })],
);

/** The pending writes of the tasks of the step that follows a checkpoint. */
export const checkpointWrites = sqliteTable(
  'langgraph_checkpoint_writes',
  {
    threadId: text('thread_id').notNull(),
    checkpointNs: text('checkpoint_ns').notNull().default(''),
    checkpointId: text('checkpoint_id').notNull(),
    taskId: text('task_id').notNull(),
    /** Position in the task's writes; negative for the special channels of `WRITES_IDX_MAP`. */
    idx: integer('idx').notNull(),
    channel: text('channel').notNull(),
    type: text('type').notNull(),
    value: blob('value', { mode: 'buffer' }).notNull(),
    /** Part of the order in which LangGraph applies a step's writes (`writesSortKey`). */
    taskPath: text('task_path').notNull().default(''),
  },
  (table) => [
    primaryKey({ columns: [table.threadId, table.checkpointNs, table.checkpointId, table.taskId, table.idx] }),
  ],
);
