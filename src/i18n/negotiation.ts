import { match } from '@formatjs/intl-localematcher';
import { isLocale, type Locale } from './locales.js';

/** The most languages of an Accept-Language header looked at (a header is at most a few kB anyway). */
const MAX_RANGES = 20;

/** `de-CH, de;q=0.9, en;q=0.5, *;q=0.1` → `['de-CH', 'de', 'en']`: by weight, highest first (ties keep their order), none with q=0. */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  const ranges: Array<{ tag: string; q: number; at: number }> = [];
  for (const [at, part] of header.split(',').slice(0, MAX_RANGES).entries()) {
    const [rawTag = '', ...params] = part.trim().split(';');
    const tag = rawTag.trim();
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (tag === '' || tag === '*' || !Number.isFinite(q) || q <= 0 || q > 1) continue;
    try {
      ranges.push({ tag: Intl.getCanonicalLocales(tag)[0], q, at });
    } catch {
      // not a language tag: ignored, like a browser would
    }
  }
  return ranges.sort((a, b) => b.q - a.q || a.at - b.at).map((r) => r.tag);
}

/** The supported locale closest to what an Accept-Language header asks for, or null when it asks for none of them. */
export function matchAcceptLanguage(header: string | undefined, supported: readonly Locale[]): Locale | null {
  const wanted = acceptedLanguages(header);
  if (wanted.length === 0) return null;
  const NONE = 'zxx'; // "no linguistic content": what match() answers when nothing fits
  const found = match(wanted, [...supported], NONE, { algorithm: 'best fit' });
  return isLocale(found) && supported.includes(found) ? found : null;
}

/** A `?lang=` or cookie value naming a supported locale, or null. */
export const supportedOrNull = (value: unknown, supported: readonly Locale[]): Locale | null =>
  isLocale(value) && supported.includes(value) ? value : null;

/**
 * The page's language (CONTRACT.md, Languages): `?lang=`, else the `lang` cookie, else Accept-Language,
 * else the first of SUPPORTED_LOCALES. `fromQuery` says whether the cookie should be (re)set.
 */
export function negotiateLocale(
  input: { query?: unknown; cookie?: unknown; acceptLanguage?: string },
  supported: readonly Locale[],
): { locale: Locale; fromQuery: boolean } {
  const fromQuery = supportedOrNull(input.query, supported);
  if (fromQuery) return { locale: fromQuery, fromQuery: true };
  const locale = supportedOrNull(input.cookie, supported) ?? matchAcceptLanguage(input.acceptLanguage, supported) ?? supported[0];
  return { locale, fromQuery: false };
}
