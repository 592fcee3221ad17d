// The server's tables (the checkpoints are checkpoint-libsql's). JSON columns hold documents the
// server reads whole; everything the API filters or sorts on is a column of its own. Timestamps are
// milliseconds since the epoch. Later features (timers, message subscriptions, knowledge bases)
// add their own tables referencing `runs`/`flows` by id, the way `human_tasks` does.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** The database's clock in milliseconds: run leases compare against it, never a process's clock. */
export const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

export const flows = sqliteTable(
  'flows',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['agent', 'bpmn'] }).notNull(),
    document: text('document', { mode: 'json' }).notNull(),
    /** Bumped by every write; a client's stale revision is refused (optimistic concurrency). */
    revision: integer('revision').notNull().default(1),
    createdAt: integer('created_at').notNull().default(now),
    updatedAt: integer('updated_at').notNull().default(now),
    /** Debug settings (breakpoints): kept apart from the document, so they never change its revision. */
    debug: text('debug', { mode: 'json' }),
  },
  (table) => [index('flows_name_idx').on(table.name), index('flows_updated_idx').on(table.updatedAt)],
);

/** Published versions: immutable, numbered 1, 2, … per flow. */
export const flowVersions = sqliteTable(
  'flow_versions',
  {
    flowId: text('flow_id')
      .notNull()
      .references(() => flows.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    message: text('message').notNull().default(''),
    document: text('document', { mode: 'json' }).notNull(),
    /** The draft revision this version was published from. */
    revision: integer('revision').notNull(),
    createdAt: integer('created_at').notNull().default(now),
  },
  (table) => [primaryKey({ columns: [table.flowId, table.version] })],
);

export const runStatuses = ['queued', 'running', 'waiting', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof runStatuses)[number];

export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    /** No foreign key: a run's history outlives the deletion of its flow. */
    flowId: text('flow_id').notNull(),
    /** The published version the run executes; null = the draft as saved when the run started. */
    version: integer('version'),
    /** The document the thread runs, so resume, state and recovery rebuild the same graph. */
    document: text('document', { mode: 'json' }).notNull(),
    threadId: text('thread_id').notNull(),
    status: text('status', { enum: runStatuses }).notNull(),
    /** `start` (new input), `resume` (an answer), `continue` (recovery after a crash), `replay` (another run's record). */
    trigger: text('trigger', { enum: ['start', 'resume', 'continue', 'replay'] }).notNull(),
    input: text('input', { mode: 'json' }),
    options: text('options', { mode: 'json' }),
    error: text('error', { mode: 'json' }),
    createdAt: integer('created_at').notNull().default(now),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
    /**
     * The server process executing a queued or running run, and until when (database clock) its
     * claim holds unless renewed; another process takes the run over only once it expired.
     */
    owner: text('owner'),
    leaseExpiresAt: integer('lease_expires_at'),
    /**
     * The thread's latest checkpoint when a process last took the run over after a crash, and how
     * many such takeovers in a row found it there: a run whose step kills the process (memory, a
     * native crash) never commits that step, and without a bound each restarted server would
     * continue it and die again. Events are no measure: a re-executed step emits some again.
     */
    takeoverCheckpoint: text('takeover_checkpoint'),
    stalledTakeovers: integer('stalled_takeovers').notNull().default(0),
  },
  (table) => [
    index('runs_flow_idx').on(table.flowId, table.createdAt),
    index('runs_thread_idx').on(table.threadId, table.createdAt),
    index('runs_status_idx').on(table.status),
  ],
);

export const runEvents = sqliteTable(
  'run_events',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    event: text('event', { mode: 'json' }).notNull(),
    /** The runtime's identity of an event that re-executing its step would repeat (`runEventKey`). */
    eventKey: text('event_key'),
  },
  (table) => [primaryKey({ columns: [table.runId, table.seq] }), uniqueIndex('run_events_key_idx').on(table.runId, table.eventKey)],
);

/**
 * The answers of a run's outside calls (model replies, HTTP responses, MCP results, searches), by
 * the runtime's call key, which a replay of the run serves instead of calling out.
 */
export const runCalls = sqliteTable(
  'run_calls',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    nodeId: text('node_id').notNull(),
    kind: text('kind').notNull(),
    result: text('result', { mode: 'json' }),
    createdAt: integer('created_at').notNull().default(now),
  },
  (table) => [primaryKey({ columns: [table.runId, table.key] })],
);

