import { describe, expect, it } from 'vitest';
import { drained } from './drained-stream';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Like LangGraph's run stream: chunks pushed faster than read, then `controller.error`. */
function failingStream(chunks: readonly string[]): ReadableStream<string> {
  return new ReadableStream<string>({
    start(controller) {
      void (async () => {
        // Once the reader waits, as it does for a run: the chunks come, and the failure a few
        // microtasks later, before a reader that is taking a turn comes back.
        await turn();
        for (const chunk of chunks) controller.enqueue(chunk);
        for (let tick = 0; tick < 10; tick += 1) await Promise.resolve();
        controller.error(new Error('node failed'));
      })();
    },
  });
}

async function read(source: AsyncIterable<string>): Promise<{ taken: string[]; error?: string }> {
  const taken: string[] = [];
  try {
    for await (const chunk of source) {
      taken.push(chunk);
      await turn();
    }
  } catch (error) {
    return { taken, error: (error as Error).message };
  }
  return { taken };
}

describe('drained', () => {
  const chunks = ['node.started', 'node.failed'];

  it('loses queued chunks without it when the reader takes turns (why it exists)', async () => {
    const plain = await read(failingStream(chunks) as unknown as AsyncIterable<string>);
    expect(plain.taken).not.toEqual(chunks);
    expect(plain.error).toBe('node failed');
  });

  it('hands over every chunk before the error, in order, though the reader takes turns', async () => {
    expect(await read(drained(failingStream(chunks) as unknown as AsyncIterable<string>, turn))).toEqual({ taken: chunks, error: 'node failed' });
  });

  it('ends as the source ends, and stops the source when the reader stops', async () => {
    expect(await read(drained(ReadableStream.from(chunks) as unknown as AsyncIterable<string>, turn))).toEqual({ taken: chunks });
    let cancelled = false;
    const endless = new ReadableStream<string>({ pull: (controller) => controller.enqueue('tick'), cancel: () => void (cancelled = true) });
    for await (const chunk of drained(endless as unknown as AsyncIterable<string>, turn)) {
      expect(chunk).toBe('tick');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
