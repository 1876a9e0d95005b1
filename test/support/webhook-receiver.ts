import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { freePort } from './processes.js';

/** Two Standard Webhooks secrets of 32 bytes each, as an operator would generate them. */
export const SECRET_A = `whsec_${Buffer.alloc(32, 'a').toString('base64')}`;
export const SECRET_B = `whsec_${Buffer.alloc(32, 'b').toString('base64')}`;

export interface Received {
  id: string;
  timestamp: number;
  signatures: string[];
  body: string;
  headers: IncomingHttpHeaders;
  /** The parsed body, as `verify` returned it. */
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  at: number;
  /** What the receiver answered. */
  status: number;
}

/** What to answer: a status (and headers), or `hang` to keep the request open until the test says so. */
export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/**
 * A webhook receiver as an adopting application would write one: every request must verify with
 * each of `secrets` through the `standardwebhooks` package (one verifier per secret, so each
 * secret's signature is checked on its own); one that does not is recorded in `rejected` and
 * answered 401. `answer` decides each reply; `down()` closes the port (connection refused) and
 * `up()` opens it again.
 */
export async function webhookReceiver(secrets: string[] = [SECRET_A]) {
  const port = await freePort();
  const verifiers = secrets.map((secret) => new Webhook(secret));
  const received: Received[] = [];
  const rejected: string[] = [];
  const sockets = new Set<Socket>();
  const hanging: ServerResponse[] = [];
  let answer: (r: Received) => Answer = () => ({ status: 204 });
  let server: Server | undefined;

  const handle = async (req: import('node:http').IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = req.headers as Record<string, string>;
    let payload: Received['payload'] | undefined;
    try {
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/json')
        throw new Error(`${req.method} ${req.headers['content-type']}`);
      for (const verifier of verifiers) payload = verifier.verify(body, headers) as Received['payload'];
    } catch (error) {
      rejected.push(`${(error as Error).message}: ${body}`);
      res.writeHead(401).end();
      return;
    }
    const r: Received = {
      id: headers['webhook-id'],
      timestamp: Number(headers['webhook-timestamp']),
      signatures: headers['webhook-signature'].split(' '),
      body,
      headers: req.headers,
      payload: payload!,
      at: Date.now(),
      status: 0,
    };
    const reply = answer(r);
    if (reply === 'hang') {
      received.push(r);
      hanging.push(res);
      return;
    }
    r.status = reply.status;
    received.push(r);
    res.writeHead(reply.status, reply.headers).end(reply.body);
  };

  const up = async () => {
    server = createServer((req, res) => void handle(req, res));
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
  };

  const down = async () => {
    const closed = server ? new Promise((resolve) => server!.close(resolve)) : Promise.resolve();
    for (const socket of sockets) socket.destroy();
    await closed;
    server = undefined;
  };

  await up();
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    rejected,
    /** Accepted requests (answered 2xx) per event, by webhook-id. */
    delivered: () => received.filter((r) => r.status >= 200 && r.status < 300),
    setAnswer(next: (r: Received) => Answer) {
      answer = next;
    },
    /** Answers every request left hanging with this status. */
    release(status = 204) {
      for (const res of hanging.splice(0)) if (!res.destroyed) res.writeHead(status).end();
    },
    up,
    down,
    close: down,
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof webhookReceiver>>;
