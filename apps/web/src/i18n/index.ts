import { locales, type Locale } from '@loomflow/graph-schema';
import type { Language } from 'element-plus/es/locale';
import elementEn from 'element-plus/es/locale/lang/en';
import elementZhCn from 'element-plus/es/locale/lang/zh-cn';
import { createI18n } from 'vue-i18n';
import { en, type MessageSchema } from './en';
import { zhCN } from './zh-cn';

export { locales, type Locale };

/** Each language is offered under its own name, so that a reader of either can find it. */
export const localeLabels: Readonly<Record<Locale, string>> = { en: 'EN', 'zh-CN': '中文' };

/** Element Plus brings its own texts (date pickers, pagination, empty states). */
export const elementPlusLocales: Readonly<Record<Locale, Language>> = { en: elementEn, 'zh-CN': elementZhCn };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** The first of the browser's preferred languages that the app speaks; English otherwise. */
export function preferredLocale(browserLanguages: readonly string[]): Locale {
  for (const language of browserLanguages) {
    const tag = language.toLowerCase();
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  }
  return 'en';
}

export function createAppI18n(locale: Locale) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, 'zh-CN': zhCN },
  });
}

export type AppI18n = ReturnType<typeof createAppI18n>;
