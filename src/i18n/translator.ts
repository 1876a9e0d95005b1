import i18next, { type i18n as I18n } from 'i18next';
import ICU from 'i18next-icu';
import { isDuration } from '../common/words.js';
import { flatten, readCatalogue } from './catalogues.js';
import { directionOf, SOURCE_LOCALE, type Locale } from './locales.js';

export type Params = Record<string, unknown>;

/** Most messages remembered at once (each a few hundred bytes); the cache starts afresh when full. */
const CACHE_SIZE = 10_000;

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['i18n.duration.days', 86400],
  ['i18n.duration.hours', 3600],
  ['i18n.duration.minutes', 60],
];

/**
 * Messages of every supported locale, through i18next with ICU message format (plurals, variables).
 * A key a locale lacks throws: it never renders as the key (the start-up check and CI keep that from
 * happening, see catalogues.ts).
 */
export class Translator {
  private readonly i18n: I18n;
  private readonly cache = new Map<string, string>();

  constructor(readonly locales: readonly Locale[]) {
    this.i18n = i18next.createInstance();
    void this.i18n.use(ICU).init({
      resources: Object.fromEntries(locales.map((l) => [l, { translation: flatten(readCatalogue(l)) }])),
      lng: locales[0] ?? SOURCE_LOCALE,
      supportedLngs: [...locales],
      fallbackLng: false,
      keySeparator: false,
      nsSeparator: false,
      initAsync: false,
      interpolation: { escapeValue: false }, // Handlebars escapes what a page or HTML email inserts
      showSupportNotice: false,
    } as Parameters<I18n['init']>[0]);
  }

  /**
   * The message `key` in `locale`, its ICU arguments filled in. Remembered by its arguments: most
   * messages of an email or a page are the same every time (bench/README.md, "Languages").
   */
  t(locale: Locale, key: string, params: Params = {}): string {
    const values: Params = {};
    for (const [name, value] of Object.entries(params))
      values[name] = isDuration(value) ? this.duration(locale, value.durationSeconds) : value;
    const cacheKey = `${locale}\u0000${key}\u0000${JSON.stringify(values)}`;
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached;
    if (!this.i18n.exists(key, { lng: locale })) throw new Error(`no message "${key}" in the "${locale}" catalogue`);
    const message = this.i18n.t(key, { ...values, lng: locale });
    if (this.cache.size >= CACHE_SIZE) this.cache.clear();
    this.cache.set(cacheKey, message);
    return message;
  }

  /** 86400 → "24 hours" / "24 Stunden"; at most two units, like 1 hour 30 minutes. */
  duration(locale: Locale, totalSeconds: number): string {
    if (totalSeconds % 86400 === 0 && totalSeconds <= 86400) return this.t(locale, 'i18n.duration.hours', { count: totalSeconds / 3600 });
    const parts: string[] = [];
    let rest = totalSeconds;
    for (const [key, size] of UNITS) {
      const count = Math.floor(rest / size);
      if (count > 0) parts.push(this.t(locale, key, { count }));
      rest -= count * size;
    }
    if (parts.length === 0) return this.t(locale, 'i18n.duration.seconds', { count: totalSeconds });
    return parts.length === 1 ? parts[0] : this.t(locale, 'i18n.duration.pair', { first: parts[0], second: parts[1] });
  }

  /** A date and time in the reader's language, the time zone named: "4. Dez. 2026, 11:33 UTC". */
  dateTime(locale: Locale, value: Date, timeZone = 'UTC'): string {
    // dateStyle cannot be combined with timeZoneName: the fields one by one.
    const format = {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    } as const;
    return new Intl.DateTimeFormat(locale, format).format(value);
  }

  direction(locale: Locale): 'rtl' | 'ltr' {
    return directionOf(locale);
  }
}
