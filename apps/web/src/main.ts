import { createDefaultRegistry } from '@loomflow/graph-schema';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { API_TOKEN_STORAGE_KEY, createApiClient } from './api/api-client';
import { createApiTokenPrompt } from './api/ask-for-api-token';
import { createServerFlowApi, flowApiKey } from './api/flow-api';
import App from './App.vue';
import { takeEarlyResponse } from './early-load';
import { nodeTypeRegistryKey } from './editor/node-type-registry';
import { createServerHistoryApi, historyApiKey } from './features/history/history-api';
import { createServerRunApi, runApiKey } from './features/run/run-api';
import { createServerSettingsApi, settingsApiKey } from './features/settings/settings-api';
import { createServerTasksApi, tasksApiKey } from './features/tasks/tasks-api';
import { createAppI18n } from './i18n';
import { createAppRouter } from './router';
import { followPreferences } from './stores/follow-preferences';
import { usePreferencesStore } from './stores/preferences-store';
import './styles.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
const preferences = usePreferencesStore(pinia);
const i18n = createAppI18n(preferences.locale);
app.use(i18n);
followPreferences(preferences, i18n);
app.use(createAppRouter());
app.provide(nodeTypeRegistryKey, createDefaultRegistry());
// The server serves this app, so the API is on the page's own origin.
const apiClient = createApiClient({
  baseUrl: window.location.origin,
  token: () => window.localStorage.getItem(API_TOKEN_STORAGE_KEY),
  onUnauthorized: createApiTokenPrompt(window.localStorage, (key) => i18n.global.t(key)),
  early: takeEarlyResponse,
});
app.provide(flowApiKey, createServerFlowApi(apiClient));
app.provide(runApiKey, createServerRunApi(apiClient));
app.provide(historyApiKey, createServerHistoryApi(apiClient));
app.provide(settingsApiKey, createServerSettingsApi(apiClient));
app.provide(tasksApiKey, createServerTasksApi(apiClient));
app.mount('#app');
