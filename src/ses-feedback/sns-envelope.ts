import { SnsRejection } from './ses-feedback.errors.js';

export const SNS_TYPES = ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'] as const;
export type SnsType = (typeof SNS_TYPES)[number];

/** An SNS HTTP(S) message as posted (or as put into SQS without raw message delivery). */
export interface SnsEnvelope {
  Type: SnsType;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
  UnsubscribeURL?: string;
}

const REQUIRED = ['MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL'] as const;
const OPTIONAL = ['Subject', 'SubscribeURL', 'Token', 'UnsubscribeURL'] as const;

/** Parses a body (a string, or what a JSON parser made of it) into an envelope; throws a 4xx SnsRejection. */
export function parseEnvelope(body: unknown): SnsEnvelope {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      throw new SnsRejection('malformed', 'The body is not valid JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SnsRejection('malformed', 'The body must be a JSON object');
  const raw = value as Record<string, unknown>;
  if (typeof raw.Type !== 'string') throw new SnsRejection('malformed', 'The message has no Type');
  if (!(SNS_TYPES as readonly string[]).includes(raw.Type))
    throw new SnsRejection('unknown-type', `Unknown SNS message type "${raw.Type.slice(0, 40)}"`);
  for (const key of REQUIRED) {
    if (typeof raw[key] !== 'string' || raw[key] === '') throw new SnsRejection('malformed', `The message has no ${key}`);
  }
  for (const key of OPTIONAL) {
    if (raw[key] !== undefined && raw[key] !== null && typeof raw[key] !== 'string')
      throw new SnsRejection('malformed', `${key} must be a string`);
  }
  if (raw.Type !== 'Notification' && (typeof raw.SubscribeURL !== 'string' || typeof raw.Token !== 'string')) {
    throw new SnsRejection('malformed', `A ${raw.Type} needs SubscribeURL and Token`);
  }
  if ((raw.MessageId as string).length > 200) throw new SnsRejection('malformed', 'MessageId is too long');
  return raw as unknown as SnsEnvelope;
}

/** An SNS envelope delivered through SQS (no raw message delivery): a Notification with TopicArn and Message. */
export function looksLikeEnvelope(value: unknown): value is Pick<SnsEnvelope, 'Type' | 'MessageId' | 'Message' | 'TopicArn'> {
  const v = value as Record<string, unknown> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.Type === 'string' &&
    typeof v.MessageId === 'string' &&
    typeof v.Message === 'string' &&
    typeof v.TopicArn === 'string'
  );
}
