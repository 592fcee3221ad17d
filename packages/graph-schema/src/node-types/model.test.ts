import { describe, expect, it } from 'vitest';
import { modelSchema } from './common';

describe('a node model', () => {
  it('is OpenAI-compatible without a provider, and anthropic with its own defaults', () => {
    expect(modelSchema.parse({ model: 'gpt-4o' })).toEqual({ provider: 'openai-compatible', model: 'gpt-4o', temperature: 0.7 });
    expect(modelSchema.parse({ provider: 'anthropic', credential: 'claude' })).toEqual({ provider: 'anthropic', model: 'claude-sonnet-4-5', credential: 'claude', temperature: 0.7 });
  });

  it('refuses temperatures Anthropic refuses, which OpenAI-compatible models take', () => {
    expect(modelSchema.safeParse({ provider: 'openai-compatible', temperature: 1.5 }).success).toBe(true);
    expect(modelSchema.safeParse({ provider: 'anthropic', temperature: 1.5 }).error?.issues).toEqual([expect.objectContaining({ path: ['temperature'], code: 'too_big' })]);
  });
});
