import { type ExecutionContext, Global, Module } from '@nestjs/common';
import { normalizeIp, ThrottlerModule, type ThrottlerOptions } from '@nestjs/throttler';
import { Environment } from '../config/environment.js';
import { IPV6_AGGREGATES, isIpv6 } from './client-key.js';
import { RateLimitStoreModule } from './rate-limit-store.module.js';
import { RateLimitStore } from './rate-limit.store.js';

export const RATE_LIMITED_MESSAGE = 'Too many requests from your address. Please wait a minute and try again.';

const clientIp = (context: ExecutionContext): string | undefined => context.switchToHttp().getRequest<{ ip?: string }>().ip;

/** The same limits for IPv6 clients counted by /56 and /48 too, with a wider budget each. */
function ipv6Aggregates(env: Environment): ThrottlerOptions[] {
  return IPV6_AGGREGATES.map(({ prefix, budgets }) => ({
    name: `ipv6-${prefix}`,
    ttl: 60_000,
    limit: env.RATE_LIMIT_PER_MINUTE * budgets,
    skipIf: (context: ExecutionContext) => env.RATE_LIMIT_PER_MINUTE === 0 || !isIpv6(clientIp(context)),
    getTracker: (req: Record<string, unknown>) => normalizeIp(String(req.ip), prefix),
  }));
}

/** Redis-backed per-IP limits for the web process; RATE_LIMIT_PER_MINUTE=0 turns them off. */
@Global()
@Module({
  imports: [
    RateLimitStoreModule,
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStoreModule],
      inject: [Environment, RateLimitStore],
      useFactory: (env: Environment, store: RateLimitStore) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: env.RATE_LIMIT_PER_MINUTE }, ...ipv6Aggregates(env)],
        storage: store,
        skipIf: () => env.RATE_LIMIT_PER_MINUTE === 0,
        errorMessage: RATE_LIMITED_MESSAGE,
      }),
    }),
  ],
  exports: [RateLimitStoreModule, ThrottlerModule],
})
export class RateLimitModule {}
