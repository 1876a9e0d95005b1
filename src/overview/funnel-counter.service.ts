import { Injectable } from '@nestjs/common';
import { MailService } from '../mail/mail.service.js';
import { SesFeedbackService } from '../ses-feedback/ses-feedback.service.js';
import { UsersService } from '../users/users.service.js';
import { emptyHour, type FunnelHour, HOUR_MS } from './funnel.js';

/** The funnel's hours counted from the owning modules' tables (each module's own query, by an indexed time). */
@Injectable()
export class FunnelCounter {
  constructor(
    private readonly users: UsersService,
    private readonly mail: MailService,
    private readonly feedback: SesFeedbackService,
  ) {}

  /** Counts [start, end) (whole hours) from the owning modules' tables, one query each. */
  async count(start: Date, end: Date): Promise<FunnelHour[]> {
    const [registered, confirmed, sent, feedback] = await Promise.all([
      this.users.registeredByHour(start, end),
      this.users.confirmedByHour(start, end),
      this.mail.sentByHour(start, end),
      this.feedback.feedbackByHour(start, end),
    ]);
    const byHour = new Map<number, FunnelHour>();
    const at = (hour: Date) => {
      let row = byHour.get(hour.getTime());
      if (!row) byHour.set(hour.getTime(), (row = emptyHour(hour)));
      return row;
    };
    for (let h = start.getTime(); h < end.getTime(); h += HOUR_MS) at(new Date(h));
    for (const r of registered) at(r.hour).registered += r.count;
    for (const r of sent) at(r.hour).sent += r.count;
    for (const r of feedback) {
      at(r.hour).bounced += r.bounced;
      at(r.hour).complained += r.complained;
    }
    for (const r of confirmed) {
      const row = at(r.hour);
      row.confirmed += r.count;
      row.confirmSeconds[r.slot] = (row.confirmSeconds[r.slot] ?? 0) + r.count;
    }
    return [...byHour.values()];
  }
}
