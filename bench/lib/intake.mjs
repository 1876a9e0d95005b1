// Intake load: unique-address POST /api/users from N keep-alive connections, after a warm-up; with a
// file of pre-solved ALTCHA payloads, each request carries the next one.
import { readFileSync } from 'node:fs';
import { postLoad } from './load.mjs';

const [url, connections, seconds, warmupSeconds, tag, payloadsFile] = process.argv.slice(2);
const altcha = payloadsFile ? JSON.parse(readFileSync(payloadsFile, 'utf8')) : null;
const { perSecond, ...result } = await postLoad({
  url: `${url}/api/users`,
  connections,
  seconds,
  warmupSeconds,
  body: (n) => JSON.stringify({ email: `intake.${tag}.${n}@bench.example.com`, ...(altcha && { altcha: altcha[n] }) }),
});
process.send({ requestsPerSecond: perSecond, ...result });
