/** The user interface speaks these languages; every user-facing text carries both. */
export const locales = ['en', 'zh-CN'] as const;
export type Locale = (typeof locales)[number];
export type LocalizedText = Readonly<Record<Locale, string>>;
