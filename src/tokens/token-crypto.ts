import { createHash, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32; // 256 bits
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A fresh URL-safe token: 256 random bits as 43 base64url characters. */
export const generateToken = (): string => randomBytes(TOKEN_BYTES).toString('base64url');

export const hashToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** True when the string could be a token we issued; anything else is rejected before any lookup. */
export const isWellFormedToken = (value: unknown): value is string =>
  typeof value === 'string' && TOKEN_PATTERN.test(value);
