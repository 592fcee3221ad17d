import { describe, expect, it } from 'vitest';
import { emptyProviderForm, providerBodyOf, providerFormOf } from './provider-form';

describe('provider form', () => {
  it('sends only the key of the chosen source, and leaves blank optional fields to the server', () => {
    const form = { ...emptyProviderForm(), id: 'p', baseUrl: ' https://api.example.com/v1 ', apiKey: 'sk-1', apiKeyEnv: 'OPENAI_API_KEY' };
    expect(providerBodyOf(form)).toEqual({ kind: 'openai-compatible', baseUrl: 'https://api.example.com/v1', apiKey: 'sk-1' });
    expect(providerBodyOf({ ...form, keySource: 'env' })).toEqual({ kind: 'openai-compatible', baseUrl: 'https://api.example.com/v1', apiKeyEnv: 'OPENAI_API_KEY' });
    expect(providerBodyOf({ ...form, keySource: 'none', defaultModel: ' gpt-4o ' })).toEqual({ kind: 'openai-compatible', baseUrl: 'https://api.example.com/v1', defaultModel: 'gpt-4o' });
  });

  it("lets Anthropic's address default on the server", () => {
    expect(providerBodyOf({ ...emptyProviderForm(), kind: 'anthropic', apiKey: 'sk-ant' })).toEqual({ kind: 'anthropic', apiKey: 'sk-ant' });
  });

  it('edits a provider with everything the server told, and the key field empty', () => {
    const form = providerFormOf({ id: 'p', kind: 'openai-compatible', baseUrl: 'https://x/v1', defaultModel: null, apiKey: { source: 'env', name: 'KEY' }, updatedAt: 1 });
    expect(form).toEqual({ id: 'p', kind: 'openai-compatible', baseUrl: 'https://x/v1', defaultModel: '', keySource: 'env', apiKey: '', apiKeyEnv: 'KEY' });
    expect(providerFormOf({ id: 'p', kind: 'anthropic', baseUrl: 'https://api.anthropic.com', defaultModel: 'm', apiKey: { source: 'stored' }, updatedAt: 1 })).toMatchObject({ keySource: 'stored', apiKey: '' });
  });
});
