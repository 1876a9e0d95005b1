import type { FastifyRequest } from 'fastify';

/** The value of a cookie signed with APP_SECRET, or undefined when it is missing or was tampered with. */
export function readSignedCookie(req: FastifyRequest, name: string): string | undefined {
  const raw = req.cookies[name];
  if (raw === undefined) return undefined;
  const { valid, value } = req.unsignCookie(raw);
  return valid && value !== null ? value : undefined;
}
