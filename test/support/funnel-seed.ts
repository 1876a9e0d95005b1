import { DatabaseService } from '../../src/database/database.service.js';
import { statement } from '../../src/database/statement.js';
import type { Stack } from './stack.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

const INSERT_USER = statement(
  'test.funnel.user',
  `INSERT INTO users (email, created_at, confirmed, confirmed_at, email_sent, email_error)
   VALUES ($1, $2, $3::timestamptz IS NOT NULL, $3::timestamptz, $4, $5) RETURNING id`,
);
const INSERT_EMAIL = statement(
  'test.funnel.email',
  `INSERT INTO mail_outbox (id, kind, user_id, recipient, created_at, enqueued_at, sent_at, failed_at, error)
   VALUES (gen_random_uuid(), 'confirmation', $1, $2, $3::timestamptz, $3::timestamptz, $4, $5, $6)`,
);
const INSERT_FEEDBACK = statement(
  'test.funnel.feedback',
  `INSERT INTO ses_feedback_events (kind, subtype, counts_for_rate, ses_message_id, recipient_hash, mail_sent_at, received_at)
   VALUES ($1, $2, $3, gen_random_uuid()::text, '\\x00', $4, $4)`,
);
const INSERT_DELIVERY = statement(
  'test.funnel.delivery',
  `INSERT INTO webhook_deliveries (id, type, endpoint, payload, status, enqueued_at, failed_at)
   VALUES (gen_random_uuid(), 'user.registered', 'https://hooks.example.com/in', '{}', $1::varchar, now(), CASE WHEN $1::varchar = 'failed' THEN now() END)`,
);

/**
 * A funnel with known figures in the hours before `base` (a whole UTC hour in the past), written
 * straight into the tables as the app would have over those hours:
 *
 * | hour      | sign-ups | sent | confirmed (after)      | bounces | complaints |
 * | base − 4h | 4        | 2    | 2 (60 s, 600 s)        | 0       | 0          |
 * | base − 3h | 0        | 1    | 1 (3600 s)             | 0       | 0          |
 * | base − 2h | 1        | 0    | 0                      | 0       | 0          |
 * | base − 1h | 0        | 0    | 0                      | 1       | 1          |
 *
 * plus a transient bounce (not counted), one email waiting and one failed, one webhook delivery
 * pending and one failed. The sign-up of base − 2h is suppressed (bounced-funnel@example.com).
 */
export async function seedFunnel(stack: Stack, base: Date): Promise<void> {
  const db = stack.web.get(DatabaseService);
  const at = (ms: number) => new Date(base.getTime() + ms);
  const user = async (email: string, created: Date, confirmed: Date | null, error: string | null = null) =>
    (await db.query<{ id: string }>(INSERT_USER, [email, created, confirmed, confirmed !== null, error]))[0].id;
  const u1 = await user('one-funnel@example.com', at(-4 * HOUR + 5 * MINUTE), at(-4 * HOUR + 5 * MINUTE + 60_000));
  const u2 = await user('two-funnel@example.com', at(-4 * HOUR + 10 * MINUTE), at(-4 * HOUR + 10 * MINUTE + 600_000));
  const u3 = await user('three-funnel@example.com', at(-4 * HOUR + 15 * MINUTE), at(-4 * HOUR + 15 * MINUTE + 3_600_000));
  const u4 = await user('four-funnel@example.com', at(-4 * HOUR + 20 * MINUTE), null);
  await user('bounced-funnel@example.com', at(-2 * HOUR), null, 'suppressed: bounce');
  const email = (userId: string, recipient: string, created: Date, sent: Date | null, failed: Date | null = null) =>
    db.query(INSERT_EMAIL, [userId, recipient, created, sent, failed, failed ? 'rejected: MessageRejected' : null]);
  await email(u1, 'one-funnel@example.com', at(-4 * HOUR + 5 * MINUTE), at(-4 * HOUR + 6 * MINUTE));
  await email(u2, 'two-funnel@example.com', at(-4 * HOUR + 10 * MINUTE), at(-4 * HOUR + 11 * MINUTE));
  await email(u3, 'three-funnel@example.com', at(-4 * HOUR + 15 * MINUTE), at(-3 * HOUR + 1 * MINUTE));
  await email(u4, 'four-funnel@example.com', at(-4 * HOUR + 20 * MINUTE), null, at(-4 * HOUR + 21 * MINUTE));
  await email(u4, 'four-funnel@example.com', at(-1 * HOUR), null);
  await db.query(INSERT_FEEDBACK, ['bounce', 'Permanent/General', true, at(-1 * HOUR + 5 * MINUTE)]);
  await db.query(INSERT_FEEDBACK, ['bounce', 'Transient/MailboxFull', false, at(-1 * HOUR + 6 * MINUTE)]);
  await db.query(INSERT_FEEDBACK, ['complaint', 'abuse', true, at(-1 * HOUR + 20 * MINUTE)]);
  await db.query(INSERT_DELIVERY, ['pending']);
  await db.query(INSERT_DELIVERY, ['failed']);
}

/** The whole UTC hour `hoursAgo` hours before the current one. */
export const wholeHourAgo = (hoursAgo: number): Date => new Date((Math.floor(Date.now() / HOUR) - hoursAgo) * HOUR);
