import { DomainError } from '../common/domain-error.js';

const STATUS = {
  'not-configured': 404,
  malformed: 400,
  'unknown-type': 400,
  stale: 400,
  'topic-not-allowed': 403,
  'certificate-url-not-allowed': 403,
  'subscribe-url-not-allowed': 403,
  'bad-signature': 403,
  'certificate-unavailable': 503,
  'subscription-not-confirmed': 502,
} as const satisfies Record<string, number>;

export type SnsRejectionCode = keyof typeof STATUS;

/** Why POST /webhooks/ses refused a message. Bad input is always a 4xx; only AWS being unreachable is a 5xx (SNS retries those). */
export class SnsRejection extends DomainError<SnsRejectionCode> {
  constructor(code: SnsRejectionCode, message: string) {
    super(code, STATUS[code], message);
  }
}
