import { createChallenge, solveChallenge, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { afterEach, describe, expect, it, vi } from 'vitest';

// patches/altcha-lib+2.8.0.patch: altcha-lib imports each HMAC secret into WebCrypto once, not on
// every call (the import cost several times the HMAC; bench/README.md, "The sign-up guard").
const secrets = { hmacSignatureSecret: 'key-cache-signature-secret', hmacKeySignatureSecret: 'key-cache-key-signature-secret' };

async function solved(signatureSecret = secrets.hmacSignatureSecret) {
  const challenge = await createChallenge({
    algorithm: 'PBKDF2/SHA-256',
    cost: 10,
    counter: 3,
    deriveKey,
    hmacSignatureSecret: signatureSecret,
    hmacKeySignatureSecret: secrets.hmacKeySignatureSecret,
  });
  return { challenge, solution: (await solveChallenge({ challenge, deriveKey }))! };
}

describe('altcha-lib as patched', () => {
  afterEach(() => vi.restoreAllMocks());

  it('imports each secret once however many solutions it verifies, and still tells good from forged', async () => {
    const payloads = await Promise.all([solved(), solved(), solved()]);
    const forged = await solved('a-secret-the-service-does-not-have');
    const importKey = vi.spyOn(crypto.subtle, 'importKey');

    const verdicts = [];
    for (const { challenge, solution } of [...payloads, forged]) {
      verdicts.push(await verifySolution({ challenge, solution, deriveKey, ...secrets }));
    }

    expect(verdicts.map((v) => v.verified)).toEqual([true, true, true, false]);
    expect(verdicts[3]?.invalidSignature).toBe(true);
    // Imported before the spy (while the challenges were made): none at all now.
    expect(importKey).not.toHaveBeenCalled();
  });
});
