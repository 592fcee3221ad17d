import { watchEffect, type WatchStopHandle } from 'vue';
import type { AppI18n } from '../i18n';
import type { usePreferencesStore } from './preferences-store';

/**
 * The preferences store is the one place the language and theme are chosen; vue-i18n and the
 * <html> element (its `lang`, and the `dark` class Element Plus's dark CSS variables key on)
 * follow it from the first render on.
 */
export function followPreferences(preferences: ReturnType<typeof usePreferencesStore>, i18n: AppI18n): WatchStopHandle {
  return watchEffect(() => {
    i18n.global.locale.value = preferences.locale;
    document.documentElement.lang = preferences.locale;
    document.documentElement.classList.toggle('dark', preferences.theme === 'dark');
  });
}
