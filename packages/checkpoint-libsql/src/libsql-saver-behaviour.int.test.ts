// What the conformance suite does not check: damaged rows, several processes and connections on
// one file, paging and filters, write conflicts, and a real LangGraph graph on top.
import type { RunnableConfig } from '@langchain/core/runnables';
import { Annotation, Command, END, START, StateGraph, interrupt } from '@langchain/langgraph';
import { ERROR, uuid6, type CheckpointTuple } from '@langchain/langgraph-checkpoint';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { afterAll, describe, expect, it } from 'vitest';
import { CorruptCheckpointError } from './corrupt-checkpoint-error';
import { LibsqlSaver } from './libsql-saver';
import { openLibsqlClient } from './open-client';
import { stepValue, writeThread } from './testing/thread-writer';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const workDir = mkdtempSync(join(tmpdir(), 'loomflow-libsql-behaviour-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let databases = 0;
const freshDatabaseUrl = () => `file:${join(workDir, `behaviour-${(databases += 1)}.db`)}`;

async function listAll(saver: LibsqlSaver, config: RunnableConfig, options?: Parameters<LibsqlSaver['list']>[1]) {
  const tuples: CheckpointTuple[] = [];
  for await (const tuple of saver.list(config, options)) tuples.push(tuple);
  return tuples;
}

const threadConfig = (threadId: string): RunnableConfig => ({ configurable: { thread_id: threadId, checkpoint_ns: '' } });

describe('LibsqlSaver with a damaged row', () => {
  it.each([
    ['checkpoint', 'checkpoint', 'UPDATE langgraph_checkpoints SET checkpoint = ? WHERE thread_id = ? AND checkpoint_id = ?'],
    ['metadata', 'metadata', 'UPDATE langgraph_checkpoints SET metadata = ? WHERE thread_id = ? AND checkpoint_id = ?'],
    [
      'a channel value',
      'value of channel "step"',
      "UPDATE langgraph_checkpoint_blobs SET value = ? WHERE thread_id = ? AND channel = 'step' AND version = (SELECT blob_versions ->> 'step' FROM langgraph_checkpoints WHERE checkpoint_id = ?)",
    ],
    [
      'a pending write',
      'write 0 of task "task-2" to channel "step"',
      'UPDATE langgraph_checkpoint_writes SET value = ? WHERE thread_id = ? AND checkpoint_id = ?',
    ],
    ['the index of values', 'index of channel values', 'UPDATE langgraph_checkpoints SET blob_versions = CAST(? AS TEXT) WHERE thread_id = ? AND checkpoint_id = ?'],
  ])('reports corrupt %s with the thread and checkpoint, and other threads keep working', async (_what, part, damage) => {
    const saver = await LibsqlSaver.open(freshDatabaseUrl());
    const healthy = await writeThread(saver, 'healthy', 3);
    const damaged = await writeThread(saver, 'damaged', 3);
    const damagedId = String(damaged.configurable?.checkpoint_id);
    const garbage = Buffer.from([0x7b, 0xff, 0x00, 0x13, 0x37]);
    await saver.client.execute({ sql: damage, args: [garbage, 'damaged', damagedId] });

    const failure: unknown = await saver.getTuple(threadConfig('damaged')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CorruptCheckpointError);
    const error = failure as CorruptCheckpointError;
    expect(error.message).toContain('thread "damaged"');
    expect(error.message).toContain(`Checkpoint "${damagedId}"`);
    expect(error.part).toBe(part);
    await expect(listAll(saver, threadConfig('damaged'))).rejects.toThrow(CorruptCheckpointError);

    // The damaged thread's older checkpoints, and every other thread, still read and write.
    const older = await listAll(saver, threadConfig('damaged'), { before: damaged });
    expect(older.map((tuple) => tuple.checkpoint.channel_values.step)).toEqual([stepValue('damaged', 1), stepValue('damaged', 0)]);
    expect((await saver.getTuple(healthy))?.checkpoint.channel_values).toEqual({ step: stepValue('healthy', 2) });
    await writeThread(saver, 'healthy-later', 2);
    expect(await listAll(saver, threadConfig('healthy-later'))).toHaveLength(2);
    saver.close();
  });
});

describe('LibsqlSaver on a database file', () => {
  it('is durable across processes: another process writes while this one does, a new saver reads both', async () => {
    const url = freshDatabaseUrl();
    const saver = await LibsqlSaver.open(url);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/testing/thread-writer-process.ts', url, 'from-child', '40'], {
      cwd: packageRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let childErrors = '';
    child.stderr.on('data', (chunk: Buffer) => (childErrors += chunk.toString()));
    const childExit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await writeThread(saver, 'from-parent', 40);
    expect(await childExit, childErrors).toBe(0);
    saver.close();

    const reopened = await LibsqlSaver.open(url);
    for (const threadId of ['from-parent', 'from-child']) {
      const history = await listAll(reopened, threadConfig(threadId));
      expect(history.map((tuple) => tuple.checkpoint.channel_values.step)).toEqual(
        Array.from({ length: 40 }, (_, step) => stepValue(threadId, 39 - step)),
      );
      expect(history[0]?.pendingWrites).toEqual([['task-39', 'step', stepValue(threadId, 40)]]);
    }
    reopened.close();
  }, 60_000);

  it('serves readers while another connection holds the write lock (WAL)', async () => {
    const url = freshDatabaseUrl();
    const saver = await LibsqlSaver.open(url);
    const latest = await writeThread(saver, 'read-during-write', 2);
    const writer = await openLibsqlClient(url);
    const transaction = await writer.transaction('write');
    await transaction.execute("DELETE FROM langgraph_checkpoint_writes WHERE thread_id = 'read-during-write'");

    const started = performance.now();
    const tuple = await saver.getTuple(latest);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(tuple?.pendingWrites).toHaveLength(1);

    await transaction.rollback();
    writer.close();
    saver.close();
  });

  it('keeps two threads written at the same time apart', async () => {
    const saver = await LibsqlSaver.open(freshDatabaseUrl());
    await Promise.all([writeThread(saver, 'left', 30), writeThread(saver, 'right', 30)]);
    for (const threadId of ['left', 'right']) {
      const history = await listAll(saver, threadConfig(threadId));
      expect(history.map((tuple) => tuple.checkpoint.channel_values.step)).toEqual(
        Array.from({ length: 30 }, (_, step) => stepValue(threadId, 29 - step)),
      );
      history.slice(0, -1).forEach((tuple, index) => {
        expect(tuple.parentConfig?.configurable?.checkpoint_id).toBe(history[index + 1]?.checkpoint.id);
      });
    }
    saver.close();
  });
});

describe('LibsqlSaver with its own connection and value cache', () => {
  const checkpointWith = (values: Record<string, unknown>, versions: Record<string, number>) => ({
    v: 4,
    id: uuid6(-1),
    ts: new Date().toISOString(),
    channel_values: values,
    channel_versions: versions,
    versions_seen: {},
  });

  it('gives every read its own copy of object values, and forgets a deleted thread', async () => {
    const saver = await LibsqlSaver.open(freshDatabaseUrl());
    const config = threadConfig('cached');
    await saver.put(config, checkpointWith({ document: 'a long text', messages: [{ content: 'hi' }] }, { document: 1, messages: 1 }), { source: 'input', step: -1, parents: {} }, { document: 1, messages: 1 });
    const first = await saver.getTuple(config);
    (first?.checkpoint.channel_values.messages as { content: string }[]).push({ content: 'changed by a caller' });
    const second = await saver.getTuple(config);
    expect(second?.checkpoint.channel_values).toEqual({ document: 'a long text', messages: [{ content: 'hi' }] });

    // The same versions again after deleting the thread name new values, never the cached ones.
    await saver.deleteThread('cached');
    await saver.put(config, checkpointWith({ document: 'another text', messages: [] }, { document: 1, messages: 1 }), { source: 'input', step: -1, parents: {} }, { document: 1, messages: 1 });
    expect((await saver.getTuple(config))?.checkpoint.channel_values).toEqual({ document: 'another text', messages: [] });
    saver.close();
  });

  it('works on a file client that openLibsqlClient did not open, through that client', async () => {
    const url = freshDatabaseUrl();
    const client = createClient({ url });
    const saver = new LibsqlSaver(client);
    const latest = await writeThread(saver, 'plain-client', 3);
    expect((await saver.getTuple(threadConfig('plain-client')))?.config).toEqual(latest);
    expect((await listAll(saver, threadConfig('plain-client'))).map((tuple) => tuple.checkpoint.channel_values.step)).toEqual(
      [2, 1, 0].map((step) => stepValue('plain-client', step)),
    );
    saver.close();
    client.close();
    // And what it wrote reads back through the prepared-statement connection of a saver that opened the file.
    const reopened = await LibsqlSaver.open(url);
    expect((await reopened.getTuple(threadConfig('plain-client')))?.pendingWrites).toEqual([['task-2', 'step', stepValue('plain-client', 3)]]);
    reopened.close();
  });

  it('rejects a value cache size that is not a whole number of bytes, naming the option', () => {
    const client = createClient({ url: ':memory:' });
    expect(() => new LibsqlSaver(client, { valueCacheBytes: -1 })).toThrow(/valueCacheBytes.*got -1/);
    expect(() => new LibsqlSaver(client, { valueCacheBytes: 1.5 })).toThrow(/valueCacheBytes/);
    client.close();
  });
});

describe('LibsqlSaver in memory', () => {
  it('works on :memory:, where the client has a single connection', async () => {
    const saver = await LibsqlSaver.open(':memory:');
    const latest = await writeThread(saver, 'in-memory', 3);
    expect((await saver.getTuple(threadConfig('in-memory')))?.config).toEqual(latest);
    expect(await listAll(saver, threadConfig('in-memory'))).toHaveLength(3);
    await saver.deleteThread('in-memory');
    expect(await saver.getTuple(threadConfig('in-memory'))).toBeUndefined();
    saver.close();
  });
});

describe('LibsqlSaver semantics', () => {
  it('pages through a long history and filters metadata by value and JSON type', async () => {
    const saver = await LibsqlSaver.open(freshDatabaseUrl());
    await writeThread(saver, 'long', 250);
    const config = threadConfig('long');
    const all = await listAll(saver, config);
    expect(all.map((tuple) => tuple.metadata?.step)).toEqual(Array.from({ length: 250 }, (_, index) => 249 - index));
    expect(await listAll(saver, config, { limit: 120 })).toEqual(all.slice(0, 120));
    expect(await listAll(saver, config, { limit: 0 })).toEqual([]);
    expect(await listAll(saver, config, { before: all[100]?.config, limit: 3 })).toEqual(all.slice(101, 104));
    expect((await listAll(saver, config, { filter: { step: 7 } })).map((tuple) => tuple.metadata?.step)).toEqual([7]);
    expect(await listAll(saver, config, { filter: { step: '7' } })).toEqual([]);
    expect(await listAll(saver, config, { filter: { source: 'loop', parents: {} }, limit: 2 })).toEqual(all.slice(0, 2));
    expect(await listAll(saver, { configurable: {} }, { filter: { step: 3 } })).toHaveLength(1);
    saver.close();
  });

  it('keeps the first copy of a retried write, replaces special writes, and orders writes by task path', async () => {
    const saver = await LibsqlSaver.open(freshDatabaseUrl());
    const config = await writeThread(saver, 'writes', 1);
    await saver.putWrites(config, [['step', 'second try']], 'task-0');
    await saver.putWrites(config, [[ERROR, 'first failure']], 'failing', '~2');
    await saver.putWrites(config, [[ERROR, 'second failure']], 'failing', '~2');
    await saver.putWrites(config, [['step', 'from an earlier path']], 'z-task', '~1');
    const tuple = await saver.getTuple(config);
    expect(tuple?.pendingWrites).toEqual([
      ['task-0', 'step', stepValue('writes', 1)],
      ['z-task', 'step', 'from an earlier path'],
      ['failing', ERROR, 'second failure'],
    ]);
    saver.close();
  });

  it('gives each channel update a larger version whose integer part counts the updates', async () => {
    const saver = await LibsqlSaver.open(freshDatabaseUrl());
    let version: number | undefined;
    for (let updates = 1; updates <= 5; updates += 1) {
      const next = saver.getNextVersion(version);
      expect(next).toBeGreaterThan(version ?? 0);
      expect(Math.floor(next)).toBe(updates);
      version = next;
    }
    saver.close();
  });
});

describe('LibsqlSaver under a LangGraph graph', () => {
  const State = Annotation.Root({
    log: Annotation<string[]>({ reducer: (left, right) => left.concat(right), default: () => [] }),
  });

  it('resumes an interrupted run from a new saver on the same file', async () => {
    const url = freshDatabaseUrl();
    const build = (saver: LibsqlSaver) =>
      new StateGraph(State)
        .addNode('draft', () => ({ log: ['drafted'] }))
        .addNode('review', () => ({ log: [`reviewed: ${String(interrupt('approve?'))}`] }))
        .addEdge(START, 'draft')
        .addEdge('draft', 'review')
        .addEdge('review', END)
        .compile({ checkpointer: saver });
    const config = { configurable: { thread_id: uuid6(-1) } };

    const first = await LibsqlSaver.open(url);
    await build(first).invoke({ log: ['start'] }, config);
    expect((await build(first).getState(config)).next).toEqual(['review']);
    first.close();

    const second = await LibsqlSaver.open(url);
    const result = await build(second).invoke(new Command({ resume: 'yes' }), config);
    expect(result.log).toEqual(['start', 'drafted', 'reviewed: yes']);
    second.close();
  });

  it('keeps the values of two branches forked from one checkpoint apart', async () => {
    const saver = await LibsqlSaver.open(freshDatabaseUrl());
    const graph = new StateGraph(State)
      .addNode('a', () => ({ log: ['a'] }))
      .addNode('b', () => ({ log: ['b'] }))
      .addEdge(START, 'a')
      .addEdge('a', 'b')
      .addEdge('b', END)
      .compile({ checkpointer: saver });
    const config = { configurable: { thread_id: uuid6(-1) } };
    await graph.invoke({ log: ['start'] }, config);
    const original = await graph.getState(config);

    const history = [];
    for await (const state of graph.getStateHistory(config)) history.push(state);
    const afterA = history.find((state) => state.next.includes('b'));
    if (afterA === undefined) throw new Error('no checkpoint between a and b');
    // Both branches now write `log` once after the same checkpoint: the same next version number.
    const forkConfig = await graph.updateState(afterA.config, { log: ['edited'] }, 'a');
    const forked = await graph.invoke(null, forkConfig);

    expect(forked.log).toEqual(['start', 'a', 'edited', 'b']);
    expect((await graph.getState(original.config)).values.log).toEqual(['start', 'a', 'b']);
    saver.close();
  });
});
