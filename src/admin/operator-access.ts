import type { FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';

/** What the internal ports serve (METRICS_PORT on the web, WORKER_HEALTH_PORT on the worker). */
export const OPERATOR_ROUTES = /^\/(health(\/live|\/sending)?|metrics)\/?(\?|$)/;

// Requests that may read metrics and health details: everything on an internal port, and requests
// with the admin token on the public one. Nothing is admitted unless a hook says so.
const admitted = new WeakSet<IncomingMessage>();

export const admitDetails = (req: IncomingMessage): void => void admitted.add(req);

export const mayReadDetails = (req: FastifyRequest): boolean => admitted.has(req.raw);
