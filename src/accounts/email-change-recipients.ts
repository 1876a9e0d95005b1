import { Injectable } from '@nestjs/common';
import { normalizeEmail } from '../common/validation/email-address.js';
import { RateLimitStore } from '../rate-limit/rate-limit.store.js';

export const LINKS_PER_ADDRESS_DAY = 3;
const DAY_MS = 86_400_000;

/**
 * Email-change links to one new address, whichever accounts ask: a signed-in user can name any
 * address, so besides each account's own cooldown the address has a budget of its own (3 a day).
 * Counted in the rate-limit store under an HMAC of the address, failing open like the other limits.
 */
@Injectable()
export class EmailChangeRecipients {
  constructor(private readonly store: RateLimitStore) {}

  /** Takes one link to the address: 0 when granted, else the seconds until one may go. */
  take(address: string): Promise<number> {
    return this.store.reserve(`email-change-recipient:${normalizeEmail(address)}`, LINKS_PER_ADDRESS_DAY, DAY_MS);
  }
}
