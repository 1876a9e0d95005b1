import { type BeforeApplicationShutdown, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task.js';
import { Environment } from '../config/environment.js';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import { MailService } from '../mail/mail.service.js';
import { ConfirmationReminderEmail } from './emails/confirmation-reminder.email.js';

const BATCH = 200;

// Claimed and marked in one statement: row locks and reminded_at make any number of workers, and
// restarts, send each reminder once; a crash before the commit leaves the rows due for the next scan.
const CLAIM_DUE = statement(
  'users.claim-due-reminders',
  `UPDATE users SET reminded_at = now(), updated_at = now() WHERE id IN (
     SELECT id FROM users
      WHERE NOT confirmed AND reminded_at IS NULL AND email_sent_at <= now() - make_interval(secs => $1)
      ORDER BY email_sent_at LIMIT $2
      FOR UPDATE SKIP LOCKED)
   RETURNING id, email`,
);

/**
 * Worker only: one reminder with a fresh link to each address still unconfirmed
 * CONFIRMATION_REMINDER_AFTER_SECONDS after its last link. The schedule lives in PostgreSQL, so
 * Redis losing its data or a worker restarting neither drops nor doubles a reminder.
 */
@Injectable()
export class ConfirmationReminders implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private task?: PeriodicTask;

  constructor(
    private readonly env: Environment,
    private readonly db: DatabaseService,
    private readonly mail: MailService,
  ) {}

  onApplicationBootstrap(): void {
    const after = this.env.CONFIRMATION_REMINDER_AFTER_SECONDS;
    if (after === 0) return;
    // Scan often enough that a reminder is late by a small part of its delay, at most a minute.
    const everyMs = Math.min(60_000, Math.max(500, (after * 1000) / 10));
    this.task = new PeriodicTask(ConfirmationReminders.name, () => this.sendDue(), everyMs);
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task?.stop();
  }

  /** Queues the reminders now due; returns how many. */
  async sendDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.db.transaction(async (tx) => {
        const due = await tx.query<{ id: string; email: string }>(CLAIM_DUE, [this.env.CONFIRMATION_REMINDER_AFTER_SECONDS, BATCH]);
        for (const user of due)
          await this.mail.enqueue(tx, ConfirmationReminderEmail, { userId: user.id, to: user.email, requestId: null });
        return due.length;
      });
      total += count;
      if (count < BATCH) return total;
    }
  }
}
