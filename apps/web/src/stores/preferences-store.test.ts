import { createPinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { preferredLocale } from '../i18n';
import { usePreferencesStore } from './preferences-store';

afterEach(() => localStorage.clear());

describe('preferredLocale', () => {
  it.each([
    [['zh-CN', 'en'], 'zh-CN'],
    [['zh'], 'zh-CN'],
    [['en-GB', 'zh-CN'], 'en'],
    [['fr-FR', 'zh-TW'], 'zh-CN'],
    [['fr-FR'], 'en'],
    [[], 'en'],
  ])('picks the first language the app speaks from %j', (languages, expected) => {
    expect(preferredLocale(languages)).toBe(expected);
  });
});

describe('usePreferencesStore', () => {
  it('restores the saved language and theme', () => {
    localStorage.setItem('loomflow.preferences', JSON.stringify({ locale: 'zh-CN', theme: 'dark' }));
    const preferences = usePreferencesStore(createPinia());
    expect(preferences.locale).toBe('zh-CN');
    expect(preferences.theme).toBe('dark');
  });

  it('ignores saved values it does not understand', () => {
    localStorage.setItem('loomflow.preferences', JSON.stringify({ locale: 'xx', theme: 'purple' }));
    const preferences = usePreferencesStore(createPinia());
    expect(['en', 'zh-CN']).toContain(preferences.locale);
    expect(['light', 'dark']).toContain(preferences.theme);

    localStorage.setItem('loomflow.preferences', 'not json');
    expect(() => usePreferencesStore(createPinia())).not.toThrow();
  });

  it('saves changes', async () => {
    const preferences = usePreferencesStore(createPinia());
    preferences.theme = 'dark';
    preferences.locale = 'zh-CN';
    await nextTick();
    expect(JSON.parse(localStorage.getItem('loomflow.preferences') ?? '')).toEqual({ locale: 'zh-CN', theme: 'dark' });
  });
});
