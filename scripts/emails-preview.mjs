// `npm run emails:preview [-- folder]`: every kind of email, rendered from dist/ with its sample data
// as the worker renders it, written to a folder (default .data/email-preview/) for a person to open:
// <kind>.html, <kind>.txt, <kind>.subject.txt (in the first of SUPPORTED_LOCALES; <kind>.<locale>.html
// and .txt in each other one) and an index.html. Then the median render time per email, and per language.
// Settings come from .env and the environment, like the processes'; SUPPORT_EMAIL defaults to a sample
// address so that the support line shows (set it empty to see the emails without one).
import 'reflect-metadata';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EMAIL_KINDS, loadAppConfigOrExit } from '../dist/app.registry.js';
import { EmailKindRegistry } from '../dist/mail/email-kinds.js';
import { MailRenderer } from '../dist/mail/mail-renderer.service.js';
import { SAMPLE_SUPPORT_EMAIL, sampleInput } from '../dist/mail/templates/sample-input.js';

const WARM_UP_RENDERS = 200;
const TIMED_RENDERS = 2000;

if (existsSync('.env')) process.loadEnvFile('.env');
// A developer's tool, like `npm run dev`: the development settings are fine here (no secret is used).
process.env.NODE_ENV ??= 'development';
process.env.SUPPORT_EMAIL ??= SAMPLE_SUPPORT_EMAIL;
const env = loadAppConfigOrExit();
const renderer = new MailRenderer(env, new EmailKindRegistry(EMAIL_KINDS, env));
const folder = resolve(process.argv[2] ?? '.data/email-preview');
mkdirSync(folder, { recursive: true });

const escape = (text) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const index = [];
const allTimings = [];
const kindTimings = [];
for (const kind of EMAIL_KINDS) {
  const input = sampleInput(kind, env);
  const email = renderer.render(kind, input);
  writeFileSync(join(folder, `${kind.name}.subject.txt`), `${email.subject}\n`);
  writeFileSync(join(folder, `${kind.name}.html`), email.html);
  writeFileSync(join(folder, `${kind.name}.txt`), email.text);
  index.push(`<li><a href="${kind.name}.html">${kind.name}</a> (<a href="${kind.name}.txt">text</a>): ${escape(email.subject)}</li>`);

  for (let i = 0; i < WARM_UP_RENDERS; i++) renderer.render(kind, input);
  const timings = [];
  for (let i = 0; i < TIMED_RENDERS; i++) {
    const start = performance.now();
    renderer.render(kind, input);
    timings.push(performance.now() - start);
  }
  allTimings.push(...timings);
  kindTimings.push([kind.name, median(timings)]);
}

// Every kind in each language: the files to look at, and what a language costs to render.
const localeTimings = [];
for (const locale of env.SUPPORTED_LOCALES) {
  const timings = [];
  for (const kind of EMAIL_KINDS) {
    const input = sampleInput(kind, env);
    const email = renderer.render(kind, input, locale);
    if (locale !== env.SUPPORTED_LOCALES[0]) {
      writeFileSync(join(folder, `${kind.name}.${locale}.html`), email.html);
      writeFileSync(join(folder, `${kind.name}.${locale}.txt`), `${email.subject}\n\n${email.text}`);
      index.push(`<li lang="${locale}"><a href="${kind.name}.${locale}.html">${kind.name} (${locale})</a>: ${escape(email.subject)}</li>`);
    }
    for (let i = 0; i < WARM_UP_RENDERS / 4; i++) renderer.render(kind, input, locale);
    for (let i = 0; i < TIMED_RENDERS / 4; i++) {
      const start = performance.now();
      renderer.render(kind, input, locale);
      timings.push(performance.now() - start);
    }
  }
  localeTimings.push([locale, median(timings)]);
}
writeFileSync(
  join(folder, 'index.html'),
  `<!doctype html>\n<meta charset="utf-8">\n<title>Email preview</title>\n<ul>\n${index.join('\n')}\n</ul>\n`,
);

const ms = (value) => `${value.toFixed(3)} ms`;
console.log(`Wrote ${EMAIL_KINDS.length} kinds of email (subject, HTML, text) and index.html to ${folder}`);
console.log(`Median render time per email (subject, text and HTML; ${TIMED_RENDERS} renders of each kind):`);
for (const [name, value] of kindTimings) console.log(`  ${name.padEnd(24)} ${ms(value)}`);
console.log(`  ${'all kinds'.padEnd(24)} ${ms(median(allTimings))}`);
console.log(`Median render time per email by language (every kind, ${TIMED_RENDERS / 4} renders of each):`);
for (const [locale, value] of localeTimings) console.log(`  ${locale.padEnd(24)} ${ms(value)}`);
