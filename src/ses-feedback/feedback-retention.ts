import type { Environment } from '../config/environment.js';

/** Days handled messages and feedback are kept: RETENTION_DAYS, and never less than the soft-bounce window and a bit. */
export const feedbackRetentionDays = (env: Environment): number => Math.max(env.RETENTION_DAYS, 8);
