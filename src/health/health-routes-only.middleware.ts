import type { NextFunction, Request, Response } from 'express';

const HEALTH_ROUTES = /^\/(health(\/live)?|metrics)\/?$/;

/**
 * The worker's optional port serves health and metrics only, whatever controllers a module in the
 * worker's graph may declare in the future.
 */
export function healthRoutesOnly(req: Request, res: Response, next: NextFunction): void {
  if (HEALTH_ROUTES.test(req.path)) return next();
  res.status(404).json({ statusCode: 404, error: 'Not Found', message: 'The worker serves /health, /health/live and /metrics only' });
}
