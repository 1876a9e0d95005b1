// Intake load: unique-address POST /api/users from N keep-alive connections, after a warm-up.
import { postLoad } from './load.mjs';

const [url, connections, seconds, warmupSeconds, tag] = process.argv.slice(2);
const { perSecond, ...result } = await postLoad({
  url: `${url}/api/users`,
  connections,
  seconds,
  warmupSeconds,
  body: (n) => JSON.stringify({ email: `intake.${tag}.${n}@bench.example.com` }),
});
process.send({ requestsPerSecond: perSecond, ...result });
