// When the server was started with LOOMFLOW_API_TOKEN, the reader enters the token once; it is
// kept in this browser and sent as a bearer token from then on (api-client.ts).
import { ElMessageBox } from 'element-plus';
import 'element-plus/es/components/message-box/style/css';
import { API_TOKEN_STORAGE_KEY } from './api-client';

type Translate = (key: 'auth.title' | 'auth.message' | 'auth.placeholder' | 'auth.confirm' | 'auth.cancel') => string;

/** Several requests may fail at once: they share one prompt. */
export function createApiTokenPrompt(storage: Storage, t: Translate): () => Promise<boolean> {
  let pending: Promise<boolean> | undefined;
  const ask = async (): Promise<boolean> => {
    try {
      const { value } = await ElMessageBox.prompt(t('auth.message'), t('auth.title'), {
        inputType: 'password',
        inputPlaceholder: t('auth.placeholder'),
        confirmButtonText: t('auth.confirm'),
        cancelButtonText: t('auth.cancel'),
        inputValidator: (input) => input.trim() !== '',
      });
      storage.setItem(API_TOKEN_STORAGE_KEY, value.trim());
      return true;
    } catch {
      return false;
    }
  };
  return () => {
    pending ??= ask().finally(() => (pending = undefined));
    return pending;
  };
}
