/**
 * Time and reuse limits of every HTTP listener (public port, METRICS_PORT, the worker's health
 * port). Node's and Fastify's defaults wait for ever on a client that trickles its request; these
 * close it. Still run the web behind a proxy that buffers requests (see README, Deployment).
 */
export interface ServerLimits {
  /** The whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number;
  /** A socket with no traffic at all during a request is closed after this. */
  connectionTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (longer than a load balancer's idle timeout, e.g. AWS ALB's 60 s). */
  keepAliveTimeoutMs: number;
  /** Requests served on one keep-alive connection before it is closed. */
  maxRequestsPerSocket: number;
}

export const SERVER_LIMITS: ServerLimits = {
  requestTimeoutMs: 15_000,
  connectionTimeoutMs: 15_000,
  keepAliveTimeoutMs: 72_000,
  maxRequestsPerSocket: 1000,
};

/** How often Node looks for requests past their timeout (its default, 30 s, would double a 15 s limit). */
export const checkingIntervalMs = (limits: ServerLimits): number => Math.max(100, Math.min(1000, limits.requestTimeoutMs / 4));

/** The limits as Fastify's options. */
export function fastifyServerLimits(limits: ServerLimits = SERVER_LIMITS) {
  return {
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.connectionTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: checkingIntervalMs(limits),
    },
  };
}
