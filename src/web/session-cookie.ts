import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '../config/environment.js';
import { secureCookies } from '../config/secure-cookies.js';

/** `__Host-` with an https APP_URL: Secure, path /, no Domain, so no other host or path can set or read it. */
const cookieName = (env: Environment) => (secureCookies(env) ? '__Host-session' : 'session');

/** The session token the browser holds (the same token an API client sends as Bearer). */
export const readSessionCookie = (req: FastifyRequest, env: Environment): string | undefined => req.cookies[cookieName(env)];

export function setSessionCookie(reply: FastifyReply, env: Environment, token: string, expiresAt: Date): void {
  reply.setCookie(cookieName(env), token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(env),
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, env: Environment): void {
  reply.clearCookie(cookieName(env), { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(env) });
}
