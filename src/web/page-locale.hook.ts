import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '../config/environment.js';
import { secureCookies } from '../config/secure-cookies.js';
import { directionOf, LOCALE_NAMES, SOURCE_LOCALE, type Locale } from '../i18n/locales.js';
import { negotiateLocale } from '../i18n/negotiation.js';

declare module 'fastify' {
  interface FastifyReply {
    /** What every view of this reply gets (@fastify/view merges it into the context). */
    locals: Record<string, unknown> | null;
  }
}

/** The cookie `?lang=` sets (CONTRACT.md, Languages). */
export const LANG_COOKIE = 'lang';
const LANG_COOKIE_MAX_AGE_SECONDS = 365 * 86400;

/** Routes that are no pages: no language to negotiate, no cookie to set. */
const NOT_PAGES = /^\/(api|health|metrics|webhooks|static)(\/|$|\?)/i;
/** Operators' pages are written in English only: their `<html lang>` says so. */
const ENGLISH_ONLY = /^\/admin(\/|$|\?)/i;

/** What every page's layout gets: its language, direction and the footer's language switcher. */
export interface PageLocale {
  lang: Locale;
  dir: 'ltr' | 'rtl';
  languages: Array<{ code: Locale; name: string; href: string; current: boolean }>;
}

export function pageLocale(locale: Locale, path: string, supported: readonly Locale[]): PageLocale {
  return {
    lang: locale,
    dir: directionOf(locale),
    languages:
      supported.length < 2
        ? []
        : supported.map((code) => ({ code, name: LOCALE_NAMES[code], href: `${path}?lang=${code}`, current: code === locale })),
  };
}

/**
 * Negotiates each page's language (`?lang=`, the `lang` cookie, Accept-Language, the first of
 * SUPPORTED_LOCALES) and hands it to the views as `reply.locals`. Registered after the view engine,
 * whose own hook starts every request with empty locals.
 */
export function pageLocaleHook(env: Environment) {
  return (req: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    if (NOT_PAGES.test(req.url)) return done();
    // A GET's switcher links to the page itself; after a form's POST, to the start page (the POST path may have no page).
    const path = req.method === 'GET' || req.method === 'HEAD' ? req.url.split('?')[0] : '/';
    if (ENGLISH_ONLY.test(req.url)) {
      reply.locals = { ...reply.locals, ...pageLocale(SOURCE_LOCALE, path, []) };
      return done();
    }
    const { locale, fromQuery } = negotiateLocale(
      {
        query: (req.query as Record<string, unknown> | undefined)?.lang,
        cookie: req.cookies[LANG_COOKIE],
        acceptLanguage: req.headers['accept-language'],
      },
      env.SUPPORTED_LOCALES,
    );
    if (fromQuery) setLangCookie(reply, env, locale);
    reply.locals = { ...reply.locals, ...pageLocale(locale, path, env.SUPPORTED_LOCALES) };
    done();
  };
}

/** Remembers the reader's language for later pages (`?lang=`, or the account's language saved). */
export function setLangCookie(reply: FastifyReply, env: Environment, locale: Locale): void {
  reply.setCookie(LANG_COOKIE, locale, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(env),
    maxAge: LANG_COOKIE_MAX_AGE_SECONDS,
  });
}

/** The hook as a plugin that is not encapsulated (what fastify-plugin does), so it runs for every route after the view engine's. */
export function pageLocalePlugin(env: Environment) {
  const plugin = (fastify: FastifyInstance, _options: unknown, done: () => void) => {
    fastify.addHook('onRequest', pageLocaleHook(env));
    done();
  };
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true });
}

/** The page's language as the hook negotiated it (or the fallback, for an answer made before the hook ran). */
export const localeOf = (reply: FastifyReply, env: Environment): Locale =>
  (reply.locals as Partial<PageLocale> | undefined)?.lang ?? env.SUPPORTED_LOCALES[0];
