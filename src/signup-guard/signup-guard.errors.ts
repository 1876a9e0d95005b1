import { DomainError } from '../common/domain-error.js';
import { words, type Words } from '../common/words.js';

export type SignupGuardErrorCode =
  'challenge_failed' | 'challenge_unavailable' | 'disposable_domain' | 'blocked_domain' | 'domain_cannot_receive_mail';

const STATUS = {
  challenge_failed: 400,
  challenge_unavailable: 503,
  disposable_domain: 400,
  blocked_domain: 400,
  domain_cannot_receive_mail: 400,
} as const satisfies Record<SignupGuardErrorCode, number>;

/** Which field of a form the refusal belongs next to. */
export type RefusedField = 'email' | 'challenge';

const FIELD = {
  challenge_failed: 'challenge',
  challenge_unavailable: 'challenge',
  disposable_domain: 'email',
  blocked_domain: 'email',
  domain_cannot_receive_mail: 'email',
} as const satisfies Record<SignupGuardErrorCode, RefusedField>;

/** What a page says beside the field, in the reader's language (the API's `message` stays English). */
const PAGE_WORDS = {
  challenge_failed: 'guard.challengeFailed',
  challenge_unavailable: 'guard.challengeUnavailable',
  disposable_domain: 'guard.disposable',
  blocked_domain: 'guard.blocked',
  domain_cannot_receive_mail: 'guard.noMail',
} as const satisfies Record<SignupGuardErrorCode, string>;

/** A request to email an address, refused before anything was done; `message` is English and says why. */
export class SignupGuardError extends DomainError<SignupGuardErrorCode> {
  readonly field: RefusedField;
  readonly words: Words;

  constructor(code: SignupGuardErrorCode, message: string, domain?: string) {
    super(code, STATUS[code], message, code === 'challenge_unavailable' ? { 'Retry-After': '5' } : {});
    this.field = FIELD[code];
    this.words = words(PAGE_WORDS[code], domain === undefined ? undefined : { domain });
  }
}

export const disposableDomain = (domain: string) =>
  new SignupGuardError('disposable_domain', `Addresses at ${domain} are disposable; please use a permanent one`, domain);

export const blockedDomain = (domain: string) =>
  new SignupGuardError('blocked_domain', `Addresses at ${domain} are not accepted here; please use another one`, domain);

export const cannotReceiveMail = (domain: string) =>
  new SignupGuardError('domain_cannot_receive_mail', `${domain} does not receive email`, domain);

/** Why a challenge solution was refused, said so that an API client knows what to fix. */
export const CHALLENGE_FAILURES = {
  missing: 'The anti-bot challenge is missing: solve the challenge from GET /api/challenge and send the solution in the `altcha` field',
  malformed: 'The anti-bot challenge solution is malformed: send the base64 payload the ALTCHA widget produces',
  expired: 'The anti-bot challenge has expired: fetch a new one from GET /api/challenge and solve it',
  bad_signature: 'The anti-bot challenge has a bad signature: it was not issued by this service or was altered',
  wrong: 'The anti-bot challenge solution is wrong: solve the challenge again',
  used: 'The anti-bot challenge solution was already used: fetch a new challenge from GET /api/challenge and solve it',
} as const;

export const CAPTCHA_FAILURES = {
  missing: "The anti-bot check is missing: send the widget's token in the `captcha` field",
  malformed: 'The anti-bot check token is malformed',
  wrong: 'The anti-bot check failed or its token was already used: complete the check again',
  unavailable: 'The anti-bot check could not be verified right now; nothing was done. Please try again in a moment',
} as const;
