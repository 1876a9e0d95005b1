/** Every language the service has a catalogue for (`locales/<locale>.json`); SUPPORTED_LOCALES narrows it. */
export const LOCALES = ['en', 'de', 'fr', 'es', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

/** The catalogue every other is checked against, and the last resort when SUPPORTED_LOCALES names nothing better. */
export const SOURCE_LOCALE: Locale = 'en';

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

const RIGHT_TO_LEFT: ReadonlySet<Locale> = new Set(['ar']);

/** The `dir` attribute of a page or email in that language. */
export const directionOf = (locale: Locale): 'rtl' | 'ltr' => (RIGHT_TO_LEFT.has(locale) ? 'rtl' : 'ltr');

/** Each language's name in itself, for the language switcher. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch', fr: 'Français', es: 'Español', ar: 'العربية' };
