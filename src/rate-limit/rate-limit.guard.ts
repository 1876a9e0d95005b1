import { type ExecutionContext, Injectable, SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

const ACTION = 'rate-limit:action';

/** One budget per client IP and action, whichever route (REST or form) the request takes. */
export type RateLimitedAction =
  'challenge' | 'register' | 'resend' | 'confirm' | 'sign-in' | 'sign-in-code' | 'password-reset' | 'email-change';

@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected generateKey(context: ExecutionContext, tracker: string, throttler: string): string {
    const action = this.reflector.get<RateLimitedAction>(ACTION, context.getHandler()) ?? context.getHandler().name;
    // The tracker is the client as `clientOf` counts it (IPv6 by /64); the store keeps only an HMAC of the key.
    return `${throttler}:${action}:${tracker}`;
  }
}

/** Per-client-IP limit (RATE_LIMIT_PER_MINUTE) on this route, shared with other routes of the same action. */
export const RateLimit = (action: RateLimitedAction) => applyDecorators(SetMetadata(ACTION, action), UseGuards(RateLimitGuard));
