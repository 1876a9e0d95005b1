import { webhookEvent } from '../webhooks/webhook-event.js';
import { EmailFailed } from './mail.facts.js';

/** The public events of Mail: an email to the user failed for good (`kind`: which email; `reason`: why). */
export const MAIL_WEBHOOKS = [webhookEvent('email.failed', EmailFailed, ({ data }) => data)];
