import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment } from '../config/environment.js';
import { SOURCE_LOCALE, type Locale } from '../i18n/locales.js';
import type { IssuedToken } from '../tokens/tokens.service.js';
import type { AnyEmailKind } from './email-kind.js';
import { compileEmailTemplate, type Template } from './templates/email-handlebars.js';
import { sampleInput, SAMPLE_SUPPORT_EMAIL } from './templates/sample-input.js';

export interface EmailTemplates {
  subject: Template;
  text: Template;
  html: Template;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface RenderInput {
  payload: object;
  token?: IssuedToken;
}

const PARTS = { subject: false, text: false, html: true } as const; // whether the part is HTML-escaped
type Part = keyof typeof PARTS;

const fileOf = (kind: AnyEmailKind, part: Part) => join(kind.templateDir, `${kind.name}.${part}.hbs`);

/** `<name>.subject.hbs` and `<name>.text.hbs` are plain text; `<name>.html.hbs` is HTML-escaped. All are strict. */
export function loadTemplates(kind: AnyEmailKind): EmailTemplates {
  const compile = (part: Part): Template => compileEmailTemplate(readFileSync(fileOf(kind, part), 'utf8'), { html: PARTS[part] });
  return { subject: compile('subject'), text: compile('text'), html: compile('html') };
}

/** What a kind's templates see: `productName`, `supportEmail` (null when there is none) and the kind's variables. */
export function templateContext(kind: AnyEmailKind, input: RenderInput, env: Environment): Record<string, unknown> {
  const appUrl = env.APP_URL.replace(/\/+$/, '');
  const link = input.token && kind.link ? `${appUrl}${kind.link.replace(':token', input.token.value)}` : undefined;
  const context: Record<string, unknown> = { productName: env.PRODUCT_NAME, supportEmail: env.SUPPORT_EMAIL ?? null };
  // A variable that came out undefined (a payload without the field) is missing: strict rendering throws on it.
  for (const [name, value] of Object.entries(kind.variables({ ...input, link, env, appUrl })))
    if (value !== undefined) context[name] = value;
  return context;
}

/** Renders in `locale`; throws, naming the part, when a template names a variable the context lacks or a message no catalogue has. */
export function renderTemplates(
  templates: EmailTemplates,
  context: Record<string, unknown>,
  locale: Locale = SOURCE_LOCALE,
): RenderedEmail {
  const render = (part: Part, partContext: object) => {
    try {
      return templates[part](partContext, locale);
    } catch (error) {
      throw new Error(`${part} template: ${(error as Error).message.replace(/ in \[object Object\]/, '')}`, { cause: error });
    }
  };
  const subject = render('subject', context).trim();
  const withSubject = { ...context, subject }; // the HTML page's <title>
  return { subject, text: render('text', withSubject), html: render('html', withSubject) };
}

/**
 * What is wrong with the declared kinds, one line each: a duplicate or over-long name, a missing
 * or broken template, a variable its templates name that its sample data does not give, or a
 * message a catalogue lacks (rendered in every SUPPORTED_LOCALES language, with and without a
 * support address). Both processes refuse to start on any (see main.ts, main.worker.ts).
 */
export function emailKindProblems(kinds: readonly AnyEmailKind[], env: Environment): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const kind of kinds) {
    if (seen.has(kind.name)) problems.push(`email kind "${kind.name}" is declared twice`);
    seen.add(kind.name);
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(kind.name))
      problems.push(`email kind "${kind.name}" needs a name of 1-32 lower-case letters, digits and dashes`);
    const templateProblems = (Object.keys(PARTS) as Part[]).flatMap((part) => templateProblem(kind, part));
    problems.push(...templateProblems);
    if (templateProblems.length === 0) problems.push(...sampleProblem(kind, env));
  }
  return problems;
}

function templateProblem(kind: AnyEmailKind, part: Part): string[] {
  const file = fileOf(kind, part);
  if (!existsSync(file)) return [`email kind "${kind.name}" has no ${part} template (${file})`];
  try {
    compileEmailTemplate(readFileSync(file, 'utf8'), { html: PARTS[part] });
    return [];
  } catch (error) {
    return [`email kind "${kind.name}": ${part} template does not compile: ${(error as Error).message.split('\n')[0]}`];
  }
}

function sampleProblem(kind: AnyEmailKind, env: Environment): string[] {
  try {
    const templates = loadTemplates(kind);
    const context = templateContext(kind, sampleInput(kind, env), env);
    for (const locale of env.SUPPORTED_LOCALES) {
      try {
        for (const supportEmail of [null, SAMPLE_SUPPORT_EMAIL]) renderTemplates(templates, { ...context, supportEmail }, locale);
      } catch (error) {
        const where = locale === env.SUPPORTED_LOCALES[0] ? '' : ` in "${locale}"`;
        return [`email kind "${kind.name}" does not render its sample data${where}: ${(error as Error).message.split('\n')[0]}`];
      }
    }
    return [];
  } catch (error) {
    return [`email kind "${kind.name}" does not render its sample data: ${(error as Error).message.split('\n')[0]}`];
  }
}
