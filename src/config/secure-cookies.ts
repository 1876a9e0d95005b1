import type { Environment } from './environment.js';

/**
 * Cookies get `Secure` and the `__Host-` prefix when the public URL is https. Taken from APP_URL,
 * not NODE_ENV, so a production process started without NODE_ENV still protects its cookies.
 */
export const secureCookies = (env: Pick<Environment, 'APP_URL'>): boolean => new URL(env.APP_URL).protocol === 'https:';
