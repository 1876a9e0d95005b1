import type { FastifyReply, FastifyRequest } from 'fastify';

const HEALTH_ROUTES = /^\/(health(\/live)?|metrics)\/?(\?|$)/;

/**
 * The worker's optional port serves health and metrics only, whatever controllers a module in the
 * worker's graph may declare in the future.
 */
export async function healthRoutesOnly(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (HEALTH_ROUTES.test(req.url)) return undefined;
  return reply
    .status(404)
    .send({ statusCode: 404, error: 'Not Found', message: 'The worker serves /health, /health/live and /metrics only' });
}
