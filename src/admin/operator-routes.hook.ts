import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminTokenGuard } from './admin-token.guard.js';
import type { HttpExceptionFilter } from '../common/http-exception.filter.js';
import { adminTokenHook } from './admin-token.hook.js';
import { admitDetails, mayReadDetails } from './operator-access.js';

const DETAILED = new Set(['/health', '/health/sending']);

/**
 * The public port's rules for operator routes, by matched route (so `/METRICS` and `/%6detrics`
 * are judged like `/metrics`): `/metrics` only with the admin token as Bearer (the same 401 and
 * lockout as /api/admin), health details only with it; requests from METRICS_PORT are already
 * admitted. `guard` takes Bearer only: these are for scrapers and scripts, not pages a browser opens.
 */
export function operatorRoutesHook(guard: AdminTokenGuard, errors: HttpExceptionFilter) {
  const adminOnly = adminTokenHook(guard, errors);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const route = req.routeOptions.url;
    if (route === undefined || mayReadDetails(req)) return undefined;
    if (route === '/metrics') {
      const refused = await adminOnly(req, reply);
      if (refused) return refused;
      admitDetails(req.raw);
    } else if (DETAILED.has(route) && req.headers.authorization !== undefined && (await guard.admits(req))) {
      admitDetails(req.raw);
    }
    return undefined;
  };
}
