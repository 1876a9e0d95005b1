import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/app.registry.js';
import { EMAIL_KINDS } from '../../src/app.registry.js';
import { EmailKindRegistry } from '../../src/mail/email-kinds.js';
import { MailRenderer } from '../../src/mail/mail-renderer.service.js';
import { EMAIL_THEME, TEXT_ON_BACKGROUND } from '../../src/mail/templates/email-theme.js';
import { sampleInput } from '../../src/mail/templates/sample-input.js';

const ENV = loadAppConfig({ NODE_ENV: 'test' });

/** WCAG 2.x relative luminance of a `#rrggbb` colour. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [lighter, darker] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (lighter + 0.05) / (darker + 0.05);
}

const AA_TEXT = 4.5;

describe('WCAG contrast', () => {
  it('matches the reference values', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2); // the classic grey just below AA
    expect(contrast('#7b8794', '#f4f5f7')).toBeLessThan(AA_TEXT); // the footer before the shared layout
  });
});

describe('the email theme', () => {
  it.each(TEXT_ON_BACKGROUND.map(({ text, background }) => [text, background]))('%s on %s reaches 4.5:1', (text, background) => {
    expect(contrast(EMAIL_THEME[text], EMAIL_THEME[background])).toBeGreaterThanOrEqual(AA_TEXT);
  });

  describe('is where every colour of the rendered emails comes from', () => {
    const env = loadAppConfig({ NODE_ENV: 'test', SUPPORT_EMAIL: 'help@example.org' });
    const mail = new MailRenderer(env, new EmailKindRegistry(EMAIL_KINDS, ENV));
    const htmlOf = EMAIL_KINDS.map((kind) => [kind.name, mail.render(kind, sampleInput(kind, env)).html] as const);
    const themeColours = Object.values(EMAIL_THEME).filter((value) => value.startsWith('#'));
    const checkedTextColours = TEXT_ON_BACKGROUND.map(({ text }) => EMAIL_THEME[text]);

    it.each(htmlOf)('%s: no colour outside the theme, and every text colour in a checked pair', (_, html) => {
      for (const [colour] of html.matchAll(/#[0-9a-f]{3,8}\b/gi)) expect(themeColours).toContain(colour);
      const textColours = [...html.matchAll(/(?<![-\w])color:\s*(#[0-9a-f]{3,8})/gi)].map(([, colour]) => colour);
      expect(textColours.length).toBeGreaterThan(0);
      for (const colour of textColours) expect(checkedTextColours).toContain(colour);
    });

    it('sets the footer text colour on the footer cell, not only on <body>', () => {
      for (const [, html] of htmlOf) expect(html).toMatch(new RegExp(`<td[^>]*font-family:[^>]*color:${EMAIL_THEME.footerText}`));
    });
  });
});
