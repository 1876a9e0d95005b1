import type { Environment } from '../../config/environment.js';
import { isCodePurpose, tokenLifetimeSeconds } from '../../tokens/token-purposes.js';
import type { AnyEmailKind } from '../email-kind.js';
import type { RenderInput } from '../email-templates.js';

/** Stand-ins shaped like the real things: a link token is 43 base64url characters, a code 8 of CODE_ALPHABET. */
const SAMPLE_TOKEN = 'sample-token-000000000000000000000000000000';
const SAMPLE_CODE = 'K7PM3QXA';

export const SAMPLE_SUPPORT_EMAIL = 'support@example.com';

/** What a preview or the start-up check renders a kind with: its `sample` payload and a stand-in token. */
export function sampleInput(kind: AnyEmailKind, env: Environment): RenderInput {
  const payload = kind.sample ?? {};
  const purpose = kind.token;
  if (!purpose) return { payload };
  const lifetimeSeconds = tokenLifetimeSeconds(purpose, env);
  const value = isCodePurpose(purpose) ? SAMPLE_CODE : SAMPLE_TOKEN;
  return { payload, token: { value, lifetimeSeconds, expiresAt: new Date(Date.now() + lifetimeSeconds * 1000) } };
}
