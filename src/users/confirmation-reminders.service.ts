import { type BeforeApplicationShutdown, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task.js';
import { SYSTEM_CONTEXT } from '../common/request-context.js';
import { Environment } from '../config/environment.js';
import { DatabaseService } from '../database/database.service.js';
import { ConfirmationReminderDue } from './users.facts.js';
import { UsersRepository } from './users.repository.js';

const BATCH = 200;

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
    private readonly users: UsersRepository,
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

  /** Records the reminders now due; returns how many. */
  async sendDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.db.transaction(SYSTEM_CONTEXT, async (tx) => {
        const due = await this.users.claimDueReminders(tx, this.env.CONFIRMATION_REMINDER_AFTER_SECONDS, BATCH);
        if (due.length > 0) await tx.record(...due.map((user) => new ConfirmationReminderDue({ userId: user.id, email: user.email })));
        return due.length;
      });
      total += count;
      if (count < BATCH) return total;
    }
  }
}
