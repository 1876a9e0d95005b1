import type { Environment } from '../config/environment.js';

interface TokenPurposeSpec {
  /** How long a token of this purpose stays valid. */
  lifetimeSeconds: (env: Environment) => number;
  /**
   * `link` (default): 256 random bits in a URL. `code`: a short one-time code a person types
   * (CODE_LENGTH characters of CODE_ALPHABET), bound to its user, with a limited number of
   * attempts; a new code of the purpose voids the user's older ones that the same requester asked for.
   */
  format?: 'link' | 'code';
  /** Codes only: wrong guesses after which the code is void. */
  maxAttempts?: number;
}

/** Every purpose a token can serve; a token found under one purpose means nothing under another. */
export const TOKEN_PURPOSES = {
  confirmation: { lifetimeSeconds: (env) => env.CONFIRMATION_TTL_SECONDS },
  'password-reset': { lifetimeSeconds: () => 3600 },
  'email-change': { lifetimeSeconds: () => 86_400 },
  'email-change-cancel': { lifetimeSeconds: () => 7 * 86_400 },
  'sign-in': { lifetimeSeconds: () => 600, format: 'code', maxAttempts: 5 },
} as const satisfies Record<string, TokenPurposeSpec>;

export type TokenPurpose = keyof typeof TOKEN_PURPOSES;

const spec = (purpose: TokenPurpose): TokenPurposeSpec => TOKEN_PURPOSES[purpose];

export const tokenLifetimeSeconds = (purpose: TokenPurpose, env: Environment): number => spec(purpose).lifetimeSeconds(env);

export const isCodePurpose = (purpose: TokenPurpose): boolean => spec(purpose).format === 'code';

export const maxCodeAttempts = (purpose: TokenPurpose): number => spec(purpose).maxAttempts ?? 5;
