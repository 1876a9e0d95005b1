import { createHash, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32; // 256 bits
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A fresh URL-safe token: 256 random bits as 43 base64url characters. */
export const generateToken = (): string => randomBytes(TOKEN_BYTES).toString('base64url');

export const hashToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** True when the string could be a token we issued; anything else is rejected before any lookup. */
export const isWellFormedToken = (value: unknown): value is string => typeof value === 'string' && TOKEN_PATTERN.test(value);

/** Codes people type: no 0/O, 1/I/L, or U (fewer accidental words); 30^8 ≈ 2^39 codes. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
export const CODE_LENGTH = 8;

/** A fresh one-time code, uniformly drawn from CODE_ALPHABET. */
export function generateCode(): string {
  let code = '';
  while (code.length < CODE_LENGTH) {
    for (const byte of randomBytes(CODE_LENGTH * 2)) {
      // Rejection sampling: only bytes below the largest multiple of the alphabet's size.
      if (byte < 256 - (256 % CODE_ALPHABET.length) && code.length < CODE_LENGTH) code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
    }
  }
  return code;
}

/** A typed code as stored: case, spaces and dashes ignored; null when it cannot be a code. */
export function normalizeCode(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 32) return null;
  const code = value.replace(/[\s-]/g, '').toUpperCase();
  return code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c)) ? code : null;
}

/** Codes are short, so their hash is bound to their user: the same code of two users never collides. */
export const hashCode = (userId: string, code: string): Buffer => hashToken(`${userId}:${code}`);
