// LangGraph's conformance suite for checkpointers, run against LibsqlSaver on real database files.
import {
  deltaChannelHistoryTests,
  validate,
  type CheckpointSaverTestInitializer,
} from '@langchain/langgraph-checkpoint-validation';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LibsqlSaver } from './libsql-saver';

// The suite calls describe/it/expect and the hooks as globals (vitest's `globals: true`), which
// this workspace leaves off; they only have to exist by the time validate() registers the tests.
Object.assign(globalThis, { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it });

let workDir = '';
let databasesCreated = 0;

const initializer: CheckpointSaverTestInitializer<LibsqlSaver> = {
  // Its own name: the suite skips "only store channel_values that have changed" for the names of
  // the savers that do not pass it (MemorySaver, the sqlite and mongodb savers).
  checkpointerName: 'LibsqlSaver',
  beforeAll() {
    workDir = mkdtempSync(join(tmpdir(), 'loomflow-libsql-saver-'));
  },
  afterAll() {
    rmSync(workDir, { recursive: true, force: true });
  },
  createCheckpointer() {
    databasesCreated += 1;
    return LibsqlSaver.open(`file:${join(workDir, `checkpoints-${databasesCreated}.db`)}`);
  },
  destroyCheckpointer(saver) {
    saver.close();
  },
};

validate(initializer);
// Opt-in in the suite (validate() does not register it); the saver must pass it all the same.
deltaChannelHistoryTests(initializer);

// Again with the value cache off, so that every read takes its values from the file.
validate({
  ...initializer,
  createCheckpointer() {
    databasesCreated += 1;
    return LibsqlSaver.open(`file:${join(workDir, `uncached-${databasesCreated}.db`)}`, { valueCacheBytes: 0 });
  },
});