/** `closed`: the process no longer waits on it (a multi-instance activity completed without it, 或签); nobody answered it. */
export const taskStatuses = ['open', 'claimed', 'completed', 'closed'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export const humanTasks = sqliteTable(
  'human_tasks',
  {
    id: text('id').primaryKey(),
    runId: text('run_id').notNull(),
    threadId: text('thread_id').notNull(),
    nodeId: text('node_id').notNull(),
    interruptId: text('interrupt_id').notNull(),
    status: text('status', { enum: taskStatuses }).notNull().default('open'),
    assignee: text('assignee'),
    candidateGroups: text('candidate_groups', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    prompt: text('prompt'),
    schema: text('schema', { mode: 'json' }),
    answer: text('answer', { mode: 'json' }),
    /** The run that completing the task started. */
    resumeRunId: text('resume_run_id'),
    createdAt: integer('created_at').notNull().default(now),
    claimedAt: integer('claimed_at'),
    completedAt: integer('completed_at'),
  },
  (table) => [
    uniqueIndex('human_tasks_interrupt_idx').on(table.threadId, table.interruptId),
    index('human_tasks_status_idx').on(table.status, table.assignee),
  ],
);

export const waitStatuses = ['waiting', 'done'] as const;
export type WaitStatus = (typeof waitStatuses)[number];

/**
 * BPMN timers a thread waits on (an interrupt's timer: a catch event's, a boundary event's, one of
 * an event-based gateway's), with the time they are due: the scheduler resumes the thread when the
 * time comes, also after a restart, since the row outlives the process. `node_id` is the node that
 * catches it. `done` once fired (or once the interrupt was answered another way).
 */
export const timers = sqliteTable(
  'timers',
  {
    id: text('id').primaryKey(),
    runId: text('run_id').notNull(),
    threadId: text('thread_id').notNull(),
    nodeId: text('node_id').notNull(),
    interruptId: text('interrupt_id').notNull(),
    dueAt: integer('due_at').notNull(),
    status: text('status', { enum: waitStatuses }).notNull().default('waiting'),
    /** The run that firing the timer started. */
    resumeRunId: text('resume_run_id'),
    createdAt: integer('created_at').notNull().default(now),
    firedAt: integer('fired_at'),
  },
  (table) => [uniqueIndex('timers_interrupt_node_idx').on(table.threadId, table.interruptId, table.nodeId), index('timers_due_idx').on(table.status, table.dueAt)],
);

export const subscriptionKinds = ['message', 'signal'] as const;

/**
 * Messages and signals a thread waits for (on an interrupt: a catch event, a boundary event, an
 * event-based gateway), by name and, for messages, correlation key ('' when the process gave none):
 * POST /api/messages delivers a message to the row that matches; a signal (POST /api/signals, or
 * thrown by a process) goes to every row waiting for its name.
 */
export const messageSubscriptions = sqliteTable(
  'message_subscriptions',
  {
    id: text('id').primaryKey(),
    runId: text('run_id').notNull(),
    threadId: text('thread_id').notNull(),
    nodeId: text('node_id').notNull(),
    interruptId: text('interrupt_id').notNull(),
    kind: text('kind', { enum: subscriptionKinds }).notNull().default('message'),
    /** The message's or the signal's name. */
    messageName: text('message_name').notNull(),
    correlationKey: text('correlation_key').notNull().default(''),
    status: text('status', { enum: waitStatuses }).notNull().default('waiting'),
    resumeRunId: text('resume_run_id'),
    createdAt: integer('created_at').notNull().default(now),
    correlatedAt: integer('correlated_at'),
  },
  (table) => [
    uniqueIndex('message_subscriptions_interrupt_node_idx').on(table.threadId, table.interruptId, table.nodeId),
    index('message_subscriptions_match_idx').on(table.status, table.kind, table.messageName, table.correlationKey),
  ],
);

/**
 * Timer start events of stored BPMN processes: when each next starts an instance, and how many it
 * started. In the database, so a restarted server neither forgets a start that fell due while it
 * was stopped nor starts one twice; the conditional UPDATE that advances a row decides who starts.
 */
export const timerStarts = sqliteTable('timer_starts', {
  flowId: text('flow_id').primaryKey(),
  /** The drawn timer (`type:value`) the row counts for; a changed drawing starts counting again. */
  timer: text('timer').notNull(),
  /** Null once it starts no more (a date or duration that fired, a cycle whose repetitions are done). */
  nextDueAt: integer('next_due_at'),
  started: integer('started').notNull().default(0),
  lastRunId: text('last_run_id'),
  updatedAt: integer('updated_at').notNull().default(now),
});

/** Server-wide settings, one JSON value per key; secrets never go here in clear text. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull().default(now),
});

/**
 * Stdio MCP servers registered by whoever holds the API token: flows name one
 * (`{ transport: 'registered', name }`) instead of carrying a command line. `env` maps each
 * variable name to its value sealed with LOOMFLOW_SECRET_KEY (settings/secret-box.ts).
 */
export const mcpServers = sqliteTable('mcp_servers', {
  name: text('name').primaryKey(),
  command: text('command').notNull(),
  args: text('args', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  env: text('env', { mode: 'json' }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
  createdAt: integer('created_at').notNull().default(now),
  updatedAt: integer('updated_at').notNull().default(now),
});
