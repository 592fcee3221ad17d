// The real server app over a temporary libsql file, reached through the typed client with
// `app.request` as its fetch: web tests talk to the same routes the browser does, without a port.
import { createTestApp } from '@loomflow/server/testing/fixtures';
import { createApiClient } from '../api/api-client';
import { createServerFlowApi, type FlowApi } from '../api/flow-api';
import { createServerHistoryApi, type HistoryApi } from '../features/history/history-api';
import { createServerRunApi, type RunApi } from '../features/run/run-api';

export interface TestServerApi {
  readonly api: FlowApi;
  readonly runs: RunApi;
  readonly history: HistoryApi;
  dispose(): Promise<void>;
}

export async function createTestServerApi(): Promise<TestServerApi> {
  const server = await createTestApp();
  const client = createApiClient({
    baseUrl: 'http://127.0.0.1:8787',
    fetch: async (input: string | URL | Request, init?: RequestInit) => server.app.request(input, init),
  });
  return { api: createServerFlowApi(client), runs: createServerRunApi(client), history: createServerHistoryApi(client), dispose: () => server.dispose() };
}
