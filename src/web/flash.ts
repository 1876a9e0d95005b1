import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Words } from '../common/words.js';
import { readSignedCookie } from './signed-cookie.js';

/**
 * A message for the next page: its words, shown in that page's language (`key`, `params`), or a
 * literal `text` on the operators' pages, which are in English only.
 */
export type Flash = { type: 'success' | 'info' | 'danger' } & (Words | { text: string });

const COOKIE = 'flash';
const MAX_AGE_SECONDS = 60;

/** One message carried across a redirect in a short-lived signed cookie, like Flask's flash(). */
export function setFlash(reply: FastifyReply, flash: Flash, secure: boolean): void {
  reply.setCookie(COOKIE, JSON.stringify(flash), {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    signed: true,
    maxAge: MAX_AGE_SECONDS,
    path: '/',
  });
}

export function takeFlash(req: FastifyRequest, reply: FastifyReply): Flash | undefined {
  const raw = readSignedCookie(req, COOKIE);
  if (req.cookies[COOKIE] !== undefined) reply.clearCookie(COOKIE, { path: '/' });
  if (!raw) return undefined;
  try {
    const flash = JSON.parse(raw) as Partial<Words & { text: string }>;
    return typeof flash.key === 'string' || typeof flash.text === 'string' ? (flash as Flash) : undefined;
  } catch {
    return undefined;
  }
}
