// ALTCHA payloads solved ahead of the load, for challenges signed with the service's own keys. The
// counter is tiny so solving is quick: the server's verification (two HMACs and the used-solution
// mark) does not derive, so what it costs does not depend on the counter or SIGNUP_CHALLENGE_COST.
import { createChallenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { altchaSecrets } from '../../dist/signup-guard/altcha-challenge.service.js';

export async function presolvedAltcha({ appSecret, count, cost = 1000, ttlSeconds = 3600 }) {
  const secrets = altchaSecrets(appSecret);
  const payloads = [];
  for (let i = 0; i < count; i++) {
    const challenge = await createChallenge({
      algorithm: 'PBKDF2/SHA-256',
      cost,
      counter: 2,
      deriveKey,
      hmacSignatureSecret: secrets.signature,
      hmacKeySignatureSecret: secrets.keySignature,
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
    });
    payloads.push(Buffer.from(JSON.stringify({ challenge, solution: await solveChallenge({ challenge, deriveKey }) })).toString('base64'));
  }
  return payloads;
}
