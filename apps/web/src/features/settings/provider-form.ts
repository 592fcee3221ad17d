// The provider form's state and the PUT body it becomes. The server answers where a key comes
// from, never the key, so an edited provider starts with an empty key field; and since PUT
// replaces the provider whole, a key is kept only when it is entered again.
import type { ProviderBody, ProviderKind, ProviderView } from './settings-api';

export type KeySource = 'stored' | 'env' | 'none';

export interface ProviderForm {
  id: string;
  kind: ProviderKind;
  baseUrl: string;
  defaultModel: string;
  keySource: KeySource;
  apiKey: string;
  apiKeyEnv: string;
}

export function emptyProviderForm(): ProviderForm {
  return { id: '', kind: 'openai-compatible', baseUrl: '', defaultModel: '', keySource: 'stored', apiKey: '', apiKeyEnv: '' };
}

/** The form for editing `provider`: everything the server told, the key field empty. */
export function providerFormOf(provider: ProviderView): ProviderForm {
  return {
    id: provider.id,
    kind: provider.kind,
    baseUrl: provider.baseUrl,
    defaultModel: provider.defaultModel ?? '',
    keySource: provider.apiKey.source,
    apiKey: '',
    apiKeyEnv: provider.apiKey.source === 'env' ? provider.apiKey.name : '',
  };
}

/** The PUT body; blank optional fields are left out, so the server applies its defaults. */
export function providerBodyOf(form: ProviderForm): ProviderBody {
  const defaultModel = form.defaultModel.trim();
  const apiKey = form.apiKey.trim();
  const apiKeyEnv = form.apiKeyEnv.trim();
  const key = {
    ...(defaultModel === '' ? {} : { defaultModel }),
    ...(form.keySource === 'stored' && apiKey !== '' ? { apiKey } : {}),
    ...(form.keySource === 'env' && apiKeyEnv !== '' ? { apiKeyEnv } : {}),
  };
  const baseUrl = form.baseUrl.trim();
  if (form.kind === 'openai-compatible') return { kind: 'openai-compatible', baseUrl, ...key };
  return { kind: 'anthropic', ...(baseUrl === '' ? {} : { baseUrl }), ...key };
}
