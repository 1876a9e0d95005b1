import type { DatabaseService } from '../../database/database.service.js';
import { statement } from '../../database/statement.js';
import { FEEDBACK_ID_TYPE } from '../ses-feedback.repository.js';

const FORGET_EVENTS = statement('ses-feedback.test.forget-events', `DELETE FROM ses_feedback_events`);
const FORGET_MESSAGES = statement('ses-feedback.test.forget-messages', `DELETE FROM ses_feedback_messages`);
const COUNTS = statement(
  'ses-feedback.test.counts',
  `SELECT (SELECT count(*) FROM ses_feedback_messages WHERE type <> '${FEEDBACK_ID_TYPE}')::int AS messages, (SELECT count(*) FROM ses_feedback_events)::int AS events`,
);
const AGE_EVENTS = statement(
  'ses-feedback.test.age-events',
  `UPDATE ses_feedback_events SET received_at = received_at - make_interval(days => $1)`,
);
const EVENTS_ABOUT = statement(
  'ses-feedback.test.events-about',
  `SELECT count(*)::int AS count FROM ses_feedback_events WHERE ses_message_id = $1`,
);

/**
 * For tests only (never registered in a module): the feedback SES Feedback keeps, which no API
 * lists. Built from the app's DatabaseService: `new SesFeedbackTestApi(app.get(DatabaseService))`.
 */
export class SesFeedbackTestApi {
  constructor(private readonly db: DatabaseService) {}

  /** Forgets every message handled and every bounce or complaint recorded. */
  async forgetFeedback(): Promise<void> {
    await this.db.query(FORGET_EVENTS, []);
    await this.db.query(FORGET_MESSAGES, []);
  }

  /** Messages handled (SNS or SQS ids; not the SES feedback ids kept beside them) and bounces or complaints recorded (one per recipient). */
  async counts(): Promise<{ messages: number; events: number }> {
    return (await this.db.query<{ messages: number; events: number }>(COUNTS, []))[0];
  }

  /** As if every bounce or complaint recorded so far had come `days` earlier. */
  async ageFeedback(days: number): Promise<void> {
    await this.db.query(AGE_EVENTS, [days]);
  }

  /** Bounces or complaints recorded about one sent email (its SES message id). */
  async eventsAbout(sesMessageId: string): Promise<number> {
    return (await this.db.query<{ count: number }>(EVENTS_ABOUT, [sesMessageId]))[0].count;
  }
}
