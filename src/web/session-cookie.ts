import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '../config/environment.js';

/** `__Host-` in production: Secure, path /, no Domain, so no other host or path can set or read it. */
const cookieName = (env: Environment) => (env.NODE_ENV === 'production' ? '__Host-session' : 'session');

/** The session token the browser holds (the same token an API client sends as Bearer). */
export const readSessionCookie = (req: FastifyRequest, env: Environment): string | undefined => req.cookies[cookieName(env)];

export function setSessionCookie(reply: FastifyReply, env: Environment, token: string, expiresAt: Date): void {
  reply.setCookie(cookieName(env), token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: env.NODE_ENV === 'production',
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, env: Environment): void {
  reply.clearCookie(cookieName(env), { path: '/', httpOnly: true, sameSite: 'lax', secure: env.NODE_ENV === 'production' });
}
