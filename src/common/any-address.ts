import { networkInterfaces } from 'node:os';

/**
 * The address that listens on every interface, as Express's `listen(port)` did: `::` (IPv6 and
 * IPv4 together) when the host has IPv6 at all, else `0.0.0.0`. Fastify alone would listen on
 * localhost only, out of reach from outside a container.
 */
export function anyAddress(): string {
  const hasIpv6 = Object.values(networkInterfaces()).some((addresses) => addresses?.some((a) => a.family === 'IPv6'));
  return hasIpv6 ? '::' : '0.0.0.0';
}
