import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

// What a proxy or client may hand us: short, printable, no spaces or quotes (it goes into logs and headers).
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/; // no @: an address must not ride in as an id

/** A new request's id (Fastify's `genReqId`): a sane incoming X-Request-Id, else a new UUID. */
export function newRequestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
}
