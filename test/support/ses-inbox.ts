import { TEST_ENV } from './test-env.js';
import { waitFor } from './wait-for.js';

export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

const base = () => TEST_ENV.AWS_ENDPOINT_URL_SES;

/** The SES emulator's inbox, read through its own HTTP API. */
export const sesInbox = {
  async all(): Promise<StoredEmail[]> {
    const res = await fetch(`${base()}/store`);
    return ((await res.json()) as { emails: StoredEmail[] }).emails;
  },
  /** The emails to the address (with `subject`, of that subject only: another kind of email does not count). */
  async to(address: string, subject?: string | RegExp): Promise<StoredEmail[]> {
    const ofSubject = (e: StoredEmail) =>
      subject === undefined || (typeof subject === 'string' ? e.subject === subject : subject.test(e.subject));
    return (await this.all()).filter((e) => e.destination.to.includes(address) && ofSubject(e));
  },
  /** The emails to any of the addresses (a test's own: what went to others does not count). */
  async toAny(addresses: readonly string[]): Promise<StoredEmail[]> {
    const wanted = new Set(addresses);
    return (await this.all()).filter((e) => e.destination.to.some((to) => wanted.has(to)));
  },
  async clear(): Promise<void> {
    await fetch(`${base()}/clear-store`, { method: 'POST' });
  },
  /** Waits for the `count`-th email to the address and returns all of them. */
  async waitFor(address: string, count = 1, timeoutMs = 10_000): Promise<StoredEmail[]> {
    return waitFor(
      async () => {
        const emails = await this.to(address);
        return emails.length >= count ? emails : null;
      },
      { timeoutMs, what: `${count} email(s) to ${address}` },
    );
  },
};

/** The token in the confirmation link of an email (from the plain-text part). */
export function linkToken(email: StoredEmail): string {
  const match = /\/confirm\/([A-Za-z0-9_-]+)/.exec(email.body.text ?? '');
  if (!match) throw new Error(`No confirmation link in: ${email.body.text}`);
  return match[1];
}
