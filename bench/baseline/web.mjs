// Bare baseline, web side: node:http, one transaction (user + token hash), one BullMQ job.
import { Queue } from 'bullmq';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';

// A pool of 20, like the service's web and worker (src/database/database-options.ts).
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const queue = new Queue('baseline-mail', { connection: { url: process.env.REDIS_URL } });

async function register(email) {
  const token = randomBytes(32).toString('base64url');
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query('INSERT INTO baseline.users (email) VALUES ($1) ON CONFLICT (email) DO NOTHING RETURNING id', [
      email,
    ]);
    if (rows.length > 0) {
      await client.query('INSERT INTO baseline.tokens (user_id, token_hash) VALUES ($1, $2)', [
        rows[0].id,
        createHash('sha256').update(token).digest(),
      ]);
    }
    await client.query('COMMIT');
    if (rows.length > 0) await queue.add('confirm', { userId: rows[0].id, email, token }, { removeOnComplete: true });
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

const send = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

createServer((req, res) => {
  if (req.url === '/health') return send(res, 200, { status: 'ok' });
  if (req.method !== 'POST' || req.url !== '/api/users') return send(res, 404, { error: 'Not Found' });
  let raw = '';
  req.on('data', (chunk) => (raw += chunk));
  req.on('end', async () => {
    let email;
    try {
      email = String(JSON.parse(raw).email).trim().toLowerCase();
    } catch {
      return send(res, 400, { error: 'Bad Request' });
    }
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return send(res, 400, { error: 'Bad Request' });
    try {
      await register(email);
      send(res, 202, { message: 'Thank you for registering.' });
    } catch (error) {
      console.error(error);
      send(res, 500, { error: 'Internal Server Error' });
    }
  });
}).listen(Number(process.env.PORT), () => console.log(`baseline web on ${process.env.PORT}`));

const stop = () =>
  pool
    .end()
    .then(() => queue.close())
    .finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
