// LibsqlSaver against LangGraph's better-sqlite3 saver (@langchain/langgraph-checkpoint-sqlite) on
// the same workload, each on a database file in a fresh temporary folder. Prints
// { op: { libsql_ops_per_s, sqlite_ops_per_s, ratio } } with ratio = libsql / sqlite (> 1: faster).
// Run: pnpm bench:checkpoint (from the repository root).
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  uuid6,
  type BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointMetadata,
} from '@langchain/langgraph-checkpoint';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Operations per measurement; each operation is timed in a run of this many. */
const OPERATIONS = { put: 400, putWrites: 400, getTuple: 1000, list: 200 } as const;
type Operation = keyof typeof OPERATIONS;
/** Each measurement is repeated, alternating the savers, and the median is kept. */
const ROUNDS = 5;
/** Checkpoints a `list` call reads. */
const LIST_LIMIT = 10;

/**
 * The state of a typical Loomflow agent run, per step: a window of the last 20 messages and a
 * step counter change, as do two of the five node trigger channels LangGraph keeps; a 16 KB
 * document given as input and two scalars decided early stay as they are.
 */
function stateAt(step: number, document: string): Record<string, unknown> {
  const messages = Array.from({ length: 20 }, (_, index) => ({
    role: index % 2 === 0 ? 'user' : 'assistant',
    content: `message ${step + index}: ${'the expense report needs a second look at the travel costs '.repeat(3)}`,
  }));
  const triggers = Object.fromEntries(
    ['intake', 'classify', 'approve', 'notify', 'archive'].map((node, index) => [`branch:to:${node}`, index <= 1 ? step : null]),
  );
  return { messages, step, document, amount: 4200, approved: false, ...triggers };
}

/** Channels whose value changes from one step to the next (all of them at step 0). */
function changedChannels(step: number, state: Record<string, unknown>): string[] {
  if (step === 0) return Object.keys(state);
  return ['messages', 'step', 'branch:to:intake', 'branch:to:classify'];
}

/** Writes a run of `steps` checkpoints to a new thread as the LangGraph loop would, and returns the last config. */
async function writeRun(saver: BaseCheckpointSaver, steps: number, document: string): Promise<RunnableConfig> {
  let config: RunnableConfig = { configurable: { thread_id: uuid6(-1), checkpoint_ns: '' } };
  let channelVersions: ChannelVersions = {};
  for (let step = 0; step < steps; step += 1) {
    const state = stateAt(step, document);
    const newVersions: ChannelVersions = {};
    for (const channel of changedChannels(step, state)) {
      const previous = channelVersions[channel];
      newVersions[channel] = saver.getNextVersion(typeof previous === 'number' ? previous : undefined);
    }
    channelVersions = { ...channelVersions, ...newVersions };
    const checkpoint: Checkpoint = {
      v: 4,
      id: uuid6(-1),
      ts: new Date().toISOString(),
      channel_values: state,
      channel_versions: channelVersions,
      versions_seen: { approve: { messages: channelVersions.messages ?? 0 } },
    };
    const metadata: CheckpointMetadata = { source: step === 0 ? 'input' : 'loop', step: step - 1, parents: {} };
    config = await saver.put(config, checkpoint, metadata, newVersions);
  }
  return config;
}

async function putWritesOf(saver: BaseCheckpointSaver, config: RunnableConfig, task: number): Promise<void> {
  await saver.putWrites(
    config,
    [
      ['messages', { role: 'assistant', content: `approved by task ${task}` }],
      ['step', task],
    ],
    `task-${task}`,
  );
}

/** Runs `operation` OPERATIONS[operation] times on a prepared thread and returns operations per second. */
async function measure(saver: BaseCheckpointSaver, operation: Operation, document: string): Promise<number> {
  const count = OPERATIONS[operation];
  if (operation === 'put') {
    const started = performance.now();
    await writeRun(saver, count, document);
    return count / ((performance.now() - started) / 1000);
  }
  const latest = await writeRun(saver, 2 * LIST_LIMIT, document);
  await putWritesOf(saver, latest, -1);
  const started = performance.now();
  for (let index = 0; index < count; index += 1) {
    if (operation === 'putWrites') await putWritesOf(saver, latest, index);
    else if (operation === 'getTuple') {
      if ((await saver.getTuple({ configurable: { thread_id: latest.configurable?.thread_id } })) === undefined) {
        throw new Error('getTuple found no checkpoint');
      }
    } else {
      let listed = 0;
      for await (const _tuple of saver.list({ configurable: { thread_id: latest.configurable?.thread_id } }, { limit: LIST_LIMIT })) {
        listed += 1;
      }
      if (listed !== LIST_LIMIT) throw new Error(`list returned ${listed} checkpoints`);
    }
  }
  return count / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const workDir = mkdtempSync(join(tmpdir(), 'loomflow-bench-checkpoint-'));
const libsql = await LibsqlSaver.open(`file:${join(workDir, 'libsql.db')}`);
const sqlite = SqliteSaver.fromConnString(join(workDir, 'sqlite.db'));
const document = 'Line item: flight to Lisbon, hotel 3 nights, taxi. '.repeat(320);

try {
  // Warm up both (JIT, page cache, table creation) before anything is timed.
  for (const saver of [libsql, sqlite]) for (const operation of Object.keys(OPERATIONS) as Operation[]) await measure(saver, operation, document);

  const results: Record<string, { libsql_ops_per_s: number; sqlite_ops_per_s: number; ratio: number }> = {};
  for (const operation of Object.keys(OPERATIONS) as Operation[]) {
    const libsqlRates: number[] = [];
    const sqliteRates: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? ([libsql, sqlite] as const) : ([sqlite, libsql] as const);
      for (const saver of order) (saver === libsql ? libsqlRates : sqliteRates).push(await measure(saver, operation, document));
    }
    const libsqlRate = median(libsqlRates);
    const sqliteRate = median(sqliteRates);
    results[operation] = {
      libsql_ops_per_s: Math.round(libsqlRate),
      sqlite_ops_per_s: Math.round(sqliteRate),
      ratio: Number((libsqlRate / sqliteRate).toFixed(2)),
    };
  }
  console.log(JSON.stringify(results, null, 2));
} finally {
  libsql.close();
  sqlite.db.close();
  rmSync(workDir, { recursive: true, force: true });
}
