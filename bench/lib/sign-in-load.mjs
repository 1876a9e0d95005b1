// Sign-in load: POST /api/sessions from N keep-alive connections, each request with the next of the
// prepared accounts (BENCH_ACCOUNTS), after a warm-up.
import { postLoad } from './load.mjs';

const [url, connections, seconds, warmupSeconds] = process.argv.slice(2);
const accounts = JSON.parse(process.env.BENCH_ACCOUNTS);
const { perSecond, ...result } = await postLoad({
  url: `${url}/api/sessions`,
  connections,
  seconds,
  warmupSeconds,
  body: (n) => JSON.stringify(accounts[n % accounts.length]),
});
process.send({ signInsPerSecond: perSecond, ...result });
