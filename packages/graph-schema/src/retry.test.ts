import { describe, expect, it } from 'vitest';
import { createDefaultRegistry, DEFAULT_RETRY_POLICY, MAX_RETRY_INTERVAL_MS, retryDelayMs, retryPolicySchema } from './index';

describe('retry policy', () => {
  it('defaults to one attempt, and a node config without a policy gets that default', () => {
    expect(retryPolicySchema.parse({})).toEqual(DEFAULT_RETRY_POLICY);
    const code = createDefaultRegistry().get('agent.code');
    expect((code?.configSchema.parse({ source: 'return {};' }) as { retry: unknown }).retry).toEqual(DEFAULT_RETRY_POLICY);
  });

  it('fills the defaults of a partial policy and refuses unknown keys', () => {
    expect(retryPolicySchema.parse({ maxAttempts: 3 })).toEqual({ ...DEFAULT_RETRY_POLICY, maxAttempts: 3 });
    expect(retryPolicySchema.safeParse({ maxAttempts: 3, jitter: true }).success).toBe(false);
  });

  it('waits the initial interval before the first retry, then grows by the factor up to the cap', () => {
    const policy = { initialIntervalMs: 250, backoffFactor: 2 };
    expect([1, 2, 3, 4, 5, 6].map((retry) => retryDelayMs(policy, retry, 5000))).toEqual([250, 500, 1000, 2000, 4000, 5000]);
    expect(retryDelayMs({ initialIntervalMs: 60_000, backoffFactor: 10 }, 3)).toBe(MAX_RETRY_INTERVAL_MS);
  });
});
