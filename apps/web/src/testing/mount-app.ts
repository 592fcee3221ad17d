// Mounts components with the same plugins main.ts installs, so tests see what users see.
import { createDefaultRegistry, type NodeTypeRegistry } from '@loomflow/graph-schema';
import { enableAutoUnmount, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import type { Component } from 'vue';
import { createMemoryHistory } from 'vue-router';
import { flowApiKey, type FlowApi } from '../api/flow-api';
import { nodeTypeRegistryKey } from '../editor/node-type-registry';
import { historyApiKey, type HistoryApi } from '../features/history/history-api';
import { runApiKey, type RunApi } from '../features/run/run-api';
import { settingsApiKey, type SettingsApi } from '../features/settings/settings-api';
import { createAppI18n, type Locale } from '../i18n';
import { createAppRouter } from '../router';
import { followPreferences } from '../stores/follow-preferences';
import { usePreferencesStore } from '../stores/preferences-store';
import { afterEach } from 'vitest';

// Every app mounted here is unmounted after its test, so its components' teardown runs (a code
// editor destroys its view, which clears its linter's pending timer). Left mounted, that timer
// fired after the test file's window was gone and failed the run with an unhandled rejection.
enableAutoUnmount(afterEach);

export interface MountOptions {
  readonly locale?: Locale;
  readonly registry?: NodeTypeRegistry;
  readonly path?: string;
  /** Only pages load or save flows; give them the real server's API (testing/server-api.ts). */
  readonly api?: FlowApi;
  /** The editor page runs flows through it (testing/server-api.ts's `runs`). */
  readonly runApi?: RunApi;
  /** Run history pages read stored runs through it (testing/server-api.ts's `history`). */
  readonly historyApi?: HistoryApi;
  /** The settings pages read and write the server's settings through it (testing/server-api.ts's `settings`). */
  readonly settingsApi?: SettingsApi;
  /** The component's props. */
  readonly props?: Readonly<Record<string, unknown>>;
}

export async function mountWithApp(component: Component, { locale = 'en', registry = createDefaultRegistry(), path = '/', api, runApi, historyApi, settingsApi, props }: MountOptions = {}) {
  const pinia = createPinia();
  const preferences = usePreferencesStore(pinia);
  preferences.locale = locale;
  const router = createAppRouter(createMemoryHistory());
  await router.push(path);
  const i18n = createAppI18n(locale);
  followPreferences(preferences, i18n);
  const wrapper = mount(component, {
    attachTo: document.body,
    ...(props ? { props } : {}),
    global: {
      plugins: [pinia, i18n, router],
      provide: {
        [nodeTypeRegistryKey as symbol]: registry,
        ...(api ? { [flowApiKey as symbol]: api } : {}),
        ...(runApi ? { [runApiKey as symbol]: runApi } : {}),
        ...(historyApi ? { [historyApiKey as symbol]: historyApi } : {}),
        ...(settingsApi ? { [settingsApiKey as symbol]: settingsApi } : {}),
      },
    },
  });
  return { wrapper, preferences, router, pinia };
}
