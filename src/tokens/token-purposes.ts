import type { Environment } from '../config/environment.js';

interface TokenPurposeSpec {
  /** How long a token of this purpose stays valid. */
  lifetimeSeconds: (env: Environment) => number;
}

/** Every purpose a token can serve; a token found under one purpose means nothing under another. */
export const TOKEN_PURPOSES = {
  confirmation: { lifetimeSeconds: (env) => env.CONFIRMATION_TTL_SECONDS },
} as const satisfies Record<string, TokenPurposeSpec>;

export type TokenPurpose = keyof typeof TOKEN_PURPOSES;

export const tokenLifetimeSeconds = (purpose: TokenPurpose, env: Environment): number =>
  TOKEN_PURPOSES[purpose].lifetimeSeconds(env);
