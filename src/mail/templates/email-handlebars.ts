import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedTranslator } from '../../i18n/shared-translator.js';
import { directionOf, SOURCE_LOCALE, type Locale } from '../../i18n/locales.js';
import { EMAIL_THEME } from './email-theme.js';

/** A compiled template: renders `context` in `locale` (the `t` and `duration` helpers, `@locale`, `@dir`). */
export type Template = (context: object, locale?: Locale) => string;

// An instance of its own: the layout's partials stay out of the web pages' Handlebars, and theirs out of the emails.
const handlebars = Handlebars.create();

/**
 * `strict: true` throws on a missing `{{name}}`, but reads a helper's or a partial's argument
 * leniently: `{{> button url=confirmUrll}}` would still render an empty link. Marking every path
 * strict (the flag the compiler itself sets on `{{name}}`) makes those throw too.
 */
class StrictPaths extends Handlebars.Visitor {
  PathExpression(path: hbs.AST.PathExpression): void {
    (path as hbs.AST.PathExpression & { strict: boolean }).strict = true;
  }
}

function compile(source: string, html: boolean): HandlebarsTemplateDelegate {
  const ast = handlebars.parse(source);
  new StrictPaths().accept(ast);
  return handlebars.compile(ast, { strict: true, noEscape: !html });
}

type HelperOptions = { hash: Record<string, unknown>; data: { locale: Locale } };

// {{t "email.confirmation.intro" productName=productName}}: the message in the reader's language. A
// key no catalogue has throws, so the start-up render of every kind in every locale catches a typo.
handlebars.registerHelper('t', (key: unknown, options: HelperOptions) =>
  sharedTranslator().t(options.data.locale, String(key), options.hash),
);
// {{duration lifetimeSeconds}}: "24 hours", "24 Stunden", "24 ساعة".
handlebars.registerHelper('duration', (seconds: unknown, options: HelperOptions) =>
  sharedTranslator().duration(options.data.locale, Number(seconds)),
);

const renderOptions = new Map(
  [SOURCE_LOCALE, ...sharedTranslator().locales].map((locale) => [
    locale,
    { data: { theme: EMAIL_THEME, locale, dir: directionOf(locale) } },
  ]),
);

/**
 * A kind's template, compiled strictly: a variable the context lacks throws instead of rendering as
 * nothing. HTML templates escape what they insert; plain-text ones (subject, text) do not.
 */
export function compileEmailTemplate(source: string, { html }: { html: boolean }): Template {
  const template = compile(source, html);
  return (context, locale = SOURCE_LOCALE) => template(context, renderOptions.get(locale));
}

/** `<name>.html.hbs` and `<name>.text.hbs` in this folder are the partials `{{> name}}`, escaped or not. */
const PARTIAL_FILE = /^([a-z][a-z0-9-]*)\.(html|text)\.hbs$/;

for (const file of readdirSync(import.meta.dirname)) {
  const [, name, part] = PARTIAL_FILE.exec(file) ?? [];
  if (!name) continue;
  if (handlebars.partials[name]) throw new Error(`email partial "${name}" is declared twice (${file})`);
  handlebars.registerPartial(name, compile(readFileSync(join(import.meta.dirname, file), 'utf8'), part === 'html'));
}
