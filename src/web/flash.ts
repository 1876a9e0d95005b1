import type { Request, Response } from 'express';

export interface Flash {
  type: 'success' | 'info' | 'danger';
  text: string;
}

const COOKIE = 'flash';

/** One message carried across a redirect in a short-lived signed cookie, like Flask's flash(). */
export function setFlash(res: Response, flash: Flash, secure: boolean): void {
  res.cookie(COOKIE, JSON.stringify(flash), { httpOnly: true, sameSite: 'lax', secure, signed: true, maxAge: 60_000, path: '/' });
}

export function takeFlash(req: Request, res: Response): Flash | undefined {
  const raw = req.signedCookies?.[COOKIE] as string | undefined;
  if (!raw) return undefined;
  res.clearCookie(COOKIE, { path: '/' });
  try {
    const flash = JSON.parse(raw) as Flash;
    return typeof flash.text === 'string' ? flash : undefined;
  } catch {
    return undefined;
  }
}
