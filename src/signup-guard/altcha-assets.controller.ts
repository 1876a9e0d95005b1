import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Registers the PBKDF2 worker that this service serves (the widget's "external" build has no
 * workers of its own, so nothing runs from a blob: URL and the CSP stays 'self'), and holds a
 * submit until the proof of work is done instead of sending the form without it.
 */
const SETUP = `globalThis.$altcha.algorithms.set('PBKDF2/SHA-256', () => new Worker('/altcha/pbkdf2.js'));
for (const widget of document.querySelectorAll('altcha-widget')) {
  const form = widget.closest('form');
  form?.addEventListener('submit', (event) => {
    const state = widget.getState?.();
    if (state !== 'unverified' && state !== 'verifying') return;
    event.preventDefault();
    widget.addEventListener('verified', () => form.requestSubmit(event.submitter), { once: true });
    if (state === 'unverified') widget.verify();
  });
}
`;

const dist = dirname(dirname(createRequire(import.meta.url).resolve('altcha/external')));
const JS = 'text/javascript; charset=utf-8';

/** The widget's own words in each page language, from its own catalogues (it picks them by `<html lang>`). */
const WIDGET_LANGUAGES: Record<string, string> = { en: 'en', de: 'de', fr: 'fr-fr', es: 'es-es', ar: 'ar' };

/** The ALTCHA widget, served by this service from node_modules: no third-party request. */
const ASSETS: Record<string, { type: string; body: string }> = {
  'altcha.js': { type: JS, body: readFileSync(join(dist, 'external', 'altcha.min.js'), 'utf8') },
  'altcha.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(dist, 'external', 'altcha.css'), 'utf8') },
  'pbkdf2.js': { type: JS, body: readFileSync(join(dist, 'workers', 'pbkdf2.js'), 'utf8') },
  'setup.js': { type: JS, body: SETUP },
  ...Object.fromEntries(
    Object.entries(WIDGET_LANGUAGES).map(([locale, file]) => [
      `i18n-${locale}.js`,
      { type: JS, body: readFileSync(join(dist, 'i18n', `${file}.js`), 'utf8') },
    ]),
  ),
};

@ApiExcludeController()
@Controller('altcha')
export class AltchaAssetsController {
  @Get(':file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset) throw new NotFoundException();
    void reply.type(asset.type).header('Cache-Control', 'public, max-age=3600').send(asset.body);
  }
}
