import { uuid6 } from '@langchain/langgraph-checkpoint';
import type { RunnableConfig } from '@langchain/core/runnables';
import type { LibsqlSaver } from '../libsql-saver';

/** The value of channel `step` in the checkpoint a writer puts at `step`. */
export const stepValue = (threadId: string, step: number) => `${threadId} at step ${step}`;

/** Puts `steps` checkpoints on `threadId`, each changing channel `step`, with one write each. */
export async function writeThread(saver: LibsqlSaver, threadId: string, steps: number): Promise<RunnableConfig> {
  let config: RunnableConfig = { configurable: { thread_id: threadId, checkpoint_ns: '' } };
  let version: number | undefined;
  for (let step = 0; step < steps; step += 1) {
    version = saver.getNextVersion(version);
    config = await saver.put(
      config,
      { v: 4, id: uuid6(-1), ts: new Date().toISOString(), channel_values: { step: stepValue(threadId, step) }, channel_versions: { step: version }, versions_seen: {} },
      { source: 'loop', step, parents: {} },
      { step: version },
    );
    await saver.putWrites(config, [['step', stepValue(threadId, step + 1)]], `task-${step}`);
  }
  return config;
}
