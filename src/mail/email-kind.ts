import type { Environment } from '../config/environment.js';
import type { TokenPurpose } from '../tokens/token-purposes.js';
import type { IssuedToken } from '../tokens/tokens.service.js';

/** Emails of one bucket to one user: at most `perDay` a day, the wait between two doubling each time. */
export interface CooldownSpec {
  /** Kinds that share a bucket share its budget (a sign-up link and a requested new link, say). */
  bucket: string;
  /** The least wait after the first email of the day; it doubles after each further one. */
  seconds: (env: Environment) => number;
  perDay: (env: Environment) => number;
}

/** What a kind's template variables are made from. `token` is there exactly when the kind declares one. */
export type TemplateInput<Payload, Purpose> = {
  payload: Payload;
  env: Environment;
  /** APP_URL without a trailing slash. */
  appUrl: string;
} & (Purpose extends TokenPurpose ? { token: IssuedToken } : unknown);

/** Domain events the worker emits (with a MailSentEvent / MailFailedEvent) once this kind of email settles. */
export interface EmailKindEvents {
  sent?: string;
  failed?: string;
}

export interface EmailKind<Name extends string = string, Payload extends object = object, Purpose = TokenPurpose | undefined> {
  /** Also the job name and the `kind` label in metrics. At most 32 characters. */
  name: Name;
  /** Where `<name>.subject.hbs`, `<name>.text.hbs` and `<name>.html.hbs` are: the kind file's `import.meta.dirname`. */
  templateDir: string;
  /** The purpose of the token the worker issues for each email of this kind, as it is sent. */
  token?: Purpose;
  /** What the issued token is about, from the payload (an email change's new address); stored with the token. */
  tokenSubject?: (payload: Payload) => string;
  cooldown?: CooldownSpec;
  events?: EmailKindEvents;
  /** The payload a preview and the start-up check render this kind with; kinds without a payload need none. */
  sample?: Payload;
  variables: (input: TemplateInput<Payload, Purpose>) => Record<string, unknown>;
}

/**
 * Declares a kind of email. Payload is what the caller stores with the email (ids and addresses,
 * never a secret); it is typed from the enqueue call to the template variables:
 * `defineEmail<{ newEmail: string }>()({ name: 'email-change', ... })`.
 */
export const defineEmail =
  <Payload extends object = Record<never, never>>() =>
  <const Name extends string, const Purpose extends TokenPurpose | undefined = undefined>(
    kind: EmailKind<Name, Payload, Purpose>,
  ): EmailKind<Name, Payload, Purpose> =>
    kind;

export type PayloadOf<K> = K extends EmailKind<string, infer Payload, infer _> ? Payload : never;
