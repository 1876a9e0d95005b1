import type { FastifyReply, FastifyRequest } from 'fastify';
import { admitDetails, OPERATOR_ROUTES } from '../admin/operator-access.js';

/**
 * The worker's optional port serves health and metrics only, whatever controllers a module in the
 * worker's graph may declare in the future; being internal, it shows them in full.
 */
export async function healthRoutesOnly(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (OPERATOR_ROUTES.test(req.url)) {
    admitDetails(req.raw);
    return undefined;
  }
  return reply.status(404).send({
    statusCode: 404,
    error: 'Not Found',
    message: 'The worker serves /health, /health/live, /health/sending and /metrics only',
  });
}
