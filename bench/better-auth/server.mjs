// The Better Auth peer served from node:http with its Node handler; /health for the bench.
import { createServer } from 'node:http';
import { toNodeHandler } from 'better-auth/node';
import { createAuth } from './auth.mjs';

const port = Number(process.env.PORT);
const { auth, pool } = createAuth({ baseURL: `http://127.0.0.1:${port}` });
const handler = toNodeHandler(auth);

createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end('{"status":"ok"}');
  }
  return handler(req, res);
}).listen(port, '127.0.0.1', () => console.log(`better-auth web on ${port}`));

const stop = () => pool.end().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
