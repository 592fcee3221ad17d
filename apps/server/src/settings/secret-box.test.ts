import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError, type SecretBoxFailure } from './secret-box';

const box = new SecretBox(randomBytes(32).toString('base64'));
const context = 'provider:openai\nhttps://api.openai.com/v1';

function failure(open: () => string): SecretBoxFailure {
  try {
    open();
  } catch (error) {
    if (error instanceof SecretBoxError) return error.reason;
    throw error;
  }
  throw new Error('the sealed value opened');
}

/** Changes one character of part `index` of a sealed value, keeping it valid base64url. */
function flip(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const part = parts[index] as string;
  parts[index] = (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
  return parts.join('.');
}

describe('SecretBox', () => {
  it('opens what it sealed, Unicode included, and never stores the plaintext', () => {
    for (const plaintext of ['sk-live-0123456789abcdef', 'ключ-🔑', 'x'.repeat(4096)]) {
      const sealed = box.seal(plaintext, context);
      expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(sealed).not.toContain(plaintext);
      expect(box.open(sealed, context)).toBe(plaintext);
    }
  });

  it('uses a fresh IV per value: the same key sealed twice differs', () => {
    const first = box.seal('sk-same', context);
    const second = box.seal('sk-same', context);
    expect(first).not.toBe(second);
    expect(first.split('.')[2]).not.toBe(second.split('.')[2]);
  });

  it('refuses a modified ciphertext, IV or auth tag as tampered', () => {
    const sealed = box.seal('sk-live-0123456789abcdef', context);
    for (const part of [2, 3, 4]) expect(failure(() => box.open(flip(sealed, part), context))).toBe('tampered');
  });

  it('refuses a value sealed for another provider or base URL', () => {
    const sealed = box.seal('sk-live-0123456789abcdef', context);
    expect(failure(() => box.open(sealed, 'provider:openai\nhttps://attacker.example/v1'))).toBe('tampered');
    expect(failure(() => box.open(sealed, 'provider:other\nhttps://api.openai.com/v1'))).toBe('tampered');
  });

  it('tells a different LOOMFLOW_SECRET_KEY apart from tampering', () => {
    const sealed = box.seal('sk-live-0123456789abcdef', context);
    const other = new SecretBox(randomBytes(32).toString('base64'));
    expect(failure(() => other.open(sealed, context))).toBe('wrong_key');
    // The same secret derives the same key, so a restarted server reads what it stored.
    const secret = randomBytes(32).toString('base64');
    expect(new SecretBox(secret).open(new SecretBox(secret).seal('sk-restart', context), context)).toBe('sk-restart');
  });

  it('names an unknown format version and refuses values that are not sealed', () => {
    const sealed = box.seal('sk-live-0123456789abcdef', context);
    expect(failure(() => box.open(sealed.replace(/^v1\./, 'v2.'), context))).toBe('unsupported_version');
    expect(failure(() => box.open('sk-live-0123456789abcdef', context))).toBe('malformed');
    expect(failure(() => box.open(sealed.split('.').slice(0, 4).join('.'), context))).toBe('malformed');
    expect(failure(() => box.open(`${sealed}.extra`, context))).toBe('malformed');
    const parts = sealed.split('.');
    parts[2] = 'AAAA';
    expect(failure(() => box.open(parts.join('.'), context))).toBe('malformed');
  });

  it('says why in messages that contain neither the key nor the secret', () => {
    const secret = randomBytes(32).toString('base64');
    const sealed = new SecretBox(secret).seal('sk-live-0123456789abcdef', context);
    try {
      box.open(sealed, context);
    } catch (error) {
      expect((error as Error).message).toMatch(/different LOOMFLOW_SECRET_KEY/);
      expect((error as Error).message).not.toContain('sk-live');
      expect((error as Error).message).not.toContain(secret);
    }
    expect.assertions(3);
  });
});
