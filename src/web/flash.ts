import type { FastifyReply, FastifyRequest } from 'fastify';
import { readSignedCookie } from './signed-cookie.js';

export interface Flash {
  type: 'success' | 'info' | 'danger';
  text: string;
}

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
    const flash = JSON.parse(raw) as Flash;
    return typeof flash.text === 'string' ? flash : undefined;
  } catch {
    return undefined;
  }
}
