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
    expect(() => new MailRenderer(loadConfig({}))).not.toThrow();
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

  describe('rendering each kind once with its sample data, strictly', () => {
    const sampleKind = (dir: string) => defineEmail<{ plan: string }>()({ ...kindIn(dir), sample: { plan: 'pro' } });
    const withHtml = (html: string) =>
      templateDir({ 'welcome.subject.hbs': 'Hi', 'welcome.text.hbs': 'Plan {{plan}}', 'welcome.html.hbs': html });

    it('passes every registered kind, and a fixture kind that uses the layout', () => {
      expect(emailKindProblems(EMAIL_KINDS, loadConfig({ SUPPORT_EMAIL: 'help@example.org' }))).toEqual([]);
      expect(emailKindProblems([sampleKind(withHtml('{{#> email-layout heading="Welcome"}}Plan {{plan}}{{/email-layout}}'))])).toEqual([]);
    });

    it('names the kind whose template misspells a variable, with the part and the place', () => {
      const problems = emailKindProblems([sampleKind(withHtml('<p>Plan {{plna}}</p>'))]);
      expect(problems).toEqual(['email kind "welcome" does not render its sample data: html template: "plna" not defined - 1:10']);
    });

    it("names a kind that misspells a helper's argument (strict mode alone would take it as false)", () => {
      const problems = emailKindProblems([sampleKind(withHtml('{{#if plna}}<p>Plan</p>{{/if}}'))]);
      expect(problems).toEqual([
        expect.stringMatching(/^email kind "welcome" does not render its sample data: html template: "plna" not defined/),
      ]);
    });

    it("names a kind that misspells a partial's argument (strict mode alone would render an empty link)", () => {
      const problems = emailKindProblems([sampleKind(withHtml('{{> button url=plna label="Go"}}'))]);
      expect(problems).toEqual([
        expect.stringMatching(/^email kind "welcome" does not render its sample data: html template: "plna" not defined/),
      ]);
    });

    it('renders with and without a support address, so a branch for either is checked', () => {
      const onlyWithSupport = sampleKind(withHtml('{{#if supportEmail}}{{supportEmial}}{{/if}}'));
      const onlyWithout = sampleKind(withHtml('{{#unless supportEmail}}{{nobdy}}{{/unless}}'));
      expect(emailKindProblems([onlyWithSupport])).toEqual([expect.stringMatching(/"supportEmial" not defined/)]);
      expect(emailKindProblems([onlyWithout], loadConfig({ SUPPORT_EMAIL: 'help@example.org' }))).toEqual([
        expect.stringMatching(/"nobdy" not defined/),
      ]);
    });

    it('names a kind with a payload but no sample: its variables come out undefined, which counts as missing', () => {
      const problems = emailKindProblems([kindIn(withHtml('<p>Plan {{plan}}</p>'))]);
      expect(problems).toEqual([
        expect.stringMatching(/^email kind "welcome" does not render its sample data: text template: "plan" not defined/),
      ]);
    });
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
