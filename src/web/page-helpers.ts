import type Handlebars from 'handlebars';
import type { Environment } from '../config/environment.js';
import type { Words } from '../common/words.js';
import { isLocale, SOURCE_LOCALE, type Locale } from '../i18n/locales.js';
import { sharedTranslator } from '../i18n/shared-translator.js';
import { describeDevice } from './device-name.js';

const ERROR_PAGE_TEXT: Record<string, string> = {
  csrf_failed: 'errorPage.csrf',
  too_many_requests: 'errorPage.tooManyRequests',
  not_found: 'errorPage.notFound',
  service_unavailable: 'errorPage.unavailable',
  internal_server_error: 'errorPage.internal',
  bad_url: 'errorPage.badUrl',
  url_too_long: 'errorPage.urlTooLong',
};

type HelperOptions = { hash: Record<string, unknown>; data: { root: { lang?: unknown } } };

/**
 * The pages' Handlebars helpers, in the page's language (`lang`, set by the page-locale hook):
 * `{{t "home.intro"}}`, `{{t "flash.codeSent" email=email}}`, `{{t flash}}` (words: a key and its
 * arguments), `{{datetime createdAt}}` (the time zone named), `{{device userAgent}}`. A key no
 * catalogue has throws, never showing as the key.
 */
export function registerPageHelpers(handlebars: typeof Handlebars, env: Environment): void {
  const translator = sharedTranslator();
  const localeOf = (options: HelperOptions): Locale => {
    const lang = options.data.root.lang;
    return isLocale(lang) ? lang : env.SUPPORTED_LOCALES[0];
  };
  handlebars.registerHelper('t', (what: unknown, ...rest: unknown[]) => {
    const options = rest.at(-1) as HelperOptions;
    const words: Words = typeof what === 'string' ? { key: what, params: options.hash } : (what as Words);
    return translator.t(localeOf(options), words.key, { ...words.params, ...options.hash });
  });
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // The error page: the refusal's code in the reader's words (the API keeps the English message).
  // Another refusal: its own English message on an English page (the operators' pages among them), else a general sentence.
  handlebars.registerHelper('errorText', (code: unknown, message: unknown, options: HelperOptions) => {
    const locale = localeOf(options);
    const key = ERROR_PAGE_TEXT[String(code)];
    if (key) return translator.t(locale, key);
    return locale === SOURCE_LOCALE && typeof message === 'string' ? message : translator.t(locale, 'errorPage.other');
  });
  handlebars.registerHelper('datetime', (value: unknown, options: HelperOptions) =>
    value instanceof Date ? translator.dateTime(localeOf(options), value) : '',
  );
  handlebars.registerHelper('device', (userAgent: unknown, options: HelperOptions) =>
    describeDevice(typeof userAgent === 'string' ? userAgent : undefined, (key, params) => translator.t(localeOf(options), key, params)),
  );
}
