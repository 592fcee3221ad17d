import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NodeStreamEvent } from './executor';
import { TOKEN_EVENT_INTERVAL_MS, TokenEvents } from './token-events';

describe('TokenEvents', () => {
  let emitted: string[];
  const emit = (event: NodeStreamEvent) => {
    if (event.type === 'llm.token') emitted.push(event.token);
  };
  beforeEach(() => {
    vi.useFakeTimers();
    emitted = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first token at once and gathers the rest for one interval at a time', () => {
    const tokens = new TokenEvents(emit);
    tokens.add('Re');
    expect(emitted).toEqual(['Re']);
    for (const token of ['funds', ' take', ' five']) tokens.add(token);
    expect(emitted).toEqual(['Re']);
    vi.advanceTimersByTime(TOKEN_EVENT_INTERVAL_MS);
    expect(emitted).toEqual(['Re', 'funds take five']);
    // A window in which nothing came closes the gathering: the next token goes at once.
    vi.advanceTimersByTime(TOKEN_EVENT_INTERVAL_MS);
    tokens.add(' days');
    expect(emitted).toEqual(['Re', 'funds take five', ' days']);
    tokens.add('.');
    tokens.end();
    expect(emitted).toEqual(['Re', 'funds take five', ' days', '.']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends at most one event per interval however finely the reply is cut', () => {
    const tokens = new TokenEvents(emit);
    for (let window = 0; window < 10; window += 1) {
      for (let byte = 0; byte < 1000; byte += 1) tokens.add('x');
      vi.advanceTimersByTime(TOKEN_EVENT_INTERVAL_MS);
    }
    tokens.end();
    expect(emitted.join('')).toBe('x'.repeat(10_000));
    expect(emitted.length).toBeLessThanOrEqual(11);
  });

  it('ends without an event when nothing is gathered', () => {
    const tokens = new TokenEvents(emit);
    tokens.add('All');
    tokens.end();
    expect(emitted).toEqual(['All']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('throws what sending from the timer threw at the next token, and at the end', () => {
    const refusing = new TokenEvents((event) => {
      if (event.type === 'llm.token' && event.token.includes('secret')) throw new Error('the token holds a secret');
    });
    refusing.add('a ');
    refusing.add('secret');
    vi.advanceTimersByTime(TOKEN_EVENT_INTERVAL_MS);
    expect(() => refusing.add('more')).toThrow('the token holds a secret');
    expect(() => refusing.end()).toThrow('the token holds a secret');
    expect(vi.getTimerCount()).toBe(0);
  });
});
