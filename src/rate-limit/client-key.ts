import { DEFAULT_IPV6_SUBNET_PREFIX, normalizeIp } from '@nestjs/throttler';

/**
 * One client as the limits count it: its IPv4 address, or its IPv6 /64 (what one subscriber or
 * host gets; rotating addresses inside it must not buy a fresh budget). The throttler's own default.
 */
export const clientOf = (ip: string): string => normalizeIp(ip, DEFAULT_IPV6_SUBNET_PREFIX);

/**
 * Wider IPv6 networks and how many /64 budgets each may spend together: a /56 (one site) four, a
 * /48 (one organisation) sixteen. Walking through the 2^8 or 2^16 /64s of one allocation must not
 * multiply the limit.
 */
export const IPV6_AGGREGATES = [
  { prefix: 56, budgets: 4 },
  { prefix: 48, budgets: 16 },
] as const;

export const isIpv6 = (ip: string | undefined): boolean => !!ip && ip.includes(':') && !/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip);
