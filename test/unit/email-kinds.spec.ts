import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { EmailChangeRequested } from '../../src/accounts/accounts.facts.js';
import { EmailChangeEmail } from '../../src/accounts/emails/email-change.email.js';
import { EMAIL_KINDS } from '../../src/app.registry.js';
import { loadAppConfig } from '../../src/app.registry.js';
import { Fact } from '../../src/database/fact.js';
import { defineEmail } from '../../src/mail/email-kind.js';
import { EmailKindRegistry } from '../../src/mail/email-kinds.js';
import { emailKindProblems } from '../../src/mail/email-templates.js';
import { MailRenderer } from '../../src/mail/mail-renderer.service.js';
import { ConfirmationEmail } from '../../src/users/emails/confirmation.email.js';
import { UserConfirmed, UserRegistered } from '../../src/users/users.facts.js';

const ENV = loadAppConfig({ NODE_ENV: 'test' });

/** A folder with the given template files, each holding its own name. */
function templateDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kinds-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const COMPLETE = { 'welcome.subject.hbs': 'Hi', 'welcome.text.hbs': 'Plan {{plan}}', 'welcome.html.hbs': '<p>{{plan}}</p>' };

const kindIn = (dir: string, name = 'welcome') =>
  defineEmail<{ plan: string }>()({
    name,
    templateDir: dir,
    on: UserConfirmed,
    payload: () => ({ plan: 'basic' }),
    sample: { plan: 'basic' },
    variables: ({ payload }) => ({ plan: payload.plan }),
  });

