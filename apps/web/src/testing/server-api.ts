// The real server app over a temporary libsql file, reached through the typed client with
// `app.request` as its fetch: web tests talk to the same routes the browser does, without a port.
import { createTestApp } from '@loomflow/server/testing/fixtures';
import { createApiClient } from '../api/api-client';
import { createServerFlowApi, type FlowApi } from '../api/flow-api';
import { createServerHistoryApi, type HistoryApi } from '../features/history/history-api';
import { createServerRunApi, type RunApi } from '../features/run/run-api';
import { createServerSettingsApi, type SettingsApi } from '../features/settings/settings-api';

export interface TestServerApi {
  readonly api: FlowApi;
  readonly runs: RunApi;
  readonly history: HistoryApi;
  readonly settings: SettingsApi;
  dispose(): Promise<void>;
}

/**
 * `secretKey`: the server's LOOMFLOW_SECRET_KEY, without which it refuses to store API keys;
 * `maxConcurrentRuns`: its LOOMFLOW_MAX_CONCURRENT_RUNS, beyond which runs wait as `queued`.
 */
export async function createTestServerApi(options: { readonly secretKey?: string; readonly maxConcurrentRuns?: number } = {}): Promise<TestServerApi> {
  const server = await createTestApp(options);
  const client = createApiClient({
    baseUrl: 'http://127.0.0.1:8787',
    fetch: async (input: string | URL | Request, init?: RequestInit) => server.app.request(input, init),
  });
  return {
    api: createServerFlowApi(client),
    runs: createServerRunApi(client),
    history: createServerHistoryApi(client),
    settings: createServerSettingsApi(client),
    dispose: () => server.dispose(),
  };
}
