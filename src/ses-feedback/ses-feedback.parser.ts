/**
 * SES feedback in either family: identity notifications (`notificationType`) and configuration-set
 * event publishing (`eventType`), reduced to what this service acts on.
 */
export type SesFeedback =
  | {
      kind: 'bounce' | 'complaint';
      /** `Permanent/General`, `Transient/MailboxFull`, `Complaint/abuse`, ... */
      subtype: string;
      recipients: Array<{ email: string; diagnostic?: string }>;
      sesMessageId: string;
      /** SES's own id for this bounce or complaint (`bounce.feedbackId`), the same whichever way it came; null when absent. */
      feedbackId: string | null;
      /** When SES sent the original email (the reputation window is by send time). */
      mailSentAt: Date;
    }
  | { kind: 'other'; type: string };

export class FeedbackFormatError extends Error {}

/** SES types this service acknowledges without acting on them. */
const OTHER_TYPES = new Set([
  'Delivery',
  'Send',
  'Reject',
  'Open',
  'Click',
  'Rendering Failure',
  'DeliveryDelay',
  'Subscription',
  'Received',
  'AmazonSnsSubscriptionSucceeded',
]);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const label = (value: unknown, fallback: string) =>
  typeof value === 'string' && /^[A-Za-z][A-Za-z0-9 _-]{0,30}$/.test(value) ? value.replace(/ /g, '') : fallback;

/** "Jane <JANE@Example.com>" → "jane@example.com". */
export function recipientAddress(value: string): string {
  const angled = /<([^<>\s]+)>\s*$/.exec(value);
  return (angled ? angled[1] : value).trim().toLowerCase();
}

export function parseSesFeedback(payload: unknown): SesFeedback {
  if (!isObject(payload)) throw new FeedbackFormatError('The SES message is not a JSON object');
  const type = payload.notificationType ?? payload.eventType;
  if (typeof type !== 'string') throw new FeedbackFormatError('The SES message has neither notificationType nor eventType');
  if (type !== 'Bounce' && type !== 'Complaint') {
    if (OTHER_TYPES.has(type)) return { kind: 'other', type };
    throw new FeedbackFormatError(`Unknown SES message type "${type.slice(0, 40)}"`);
  }
  const mail = payload.mail;
  if (!isObject(mail) || typeof mail.messageId !== 'string' || mail.messageId.length === 0 || mail.messageId.length > 200) {
    throw new FeedbackFormatError('The SES message has no mail.messageId');
  }
  const sentAt = typeof mail.timestamp === 'string' ? new Date(mail.timestamp) : new Date(NaN);
  if (Number.isNaN(sentAt.getTime())) throw new FeedbackFormatError('The SES message has no valid mail.timestamp');

  const bounce = type === 'Bounce';
  const body = bounce ? payload.bounce : payload.complaint;
  if (!isObject(body)) throw new FeedbackFormatError(`The SES message has no ${bounce ? 'bounce' : 'complaint'} object`);
  const list = bounce ? body.bouncedRecipients : body.complainedRecipients;
  if (!Array.isArray(list) || list.length === 0 || list.length > 100) {
    throw new FeedbackFormatError(`The SES message has no ${bounce ? 'bouncedRecipients' : 'complainedRecipients'}`);
  }
  const recipients = list.map((entry) => {
    if (!isObject(entry) || typeof entry.emailAddress !== 'string' || entry.emailAddress.length > 320) {
      throw new FeedbackFormatError('A recipient has no emailAddress');
    }
    const diagnostic = typeof entry.diagnosticCode === 'string' ? entry.diagnosticCode.slice(0, 200) : undefined;
    return { email: recipientAddress(entry.emailAddress), diagnostic };
  });
  const subtype = bounce
    ? `${label(body.bounceType, 'Undetermined')}/${label(body.bounceSubType, 'Undetermined')}`
    : `Complaint/${label(body.complaintFeedbackType, 'unknown')}`;
  const feedbackId = typeof body.feedbackId === 'string' && body.feedbackId.length > 0 ? body.feedbackId.slice(0, 180) : null;
  return { kind: bounce ? 'bounce' : 'complaint', subtype, recipients, sesMessageId: mail.messageId, feedbackId, mailSentAt: sentAt };
}

/** Hard bounces (and complaints) suppress at once; transient ones only once repeated; undetermined ones never. */
export const isPermanent = (f: { kind: string; subtype: string }) => f.kind === 'complaint' || f.subtype.startsWith('Permanent/');
export const isTransient = (f: { kind: string; subtype: string }) => f.kind === 'bounce' && f.subtype.startsWith('Transient/');

/**
 * What AWS counts towards the account's rates: hard bounces and complaints. A bounce because the
 * address is on the account's own suppression list is SES refusing to try, not a bounce it counts.
 */
export const countsForRate = (f: { kind: string; subtype: string }) =>
  f.kind === 'complaint' || (f.subtype.startsWith('Permanent/') && f.subtype !== 'Permanent/OnAccountSuppressionList');
