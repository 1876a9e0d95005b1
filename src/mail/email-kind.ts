import type { Environment } from '../config/environment.js';
import type { Fact, FactClass } from '../database/fact.js';
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

/** Facts an email can answer say whom they are about. */
export type UserFact = Fact<{ userId: string; email: string }>;

export interface Recipient {
  userId: string;
  address: string;
  /** The recipient's language when no user row will tell it at send time (a kind that `outlivesUser`). */
  locale?: string;
}

/** What a kind's template variables are made from. `token` and `link` are there exactly when the kind declares a token. */
export type TemplateInput<Payload, Purpose> = {
  payload: Payload;
  env: Environment;
  /** APP_URL without a trailing slash. */
  appUrl: string;
} & (Purpose extends TokenPurpose ? { token: IssuedToken; link: string } : unknown);

type PayloadMapping<F, Payload> =
  Record<never, never> extends Payload
    ? { payload?: (fact: F) => Payload }
    : { payload: (fact: F) => Payload; /** What a preview and the start-up check render it with. */ sample: Payload };

type TokenLink<Purpose> = Purpose extends TokenPurpose
  ? {
      token: Purpose;
      /**
       * Where the token goes in the emailed link, after APP_URL: `/confirm/:token`, `/sign-in?code=:token`.
       * Log lines redact that path segment or query key (derived from every kind at start-up).
       */
      link: `/${string}:token${string}`;
    }
  : { token?: undefined; link?: undefined };

/**
 * A kind of email: declared once, beside the module that owns it, and registered in that module's
 * list of emails (`<module>.emails.ts`). It answers facts: when one is recorded, the email goes to
 * the outbox in the same transaction.
 */
export type EmailKind<Name extends string = string, F extends UserFact = UserFact, Payload = object, Purpose = TokenPurpose | undefined> = {
  /** Also the job name and the `kind` label in metrics. At most 32 characters. */
  name: Name;
  /** Where `<name>.subject.hbs`, `<name>.text.hbs` and `<name>.html.hbs` are: the kind file's `import.meta.dirname`. */
  templateDir: string;
  /** The fact, or facts, it answers. */
  on: FactClass<F> | ReadonlyArray<FactClass<F>>;
  /** Whom it goes to; by default the fact's user at the fact's `email`. */
  to?: (fact: F) => Recipient;
  /** Only the facts for which this holds get the email (by default every one). */
  when?: (fact: F) => boolean;
  /**
   * Sent after its user row is gone (the notice of a deletion, recorded with it): the outbox row
   * keeps the user's id without referring to the row, and the language from `to`'s `locale`. Such a
   * kind can have no token and no cooldown (both hang off the user row).
   */
  outlivesUser?: true;
  /** The facts on which it goes to an address never written to before: counted by NEW_ADDRESS_EMAILS_PER_MINUTE. */
  firstContact?: ReadonlyArray<FactClass<F>>;
  /** Sent only when an email of that kind was sent for the same fact (and so only within that kind's cooldown). */
  follows?: { name: string };
  /** What the issued token is about, from the payload (an email change's new address); stored with the token. */
  tokenSubject?: (payload: Payload) => string;
  cooldown?: CooldownSpec;
  variables: (input: TemplateInput<Payload, Purpose>) => Record<string, unknown>;
} & PayloadMapping<F, Payload> &
  TokenLink<Purpose>;

/**
 * Declares a kind of email. `Payload` is what the outbox stores for the worker to render it with
 * (ids and addresses, never a secret: a token is issued by the worker as it sends), typed from the
 * fact to the template variables: `defineEmail<{ newEmail: string }>()({ name: 'email-change', ... })`.
 */
export const defineEmail =
  <Payload extends object = Record<never, never>>() =>
  <const Name extends string, F extends UserFact, const Purpose extends TokenPurpose | undefined = undefined>(
    kind: EmailKind<Name, F, Payload, Purpose>,
  ): EmailKind<Name, F, Payload, Purpose> =>
    kind;

/** A kind with its fact, payload and token types erased, for code that handles every kind alike. */
/* eslint-disable @typescript-eslint/no-explicit-any -- each kind's types are its own */
export interface AnyEmailKind {
  name: string;
  templateDir: string;
  on: FactClass<any> | ReadonlyArray<FactClass<any>>;
  to?: (fact: any) => Recipient;
  when?: (fact: any) => boolean;
  outlivesUser?: true;
  payload?: (fact: any) => object;
  sample?: object;
  firstContact?: ReadonlyArray<FactClass<any>>;
  follows?: { name: string };
  token?: TokenPurpose;
  link?: string;
  tokenSubject?: (payload: any) => string;
  cooldown?: CooldownSpec;
  variables: (input: any) => Record<string, unknown>;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export const factsOf = (kind: AnyEmailKind): readonly FactClass[] => (Array.isArray(kind.on) ? kind.on : [kind.on]) as FactClass[];
