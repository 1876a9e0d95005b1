import request from 'supertest';
import type { Stack } from './stack.js';
import type { SnsMessage } from './sns.js';
import { waitFor } from './wait-for.js';

/** Empties what the SES feedback module keeps (suppressions, handled messages, feedback, the automatic pause). */
export async function resetFeedback(stack: Stack): Promise<void> {
  await stack.db.query('TRUNCATE email_suppressions, ses_feedback_messages, ses_feedback_events');
  await stack.db.query('UPDATE ses_sending_state SET paused_at = NULL, pause_reason = NULL, resumed_at = NULL');
}

/** Posts an SNS message as SNS does: text/plain JSON with the message type header. */
export const postSns = (stack: Stack, message: SnsMessage | string, type?: string) =>
  request(stack.url)
    .post('/webhooks/ses')
    .set('content-type', 'text/plain; charset=UTF-8')
    .set(type || typeof message !== 'string' ? { 'x-amz-sns-message-type': type ?? (message as SnsMessage).Type } : {})
    .send(typeof message === 'string' ? message : JSON.stringify(message));

/** The SES message id of the last email sent to the address (what a bounce refers to). */
export async function sesMessageId(stack: Stack, email: string): Promise<string> {
  // The emulator may store the email a moment before the worker records the send.
  const [row] = await waitFor(
    async () => {
      const rows = await stack.db.query(
        `SELECT message_id FROM mail_outbox WHERE recipient = $1 AND sent_at IS NOT NULL ORDER BY sent_at DESC LIMIT 1`,
        [email],
      );
      return rows.length > 0 ? rows : null;
    },
    { what: `the send to ${email} recorded` },
  );
  return row.message_id;
}

export async function feedbackCounts(stack: Stack) {
  const [row] = await stack.db.query(
    `SELECT (SELECT count(*) FROM email_suppressions)::int AS suppressions,
            (SELECT count(*) FROM ses_feedback_messages)::int AS messages,
            (SELECT count(*) FROM ses_feedback_events)::int AS events,
            (SELECT paused_at IS NOT NULL FROM ses_sending_state) AS paused`,
  );
  return row as { suppressions: number; messages: number; events: number; paused: boolean };
}
