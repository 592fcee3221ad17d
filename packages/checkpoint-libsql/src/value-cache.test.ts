import { describe, expect, it } from 'vitest';
import { ValueCache, type CachedValue } from './value-cache';

const valueOf = (size: number): CachedValue => ({ type: 'json', bytes: new Uint8Array(size) });
const key = (threadId: string, channel: string) => ValueCache.key(threadId, '', channel, '1.5');

describe('ValueCache', () => {
  it('evicts the least recently used values once their bytes exceed the capacity', () => {
    const cache = new ValueCache(100);
    cache.set(key('t', 'a'), valueOf(40));
    cache.set(key('t', 'b'), valueOf(40));
    expect(cache.get(key('t', 'a'))).toBeDefined(); // a is now more recent than b
    cache.set(key('t', 'c'), valueOf(40));
    expect(cache.get(key('t', 'b'))).toBeUndefined();
    expect(cache.get(key('t', 'a'))?.bytes.byteLength).toBe(40);
    expect(cache.get(key('t', 'c'))?.bytes.byteLength).toBe(40);
  });

  it('keeps nothing larger than its capacity, and nothing at all with capacity 0', () => {
    const cache = new ValueCache(10);
    cache.set(key('t', 'big'), valueOf(11));
    expect(cache.get(key('t', 'big'))).toBeUndefined();
    const off = new ValueCache(0);
    off.set(key('t', 'small'), valueOf(1));
    expect(off.get(key('t', 'small'))).toBeUndefined();
  });

  it('counts a replaced value once', () => {
    const cache = new ValueCache(100);
    cache.set(key('t', 'a'), valueOf(60));
    cache.set(key('t', 'a'), valueOf(60));
    cache.set(key('t', 'b'), valueOf(40));
    expect(cache.get(key('t', 'a'))).toBeDefined();
    expect(cache.get(key('t', 'b'))).toBeDefined();
  });

  it('forgets exactly the values of a deleted thread, in every namespace', () => {
    const cache = new ValueCache(1000);
    cache.set(ValueCache.key('t', '', 'a', '1'), valueOf(1));
    cache.set(ValueCache.key('t', 'child:1', 'a', '1'), valueOf(1));
    cache.set(ValueCache.key('t2', '', 'a', '1'), valueOf(1));
    cache.set(ValueCache.key('t"', '', 'a', '1'), valueOf(1));
    cache.deleteThread('t');
    expect(cache.get(ValueCache.key('t', '', 'a', '1'))).toBeUndefined();
    expect(cache.get(ValueCache.key('t', 'child:1', 'a', '1'))).toBeUndefined();
    expect(cache.get(ValueCache.key('t2', '', 'a', '1'))).toBeDefined();
    expect(cache.get(ValueCache.key('t"', '', 'a', '1'))).toBeDefined();
  });
});
