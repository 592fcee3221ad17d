// Cycle timers (non-interrupting boundary events, timer start events): when each repetition is due.
import { describe, expect, it } from 'vitest';
import { cycleDueAt } from './timer-due';

const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);
const HOUR = 3_600_000;

describe('cycleDueAt', () => {
  it('is due a period after each firing, as often as the cycle repeats', () => {
    expect(cycleDueAt('t', 'R2/PT1H', T0, 0)).toBe(T0 + HOUR);
    expect(cycleDueAt('t', 'R2/PT1H', T0 + HOUR, 1)).toBe(T0 + 2 * HOUR);
    expect(cycleDueAt('t', 'R2/PT1H', T0 + 2 * HOUR, 2)).toBeUndefined();
  });

  it('repeats without end when it names no count', () => {
    expect(cycleDueAt('t', 'R/P1D', T0, 1000)).toBe(T0 + 24 * HOUR);
  });

  it('starts at its start time when that is still ahead', () => {
    expect(cycleDueAt('t', 'R3/2026-06-02T09:00:00Z/PT1H', T0, 0)).toBe(Date.UTC(2026, 5, 2, 9));
    expect(cycleDueAt('t', 'R3/2026-06-02T09:00:00Z/PT1H', Date.UTC(2026, 5, 2, 9), 1)).toBe(Date.UTC(2026, 5, 2, 10));
  });

  it.each(['PT1H', 'R2', 'R2/soon', 'Rx/PT1H', 'R2/not-a-date/PT1H'])('refuses %s, naming the node', (value) => {
    expect(() => cycleDueAt('reminder', value, T0, 0)).toThrow(`node "reminder": "${value}" is not an ISO 8601 repeating interval (like R3/PT10M or R/P1D)`);
  });
});
