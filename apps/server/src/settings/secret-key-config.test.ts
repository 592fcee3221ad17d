// LOOMFLOW_SECRET_KEY as loadConfig reads it; beside the feature it exists for.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, MIN_SECRET_KEY_LENGTH } from '../config';

describe('LOOMFLOW_SECRET_KEY', () => {
  it('is optional, and read when set', () => {
    expect(loadConfig({}).secretKey).toBeUndefined();
    expect(loadConfig({ LOOMFLOW_SECRET_KEY: '   ' }).secretKey).toBeUndefined();
    const secret = 's'.repeat(MIN_SECRET_KEY_LENGTH);
    expect(loadConfig({ LOOMFLOW_SECRET_KEY: secret }).secretKey).toBe(secret);
  });

  it('refuses a short key, saying how long it must be without quoting it', () => {
    const short = 'hunter2-hunter2';
    expect(() => loadConfig({ LOOMFLOW_SECRET_KEY: short })).toThrow(ConfigError);
    try {
      loadConfig({ LOOMFLOW_SECRET_KEY: short });
    } catch (error) {
      expect((error as Error).message).toMatch(new RegExp(`at least ${MIN_SECRET_KEY_LENGTH} characters`));
      expect((error as Error).message).not.toContain(short);
    }
    expect.assertions(3);
  });
});
