import { webhookEvent } from '../webhooks/webhook-event.js';
import { EmailFailed } from './mail.facts.js';

/** The public events of Mail: an email to the user failed for good (`kind`: which email; `reason`: why). */
export const MAIL_WEBHOOKS = [
  webhookEvent('email.failed', EmailFailed, {
    fields: {
      kind: { type: 'string', description: 'Which email (the kinds are listed in FailedEmailDto.kind)' },
      reason: { type: 'string', description: 'Why it failed for good (suppressed, rejected by SES, ...)' },
    },
  }),
];
