// What a thread keeps, for the tests that count the steps a run took (chain-tails and
// chain-forks.int.test.ts).
import type { BaseCheckpointSaver } from '@langchain/langgraph';

/** How many checkpoints the thread's root namespace holds: one per step, and the input's. */
export async function checkpointsOf(saver: BaseCheckpointSaver, threadId: string): Promise<number> {
  let count = 0;
  for await (const _checkpoint of saver.list({ configurable: { thread_id: threadId } })) count += 1;
  return count;
}
