import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { isLocale, preferredLocale, type Locale } from '../i18n';

export type ThemeName = 'light' | 'dark';

const STORAGE_KEY = 'loomflow.preferences';

interface SavedPreferences {
  readonly locale?: Locale;
  readonly theme?: ThemeName;
}

/** The reader's language and theme, remembered in this browser across visits. */
export const usePreferencesStore = defineStore('preferences', () => {
  const saved = readSavedPreferences();
  const locale = ref<Locale>(saved.locale ?? preferredLocale(navigator.languages));
  const theme = ref<ThemeName>(saved.theme ?? (window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));

  watch([locale, theme], () => {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ locale: locale.value, theme: theme.value }));
    } catch {
      // Storage can be full or disabled (private browsing); the choice then lasts for this visit.
    }
  });

  return { locale, theme };
});

function readSavedPreferences(): SavedPreferences {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { locale, theme } = parsed as Record<string, unknown>;
    return {
      ...(isLocale(locale) ? { locale } : {}),
      ...(theme === 'light' || theme === 'dark' ? { theme } : {}),
    };
  } catch {
    return {};
  }
}
