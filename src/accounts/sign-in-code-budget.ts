import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { Environment } from '../config/environment.js';
import { clientOf } from '../rate-limit/client-key.js';
import { RateLimitStore } from '../rate-limit/rate-limit.store.js';

/** A code lives 10 minutes: at most this many go to one account in that time, whoever asks. */
export const CODES_PER_ACCOUNT = 3;
const ACCOUNT_WINDOW_MS = 600_000;
/** What one requester may have sent to one account in a day. */
export const CODES_PER_REQUESTER_DAY = 10;
const REQUESTER_WINDOW_MS = 86_400_000;

/** Granted (with the requester's tag, kept with the code), or refused by one of the two budgets, with the seconds to wait. */
export type CodeGrant = { granted: true; requester: string } | { granted: false; spentBy: 'requester' | 'account'; waitSeconds: number };

/**
 * Sign-in codes to one account, budgeted per requester (the client as the rate limits count it:
 * an IPv4 address or an IPv6 /64) as well as per account, in the rate-limit store (keys kept as an
 * HMAC, failing open like the other limits). A requester's own budget is its daily one, so nobody
 * spends the owner's; the account's is at most 3 codes per 10 minutes, so nobody floods the
 * mailbox, and a request it refuses always leaves codes that still work in that mailbox: each code
 * lives 10 minutes and is voided only by a newer one of the same requester.
 */
@Injectable()
export class SignInCodeBudget {
  private readonly tagKey: Buffer;

  constructor(
    private readonly store: RateLimitStore,
    env: Environment,
  ) {
    this.tagKey = createHmac('sha256', env.APP_SECRET).update('sign-in-code-requester').digest();
  }

  /** Takes one code for the user, asked for from `clientIp` (none for the process itself). */
  async take(userId: string, clientIp: string | undefined): Promise<CodeGrant> {
    const requester = clientIp ? clientOf(clientIp) : 'the service';
    const own = `sign-in-code:requester:${requester}:${userId}`;
    const ownWait = await this.store.reserve(own, CODES_PER_REQUESTER_DAY, REQUESTER_WINDOW_MS);
    if (ownWait > 0) return { granted: false, spentBy: 'requester', waitSeconds: ownWait };
    const accountWait = await this.store.reserve(`sign-in-code:account:${userId}`, CODES_PER_ACCOUNT, ACCOUNT_WINDOW_MS);
    if (accountWait > 0) {
      await this.store.release(own, CODES_PER_REQUESTER_DAY); // nothing was sent for it
      return { granted: false, spentBy: 'account', waitSeconds: accountWait };
    }
    return { granted: true, requester: this.tag(requester) };
  }

  /** Who asked, as stored with the code and in its email's outbox row: an HMAC, never an address. */
  private tag(requester: string): string {
    return createHmac('sha256', this.tagKey).update(requester).digest('base64url').slice(0, 22);
  }
}
