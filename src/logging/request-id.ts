import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

// What a proxy or client may hand us: short, printable, no spaces or quotes (it goes into logs and headers).
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/; // no @: an address must not ride in as an id

const context = new AsyncLocalStorage<{ requestId: string }>();

type IdentifiedRequest = IncomingMessage & { id?: unknown };

/** The request's id: a sane incoming X-Request-Id, else a new UUID; echoed in the response. Idempotent. */
export function assignRequestId(req: IdentifiedRequest, res: ServerResponse): string {
  if (typeof req.id === 'string') return req.id;
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
  req.id = id;
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** Express middleware: makes the request id available to everything the request calls. */
export function requestIdMiddleware(req: IdentifiedRequest, res: ServerResponse, next: () => void): void {
  context.run({ requestId: assignRequestId(req, res) }, next);
}

/** The id of the HTTP request being handled, if any (so the outbox row can carry it to the worker). */
export const currentRequestId = (): string | undefined => context.getStore()?.requestId;
