import { createDefaultRegistry } from '@loomflow/graph-schema';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { createLocalFlowApi, flowApiKey } from './api/flow-api';
import App from './App.vue';
import { nodeTypeRegistryKey } from './editor/node-type-registry';
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
// Flows live in this browser until the server's flows API lands; only this line will change.
app.provide(flowApiKey, createLocalFlowApi(window.localStorage));
app.mount('#app');
