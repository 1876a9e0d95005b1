import { ForbiddenException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpExceptionFilter } from '../common/http-exception.filter.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const JSON_TYPE = /^application\/json\s*(;|$)/i;

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
};

/**
 * Bull Board's writes (add, retry, clean, remove jobs) from a browser: HTTP Basic credentials ride
 * along on any request the browser makes, including a cross-site form post. So a write with Basic
 * must come from the board's own page — `Origin` of this host (or APP_URL's) and, when the browser
 * sends it, `Sec-Fetch-Site: same-origin` — with a JSON body or none, which no plain HTML form can
 * send. A write with `Authorization: Bearer` (scripts; a browser never adds it by itself) is let through.
 */
export function boardWritesHook(appUrl: string, errors: HttpExceptionFilter) {
  const appHost = hostOf(appUrl);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (READS.has(req.method)) return undefined;
    if (/^bearer\s/i.test(req.headers.authorization ?? '')) return undefined;
    const problem = refusal(req, appHost);
    if (!problem) return undefined;
    await errors.respond(new ForbiddenException(problem), req, reply);
    return reply;
  };
}

function refusal(req: FastifyRequest, appHost: string | undefined): string | null {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return 'Queue changes must come from the dashboard itself';
  const origin = typeof req.headers.origin === 'string' ? hostOf(req.headers.origin) : undefined;
  if (origin === undefined || (origin !== req.headers.host && origin !== appHost)) {
    return 'Queue changes must come from the dashboard itself (same Origin), or use Authorization: Bearer';
  }
  const type = req.headers['content-type'];
  const hasBody = type !== undefined || Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !JSON_TYPE.test(type ?? '')) return 'Queue changes take a JSON body';
  return null;
}
