import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';

/** A fresh challenge from the service. */
export async function challengeFrom(baseUrl: string): Promise<Challenge> {
  const res = await fetch(`${baseUrl}/api/challenge`);
  if (res.status !== 200) throw new Error(`GET /api/challenge answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Challenge;
}

/** The widget's payload for a solved challenge: base64 of {challenge, solution}. */
export const payloadOf = (challenge: Challenge, solution: { counter: number; derivedKey: string }): string =>
  Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');

/** Solves a challenge with altcha-lib's own solver, as a client without the widget would. */
export async function solve(challenge: Challenge): Promise<string> {
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 60_000 });
  if (!solution) throw new Error('altcha-lib did not solve the challenge');
  return payloadOf(challenge, solution);
}

/** A challenge from the service, solved: the `altcha` field of one guarded request. */
export const solvedAltcha = async (baseUrl: string): Promise<string> => solve(await challengeFrom(baseUrl));