describe('the registry of email kinds', () => {
  it('has every registered kind complete: templates present and compiling, names unique', () => {
    expect(emailKindProblems(EMAIL_KINDS, ENV)).toEqual([]);
    expect(() => new MailRenderer(ENV, new EmailKindRegistry(EMAIL_KINDS, ENV))).not.toThrow();
  });

  it('names a kind whose template is missing, one line per problem', () => {
    const dir = templateDir({ 'welcome.subject.hbs': 'Hi', 'welcome.text.hbs': 'Plan {{plan}}' });
    expect(emailKindProblems([kindIn(dir)], ENV)).toEqual([`email kind "welcome" has no html template (${join(dir, 'welcome.html.hbs')})`]);
  });

  it('names a kind whose template does not compile, and a name declared twice', () => {
    const dir = templateDir({ 'welcome.subject.hbs': 'Hi', 'welcome.text.hbs': '{{#if plan}}open', 'welcome.html.hbs': '<p>{{plan}}</p>' });
    const problems = emailKindProblems([kindIn(dir), kindIn(dir)], ENV);
    expect(problems[0]).toMatch(/^email kind "welcome": text template does not compile: /);
    expect(problems).toContain('email kind "welcome" is declared twice');
  });

  describe('rendering each kind once with its sample data, strictly', () => {
    const sampleKind = (dir: string) => defineEmail<{ plan: string }>()({ ...kindIn(dir), sample: { plan: 'pro' } });
    const withHtml = (html: string) =>
      templateDir({ 'welcome.subject.hbs': 'Hi', 'welcome.text.hbs': 'Plan {{plan}}', 'welcome.html.hbs': html });

    it('passes every registered kind, and a fixture kind that uses the layout', () => {
      expect(emailKindProblems(EMAIL_KINDS, loadAppConfig({ NODE_ENV: 'test', SUPPORT_EMAIL: 'help@example.org' }))).toEqual([]);
      expect(emailKindProblems([sampleKind(withHtml('{{#> email-layout heading="Welcome"}}Plan {{plan}}{{/email-layout}}'))], ENV)).toEqual(
        [],
      );
    });

    it('names the kind whose template misspells a variable, with the part and the place', () => {
      const problems = emailKindProblems([sampleKind(withHtml('<p>Plan {{plna}}</p>'))], ENV);
      expect(problems).toEqual(['email kind "welcome" does not render its sample data: html template: "plna" not defined - 1:10']);
    });

    it("names a kind that misspells a helper's argument (strict mode alone would take it as false)", () => {
      const problems = emailKindProblems([sampleKind(withHtml('{{#if plna}}<p>Plan</p>{{/if}}'))], ENV);
      expect(problems).toEqual([
        expect.stringMatching(/^email kind "welcome" does not render its sample data: html template: "plna" not defined/),
      ]);
    });

    it("names a kind that misspells a partial's argument (strict mode alone would render an empty link)", () => {
      const problems = emailKindProblems([sampleKind(withHtml('{{> button url=plna label="Go"}}'))], ENV);
      expect(problems).toEqual([
        expect.stringMatching(/^email kind "welcome" does not render its sample data: html template: "plna" not defined/),
      ]);
    });

    it('renders with and without a support address, so a branch for either is checked', () => {
      const onlyWithSupport = sampleKind(withHtml('{{#if supportEmail}}{{supportEmial}}{{/if}}'));
      const onlyWithout = sampleKind(withHtml('{{#unless supportEmail}}{{nobdy}}{{/unless}}'));
      expect(emailKindProblems([onlyWithSupport], ENV)).toEqual([expect.stringMatching(/"supportEmial" not defined/)]);
      expect(emailKindProblems([onlyWithout], loadAppConfig({ NODE_ENV: 'test', SUPPORT_EMAIL: 'help@example.org' }))).toEqual([
        expect.stringMatching(/"nobdy" not defined/),
      ]);
    });

    it('names a kind with a payload but no sample (the compiler asks for one): its variables come out undefined, which counts as missing', () => {
      const { sample: _, ...withoutSample } = kindIn(withHtml('<p>Plan {{plan}}</p>'));
      const problems = emailKindProblems([withoutSample], ENV);
      expect(problems).toEqual([
        expect.stringMatching(/^email kind "welcome" does not render its sample data: text template: "plan" not defined/),
      ]);
    });
  });

  it('refuses a name that cannot be a job name or a metric label', () => {
    const dir = templateDir({ 'Bad Name.subject.hbs': 'x', 'Bad Name.text.hbs': 'x', 'Bad Name.html.hbs': 'x' });
    expect(emailKindProblems([kindIn(dir, 'Bad Name')], ENV)).toEqual([
      'email kind "Bad Name" needs a name of 1-32 lower-case letters, digits and dashes',
    ]);
  });

  it('refuses to start with a kind that follows one not listed before it', () => {
    const dir = templateDir(COMPLETE);
    const follower = { ...kindIn(dir), follows: { name: 'nowhere' } };
    expect(() => new EmailKindRegistry([follower], ENV)).toThrow(/email kind "welcome" follows "nowhere", which must be listed before it/);
    expect(() => new EmailKindRegistry([kindIn(dir)], ENV)).not.toThrow();
  });

  it('types each kind from its fact to its template variables', () => {
    // The recipient and payload mappings get the fact the kind answers.
    expectTypeOf<Parameters<NonNullable<typeof EmailChangeEmail.to>>[0]>().toEqualTypeOf<EmailChangeRequested>();
    expectTypeOf<Parameters<typeof EmailChangeEmail.variables>[0]['payload']>().toEqualTypeOf<{ newEmail: string; sessionId: string }>();
    // A kind with a token gets it, and its link, in its variables.
    expectTypeOf<Parameters<typeof ConfirmationEmail.variables>[0]['link']>().toBeString();
    const dir = templateDir(COMPLETE);
    // @ts-expect-error a kind with a payload must say how it is made from the fact, and give a sample
    defineEmail<{ plan: string }>()({ name: 'welcome', templateDir: dir, on: UserConfirmed, variables: () => ({}) });
    // @ts-expect-error a fact that does not say whom it is about cannot be answered by an email
    defineEmail()({ name: 'welcome', templateDir: dir, on: class Anonymous extends Fact<{ count: number }> {}, variables: () => ({}) });
    // @ts-expect-error a kind without a token has no link in its variables
    defineEmail()({ name: 'welcome', templateDir: dir, on: UserRegistered, variables: ({ link }) => ({ link }) });
  });
});
