// Keeps the secrets a node resolved out of what the runtime writes: state and run events are
// stored in checkpoints and event logs and shown to whoever may read the run, so an executor that
// put a key into its update or a streamed event, or an SDK error that quotes a refused key, must
// not carry it there.
import type { CredentialResolver, HostServiceName, HostServices, ServiceLookup } from './host-services';

/**
 * Shorter values are no secret worth matching, and matching them would flag ordinary text (a
 * resolver answering "x" for a test provider).
 */
const MIN_GUARDED_LENGTH = 8;

const REDACTED = '[redacted]';

/** The secrets one node execution resolved through `ctx.service('credentials')`. */
export class SecretGuard {
  readonly #secrets = new Set<string>();

  /** The node's service lookup, with a credential resolver that remembers what it returns. */
  guard(lookup: ServiceLookup): ServiceLookup {
    return <Name extends HostServiceName>(name: Name): HostServices[Name] => {
      const service = lookup(name);
      // The name decides the type: for 'credentials' the service is a CredentialResolver.
      return (name === 'credentials' ? this.#remembering(service as CredentialResolver) : service) as HostServices[Name];
    };
  }

  /** Whether a value, as JSON, holds a resolved secret (escaped as JSON would escape it). */
  leaks(value: unknown): boolean {
    if (this.#secrets.size === 0) return false;
    const text = JSON.stringify(value) ?? '';
    return [...this.#secrets].some((secret) => text.includes(JSON.stringify(secret).slice(1, -1)));
  }

  /** A message with every resolved secret replaced. */
  redact(message: string): string {
    let redacted = message;
    for (const secret of this.#secrets) redacted = redacted.split(secret).join(REDACTED);
    return redacted;
  }

  #remembering(resolver: CredentialResolver): CredentialResolver {
    return {
      resolve: async (credentialRef) => {
        const secret = await resolver.resolve(credentialRef);
        if (secret !== undefined && secret.length >= MIN_GUARDED_LENGTH) this.#secrets.add(secret);
        return secret;
      },
    };
  }
}
