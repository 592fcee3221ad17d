// The runtime's CredentialResolver on the server: a flow's credential reference (`model.credential`)
// is a provider id, and its API key is read from the provider store at the moment a node asks,
// so a rotated key or a changed environment variable applies to the next call without a restart.
import type { CredentialResolver } from '@loomflow/runtime';
import type { ProviderStore } from './provider-store';

/**
 * Resolves through `ProviderStore.resolveCredentials`, the one place a key is read back. Its
 * `ProviderError`s name what the operator must fix and never hold the key, so a node failing on
 * one reports that message as it is.
 */
export function providerCredentialResolver(providers: ProviderStore): CredentialResolver {
  return { resolve: async (credentialRef) => (await providers.resolveCredentials(credentialRef)).apiKey };
}
