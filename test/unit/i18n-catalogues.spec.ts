import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_DIR, catalogueProblems, flatten, readCatalogue } from '../../src/i18n/catalogues.js';
import { LOCALES } from '../../src/i18n/locales.js';
import { Translator } from '../../src/i18n/translator.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');

/** Every .ts and .hbs file under src/, as text. */
function sources(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|hbs)$/.test(name) ? [readFileSync(path, 'utf8')] : [];
  });
}

const KEYS = Object.keys(flatten(readCatalogue('en')));
const AREAS = [...new Set(KEYS.map((key) => key.split('.')[0]))];
// A quoted string that looks like a message key: starts with one of the catalogue's areas.
const KEY_LITERAL = new RegExp(`["'\`]((?:${AREAS.join('|')})\\.[A-Za-z0-9_.]+)["'\`]`, 'g');

describe('the message catalogues', () => {
  it('give every locale every key of the English one, and no other, each a valid ICU message with the same arguments', () => {
    expect(catalogueProblems(LOCALES)).toEqual([]);
  });

  it('hold no key that no code or template uses (a key is written out in full where it is used)', () => {
    const text = sources().join('\n');
    const unused = KEYS.filter((key) => !text.includes(`"${key}"`) && !text.includes(`'${key}'`));
    expect(unused).toEqual([]);
  });

  it('have every key that code and templates name', () => {
    const named = new Set(sources().flatMap((text) => [...text.matchAll(KEY_LITERAL)].map((m) => m[1])));
    // Not message keys: file names, and webhook event types that share the "email" area's name.
    const notKeys = /\.(hbs|ts|js|json)$|^email\.(failed|suppressed)$/;
    const missing = [...named].filter((key) => !KEYS.includes(key) && !notKeys.test(key));
    expect(missing).toEqual([]);
  });

  it('fail the check when a locale lacks a key, naming it, and the translator refuses to render the key instead', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogues-'));
    cpSync(CATALOGUE_DIR, dir, { recursive: true });
    const de = readCatalogue('de', dir) as { home: Record<string, string> };
    delete de.home.register;
    writeFileSync(join(dir, 'de.json'), JSON.stringify(de));
    expect(catalogueProblems(['en', 'de'], dir)).toEqual(['catalogue "de" lacks the key "home.register"']);

    expect(() => new Translator(['en']).t('en', 'home.nope')).toThrow(/no message "home.nope"/);
  });

  it('catch a translation whose arguments differ from the English one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogues-'));
    cpSync(CATALOGUE_DIR, dir, { recursive: true });
    const fr = readCatalogue('fr', dir) as { flash: Record<string, string> };
    fr.flash.codeSent = 'Un code est en route.';
    writeFileSync(join(dir, 'fr.json'), JSON.stringify(fr));
    expect(catalogueProblems(['fr'], dir)).toEqual(['catalogue "fr": "flash.codeSent" takes {}, but "en" takes {email}']);
  });
});

describe('the translator', () => {
  const t = new Translator(LOCALES);

  it('fills in arguments and plurals in each language', () => {
    expect(t.t('de', 'flash.codeSent', { email: 'ada@example.com' })).toBe(
      'Ein Anmeldecode ist unterwegs an ada@example.com. Er gilt 10 Minuten.',
    );
    expect(t.duration('en', 86400)).toBe('24 hours');
    expect(t.duration('en', 5400)).toBe('1 hour 30 minutes');
    expect(t.duration('de', 3600)).toBe('1 Stunde');
    expect(t.duration('de', 172800)).toBe('2 Tage');
    expect(t.duration('fr', 7200)).toBe('2 heures');
    expect(t.duration('es', 600)).toBe('10 minutos');
    expect(t.duration('ar', 3600)).toBe('ساعة واحدة');
    expect(t.duration('ar', 7200)).toBe('ساعتان');
  });

  it('writes dates in the reader language with the time zone named', () => {
    const at = new Date('2026-12-04T13:05:00Z');
    expect(t.dateTime('en', at)).toBe('Dec 4, 2026, 01:05 PM UTC');
    expect(t.dateTime('de', at)).toBe('4. Dez. 2026, 13:05 UTC');
    expect(t.dateTime('fr', at)).toBe('4 déc. 2026, 13:05 UTC');
    expect(t.dateTime('de', at, 'Europe/Berlin')).toBe('4. Dez. 2026, 14:05 MEZ');
  });
});
