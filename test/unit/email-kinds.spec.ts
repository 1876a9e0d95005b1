import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { defineEmail } from '../../src/mail/email-kind.js';
import { EMAIL_KINDS } from '../../src/mail/email-kinds.js';
import { emailKindProblems } from '../../src/mail/email-templates.js';
import { MailRenderer } from '../../src/mail/mail-renderer.service.js';
import type { EmailOf } from '../../src/mail/mail.service.js';
import { AccountExistsEmail } from '../../src/users/emails/account-exists.email.js';
import { ConfirmationEmail } from '../../src/users/emails/confirmation.email.js';

/** A folder with the given template files, each holding its own name. */
function templateDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kinds-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const kindIn = (dir: string, name = 'welcome') =>
  defineEmail<{ plan: string }>()({ name, templateDir: dir, variables: ({ payload }) => ({ plan: payload.plan }) });

describe('the registry of email kinds', () => {
  it('has every registered kind complete: templates present and compiling, names unique', () => {
    expect(emailKindProblems(EMAIL_KINDS)).toEqual([]);
    expect(() => new MailRenderer(loadConfig({ NODE_ENV: 'test' }))).not.toThrow();
  });

  it('names a kind whose template is missing, one line per problem', () => {
    const dir = templateDir({ 'welcome.subject.hbs': 'Hi', 'welcome.text.hbs': 'Plan {{plan}}' });
    expect(emailKindProblems([kindIn(dir)])).toEqual([`email kind "welcome" has no html template (${join(dir, 'welcome.html.hbs')})`]);
  });

  it('names a kind whose template does not compile, and a name declared twice', () => {
    const dir = templateDir({ 'welcome.subject.hbs': 'Hi', 'welcome.text.hbs': '{{#if plan}}open', 'welcome.html.hbs': '<p>{{plan}}</p>' });
    const problems = emailKindProblems([kindIn(dir), kindIn(dir)]);
    expect(problems[0]).toMatch(/^email kind "welcome": text template does not compile: /);
    expect(problems).toContain('email kind "welcome" is declared twice');
  });

  it('refuses a name that cannot be a job name or a metric label', () => {
    const dir = templateDir({ 'Bad Name.subject.hbs': 'x', 'Bad Name.text.hbs': 'x', 'Bad Name.html.hbs': 'x' });
    expect(emailKindProblems([kindIn(dir, 'Bad Name')])).toEqual([
      'email kind "Bad Name" needs a name of 1-32 lower-case letters, digits and dashes',
    ]);
  });

  it('types the payload from the enqueue call to the template variables', () => {
    const dir = templateDir({});
    const _welcome = kindIn(dir);
    type Variables = Parameters<typeof _welcome.variables>[0];
    expectTypeOf<Variables['payload']>().toEqualTypeOf<{ plan: string }>();
    // Kinds without a payload take none; a kind with a token gets it in its variables, typed.
    expectTypeOf<EmailOf<typeof AccountExistsEmail>['payload']>().toEqualTypeOf<Record<never, never> | undefined>();
    expectTypeOf<Parameters<typeof ConfirmationEmail.variables>[0]['token']['value']>().toBeString();
    // @ts-expect-error a kind without a token has no token in its variables
    expectTypeOf<Parameters<typeof _welcome.variables>[0]['token']>().toBeObject();
  });
});
