import { IntlMessageFormat } from 'intl-messageformat';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCALES, SOURCE_LOCALE, type Locale } from './locales.js';

/** A catalogue as written (nested by area) and as looked up: `"email.confirmation.subject"` → the ICU message. */
export type Catalogue = { [key: string]: string | Catalogue };
export type FlatCatalogue = Record<string, string>;

export const CATALOGUE_DIR = join(import.meta.dirname, 'locales');

export const readCatalogue = (locale: Locale, dir = CATALOGUE_DIR): Catalogue =>
  JSON.parse(readFileSync(join(dir, `${locale}.json`), 'utf8')) as Catalogue;

export function flatten(catalogue: Catalogue, prefix = ''): FlatCatalogue {
  const flat: FlatCatalogue = {};
  for (const [name, value] of Object.entries(catalogue)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (typeof value === 'string') flat[key] = value;
    else Object.assign(flat, flatten(value, key));
  }
  return flat;
}

/** The names of a message's ICU arguments (`{name}`, `{count, plural, ...}`), nested ones included. */
function argumentsOf(message: string, locale: Locale): Set<string> {
  const names = new Set<string>();
  type Element = { value?: unknown; options?: Record<string, { value: Element[] }>; children?: Element[] };
  const walk = (elements: Element[]) => {
    for (const element of elements) {
      if (typeof element.value === 'string' && 'type' in element && (element as { type: number }).type !== 0) names.add(element.value);
      for (const option of Object.values(element.options ?? {})) walk(option.value);
      if (element.children) walk(element.children);
    }
  };
  walk(new IntlMessageFormat(message, locale).getAst() as Element[]);
  return names;
}

/**
 * What is wrong with the catalogues of `locales`, one line each: a key the source catalogue (en) has
 * and another lacks, or the reverse, a message that is not valid ICU, or one whose arguments differ
 * from the source's (a translation that drops `{email}` would hide the address). Both processes
 * refuse to start on any, and CI fails (test/unit/i18n-catalogues.spec.ts).
 */
export function catalogueProblems(locales: readonly Locale[] = LOCALES, dir = CATALOGUE_DIR): string[] {
  const source = flatten(readCatalogue(SOURCE_LOCALE, dir));
  const problems: string[] = [];
  for (const locale of locales) {
    let catalogue: FlatCatalogue;
    try {
      catalogue = flatten(readCatalogue(locale, dir));
    } catch (error) {
      problems.push(`catalogue "${locale}" cannot be read: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    for (const key of Object.keys(source)) if (!(key in catalogue)) problems.push(`catalogue "${locale}" lacks the key "${key}"`);
    for (const [key, message] of Object.entries(catalogue)) {
      if (!(key in source)) {
        problems.push(`catalogue "${locale}" has the key "${key}", which "${SOURCE_LOCALE}" does not`);
        continue;
      }
      try {
        const want = [...argumentsOf(source[key], SOURCE_LOCALE)].sort().join(', ');
        const got = [...argumentsOf(message, locale)].sort().join(', ');
        if (want !== got) problems.push(`catalogue "${locale}": "${key}" takes {${got}}, but "${SOURCE_LOCALE}" takes {${want}}`);
      } catch (error) {
        problems.push(`catalogue "${locale}": "${key}" is not a valid ICU message: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  }
  return problems;
}
