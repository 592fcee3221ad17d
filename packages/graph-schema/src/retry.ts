// The retry policy of a node: how many attempts, and how long to wait before each retry. The node
// config schema (executionPolicyShape), the runtime's IR and the executors that retry on their own
// (agent.http's requests) all take this one type, default and backoff.
import { z } from 'zod';
import { field } from './field-doc';

/** One attempt, no retry: retrying is opt-in, since a node may have side effects. */
export const DEFAULT_RETRY_POLICY = { maxAttempts: 1, initialIntervalMs: 500, backoffFactor: 2 } as const;

/** The longest wait between two attempts; LangGraph's own cap for node retries. */
export const MAX_RETRY_INTERVAL_MS = 128_000;

export const retryPolicySchema = z.strictObject({
  /** Attempts in all, the first included. */
  maxAttempts: field(z.number().int().min(1).max(10).default(DEFAULT_RETRY_POLICY.maxAttempts), ['Attempts', '尝试次数'], ['Attempts in all, the first included; 1 means no retry.', '总尝试次数（含第一次）；1 表示不重试。']),
  /** The wait before the first retry. */
  initialIntervalMs: field(z.number().int().min(0).max(60_000).default(DEFAULT_RETRY_POLICY.initialIntervalMs), ['First wait (ms)', '首次等待（毫秒）'], ['How long to wait before the first retry.', '第一次重试前等待的时间。']),
  /** Each further wait is this many times the one before. */
  backoffFactor: field(z.number().min(1).max(10).default(DEFAULT_RETRY_POLICY.backoffFactor), ['Backoff factor', '退避倍数'], ['Each further wait is this many times the one before.', '之后每次等待是上一次的多少倍。']),
});

export type RetryPolicy = z.infer<typeof retryPolicySchema>;

/**
 * The wait in milliseconds before retry number `retry` (1 for the second attempt): exponential
 * from `initialIntervalMs`, capped at `maxIntervalMs`. The same formula LangGraph applies to node
 * retries, so a node's policy and an executor's own retries back off alike.
 */
export function retryDelayMs(policy: Pick<RetryPolicy, 'initialIntervalMs' | 'backoffFactor'>, retry: number, maxIntervalMs: number = MAX_RETRY_INTERVAL_MS): number {
  return Math.min(maxIntervalMs, policy.initialIntervalMs * policy.backoffFactor ** (retry - 1));
}
