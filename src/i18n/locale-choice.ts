import { DomainError } from '../common/domain-error.js';
import { SOURCE_LOCALE, type Locale } from './locales.js';
import { supportedOrNull } from './negotiation.js';

/** A `locale` that SUPPORTED_LOCALES does not name: `400`, code `unsupported_locale`. */
export class UnsupportedLocaleError extends DomainError<'unsupported_locale'> {
  constructor(supported: readonly Locale[]) {
    super('unsupported_locale', 400, `locale must be one of: ${supported.join(', ')}`);
  }
}

/** The locale a client chose, when SUPPORTED_LOCALES has it; throws UnsupportedLocaleError otherwise. */
export function chosenLocale(value: unknown, supported: readonly Locale[]): Locale {
  const locale = supportedOrNull(value, supported);
  if (!locale) throw new UnsupportedLocaleError(supported);
  return locale;
}

/** A stored locale as it is used now: itself while supported, else the first of SUPPORTED_LOCALES. */
export const effectiveLocale = (stored: string | null | undefined, supported: readonly Locale[]): Locale =>
  supportedOrNull(stored, supported) ?? supported[0] ?? SOURCE_LOCALE;
