// Encryption at rest for provider API keys (AES-256-GCM). The key comes from LOOMFLOW_SECRET_KEY,
// which lives in the server's environment and never in the database, so a copy of the database
// alone does not reveal the keys. A sealed value is
//   v1.<key id>.<iv>.<auth tag>.<ciphertext>      (base64url parts)
// The version lets the format change without guessing; the key id tells "LOOMFLOW_SECRET_KEY was
// changed" apart from "the value was modified", which otherwise both fail as a bad auth tag.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 8;
/**
 * scrypt, not a plain hash, so that a LOOMFLOW_SECRET_KEY chosen as a passphrase still costs an
 * attacker with the database real work per guess. A fixed salt is enough: the derivation runs once
 * per process, and the salt only has to keep Loomflow's keys apart from other uses of the secret.
 */
const KDF_SALT = 'loomflow/provider-secrets/v1';

export type SecretBoxFailure = 'wrong_key' | 'tampered' | 'unsupported_version' | 'malformed';

/** A sealed value that cannot be opened. The message never contains the value or the key. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
  constructor(
    readonly reason: SecretBoxFailure,
    message: string,
  ) {
    super(message);
  }
}

export class SecretBox {
  readonly #key: Buffer;
  readonly #keyId: string;

  constructor(secretKey: string) {
    this.#key = scryptSync(secretKey, KDF_SALT, 32);
    // Derived from the encryption key through a one-way function, so it identifies the key
    // without helping anyone recover it.
    this.#keyId = createHmac('sha256', this.#key).update('key id').digest().subarray(0, KEY_ID_BYTES).toString('base64url');
  }

  /**
   * `context` is authenticated but not stored: a value sealed for one context (a provider id and
   * its base URL) does not open under another, so a sealed key copied to another row or left
   * behind a base URL edited directly in the database is refused instead of sent elsewhere.
   */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.#keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    const [version, keyId, iv, tag, ciphertext] = parts;
    if (version !== VERSION) {
      if (version !== undefined && /^v\d+$/.test(version)) {
        throw new SecretBoxError('unsupported_version', `The secret was sealed in format ${version}, which this server version does not read.`);
      }
      throw new SecretBoxError('malformed', 'The stored secret is not a sealed value.');
    }
    if (parts.length !== 5 || keyId === undefined || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new SecretBoxError('malformed', 'The stored secret is not a sealed value.');
    }
    if (keyId !== this.#keyId) {
      throw new SecretBoxError('wrong_key', 'The secret was encrypted with a different LOOMFLOW_SECRET_KEY.');
    }
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
      throw new SecretBoxError('malformed', 'The stored secret is not a sealed value.');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#key, ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tagBytes);
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      // GCM refuses to authenticate; the reason (bit flip, other context) cannot be told apart.
      throw new SecretBoxError('tampered', 'The stored secret was modified after it was encrypted, or belongs to another provider or base URL.');
    }
  }
}
