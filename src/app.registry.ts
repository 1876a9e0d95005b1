import { ACCOUNTS_EMAILS } from './accounts/accounts.emails.js';
import type { Environment } from './config/environment.js';
import { AdminSettings } from './admin/admin.settings.js';
import { loadConfig, loadConfigOrExit } from './config/load-config.js';
import { AccountsSettings } from './accounts/accounts.settings.js';
import { DatabaseSettings } from './database/database.settings.js';
import { HealthSettings } from './health/health.settings.js';
import { catalogueProblems } from './i18n/catalogues.js';
import { I18nSettings } from './i18n/i18n.settings.js';
import { MailSettings } from './mail/mail.settings.js';
import { PasswordsSettings } from './passwords/passwords.settings.js';
import { QueueSettings } from './queue/queue.settings.js';
import { RateLimitSettings } from './rate-limit/rate-limit.settings.js';
import { SesFeedbackSettings } from './ses-feedback/ses-feedback.settings.js';
import { SignupGuardSettings } from './signup-guard/signup-guard.settings.js';
import { TokensSettings } from './tokens/tokens.settings.js';
import { UsersSettings } from './users/users.settings.js';
import { WebhooksSettings } from './webhooks/webhooks.settings.js';
import type { FactClass } from './database/fact.js';
import type { AnyEmailKind } from './mail/email-kind.js';
import type { AnyWebhookEvent } from './webhooks/webhook-event.js';
import { emailKindRegistryProblems } from './mail/email-kinds.js';
import { webhookEventProblems } from './webhooks/webhook-events.js';
import { ACCOUNTS_FACTS } from './accounts/accounts.facts.js';
import { ACCOUNTS_WEBHOOKS } from './accounts/accounts.webhooks.js';
import { MAIL_FACTS } from './mail/mail.facts.js';
import { MAIL_WEBHOOKS } from './mail/mail.webhooks.js';
import { RETENTION_FACTS } from './retention/retention.facts.js';
import { SIGNUP_GUARD_FACTS } from './signup-guard/signup-guard.facts.js';
import { SES_FEEDBACK_FACTS } from './ses-feedback/ses-feedback.facts.js';
import { SES_FEEDBACK_WEBHOOKS } from './ses-feedback/ses-feedback.webhooks.js';
import { USERS_EMAILS } from './users/users.emails.js';
import { USERS_FACTS } from './users/users.facts.js';
import { USERS_WEBHOOKS } from './users/users.webhooks.js';
import { WEBHOOKS_FACTS } from './webhooks/webhooks.facts.js';

/**
 * What both processes know, one list per module: its facts, its kinds of email and its webhook
 * event types. Mail, Webhooks and the fact bus receive them from here (they import no feature);
 * each is checked at start-up.
 */
export const FACTS = [
  ...USERS_FACTS,
  ...ACCOUNTS_FACTS,
  ...MAIL_FACTS,
  ...SES_FEEDBACK_FACTS,
  ...WEBHOOKS_FACTS,
  ...RETENTION_FACTS,
  ...SIGNUP_GUARD_FACTS,
];
export const EMAIL_KINDS = [...USERS_EMAILS, ...ACCOUNTS_EMAILS];
export const WEBHOOK_EVENTS = [...USERS_WEBHOOKS, ...ACCOUNTS_WEBHOOKS, ...MAIL_WEBHOOKS, ...SES_FEEDBACK_WEBHOOKS];

/** Every module's settings class: each validates its own variables, merged into one Environment. */
export const SETTINGS = [
  I18nSettings,
  AdminSettings,
  DatabaseSettings,
  QueueSettings,
  TokensSettings,
  PasswordsSettings,
  RateLimitSettings,
  WebhooksSettings,
  MailSettings,
  UsersSettings,
  AccountsSettings,
  SesFeedbackSettings,
  HealthSettings,
  SignupGuardSettings,
];

/** The whole environment, validated (tests; the entry points use loadAppConfigOrExit). */
export const loadAppConfig = (env: NodeJS.ProcessEnv = process.env): Environment => loadConfig(env, SETTINGS);

/** For the entry points: the whole environment, or one line naming the variable and exit 1. */
export const loadAppConfigOrExit = (): Environment => loadConfigOrExit(SETTINGS);

/** The three lists, as AppModule and WorkerModule take them (a test may hand them a list with one more). */
export interface Registry {
  facts: readonly FactClass[];
  emails: readonly AnyEmailKind[];
  webhooks: readonly AnyWebhookEvent[];
}

export const REGISTRY: Registry = { facts: FACTS, emails: EMAIL_KINDS, webhooks: WEBHOOK_EVENTS };

/**
 * For the entry points, before Nest starts: what the registries would refuse (a template that does
 * not render, an unknown WEBHOOK_EVENTS entry) stops the process with one line naming it.
 */
export function checkRegistryOrExit(env: Environment): void {
  const [problem] = [
    ...catalogueProblems(env.SUPPORTED_LOCALES).map((p) => `Invalid message catalogues: ${p}`),
    ...webhookEventProblems(WEBHOOK_EVENTS, env),
    ...emailKindRegistryProblems(EMAIL_KINDS, env).map((p) => `Invalid email kinds: ${p}`),
  ];
  if (!problem) return;
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
