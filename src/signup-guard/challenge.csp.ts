import type { ChallengeKind } from './signup-guard.settings.js';

/**
 * What the pages' CSP must allow for the challenge's widget. ALTCHA: nothing (its script, style
 * and worker are served here); Turnstile and hCaptcha load their script and frames from their hosts.
 */
export function challengeCspSources(kind: ChallengeKind): {
  scriptSrc: string[];
  frameSrc: string[];
  connectSrc: string[];
  styleSrc: string[];
} {
  if (kind === 'turnstile') {
    const host = 'https://challenges.cloudflare.com';
    return { scriptSrc: [host], frameSrc: [host], connectSrc: [], styleSrc: [] };
  }
  if (kind === 'hcaptcha') {
    const hosts = ['https://hcaptcha.com', 'https://*.hcaptcha.com'];
    return { scriptSrc: hosts, frameSrc: hosts, connectSrc: hosts, styleSrc: hosts };
  }
  return { scriptSrc: [], frameSrc: [], connectSrc: [], styleSrc: [] };
}
