// LibsqlSaver writes and reads plain JSON values itself, without JsonPlusSerializer's replacer and
// reviver; everything else goes through the serde. Either way a value must come back as the serde
// would give it back: stored through the saver on a real file, read back, compared with the
// serde's own round trip.
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { JsonPlusSerializer, emptyCheckpoint, uuid6 } from '@langchain/langgraph-checkpoint';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LibsqlSaver } from './libsql-saver';

const workDir = mkdtempSync(join(tmpdir(), 'loomflow-libsql-serde-'));
const saver = await LibsqlSaver.open(`file:${join(workDir, 'serde.db')}`, { valueCacheBytes: 0 });
afterAll(async () => {
  await saver.close();
  rmSync(workDir, { recursive: true, force: true });
});

const serde = new JsonPlusSerializer();
const serdeRoundTrip = async (value: unknown) => serde.loadsTyped(...(await serde.dumpsTyped(value)));

const cyclic: Record<string, unknown> = { name: 'loop' };
cyclic.self = cyclic;
class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

const values: [string, unknown][] = [
  ['plain JSON', { amount: 7200, approved: false, tags: ['a', 'b'], nested: { deep: [1, { two: null }] }, text: 'quote " and \\ and 中文' }],
  ['a number', -0],
  ['a string that reads "lc"', { kind: 'lc', note: '"lc":1' }],
  ['an object shaped like a LangChain record', { lc: 1, type: 'secret', id: ['OPENAI_API_KEY'] }],
  ['undefined inside', { missing: undefined, list: [1, undefined, 3] }],
  ['non-finite numbers', { nan: Number.NaN, infinite: Number.POSITIVE_INFINITY }],
  ['a Set, a Map, a Date', { set: new Set([1, 2]), map: new Map([['k', 'v']]), at: new Date('2026-12-04T10:00:00Z') }],
  ['messages', [new HumanMessage('hello'), new AIMessage({ content: 'hi', tool_calls: [{ id: 'c1', name: 'lookup', args: { q: 'x' } }] })]],
  ['a class instance', new Point(1, 2)],
  ['a cycle', cyclic],
  ['a deep list', JSON.parse(`${'['.repeat(100)}1${']'.repeat(100)}`)],
];

describe('LibsqlSaver serialization', () => {
  it.each(values)('gives back %s as JsonPlusSerializer does', async (_name, value) => {
    const threadId = uuid6(-1);
    const checkpoint = { ...emptyCheckpoint(), channel_values: { value }, channel_versions: { value: 1 } };
    const config = await saver.put({ configurable: { thread_id: threadId, checkpoint_ns: '' } }, checkpoint, { source: 'loop', step: 0, parents: {} }, { value: 1 });
    await saver.putWrites(config, [['value', value]], 'task');
    const tuple = await saver.getTuple(config);
    const expected = await serdeRoundTrip(value);
    expect(tuple?.checkpoint.channel_values.value).toStrictEqual(expected);
    expect(tuple?.pendingWrites?.[0]?.[2]).toStrictEqual(expected);
  });
});
