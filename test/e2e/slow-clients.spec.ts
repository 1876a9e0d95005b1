import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_LIMITS } from '../../src/common/server-limits.js';
import { startStack, type Stack } from '../support/stack.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends `head` at once, then one byte of `drip` every 100 ms; resolves when the server closes the connection, or after `giveUpMs`. */
async function trickle(url: string, head: string, drip: string, giveUpMs: number) {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let answer = '';
  socket.on('data', (d: Buffer) => (answer += d.toString()));
  socket.on('error', () => undefined); // a reset is a close too
  const started = Date.now();
  const closed = once(socket, 'close').then(() => Date.now() - started);
  if (head) socket.write(head);
  let i = 0;
  const dripping = setInterval(() => {
    if (drip && !socket.destroyed) socket.write(drip[i++ % drip.length]);
  }, 100);
  try {
    const closedAfterMs = await Promise.race([closed, pause(giveUpMs).then(() => null)]);
    return { closedAfterMs, answer };
  } finally {
    clearInterval(dripping);
    socket.destroy();
  }
}

describe('slow clients (request timeout 1 s here, 15 s in production)', () => {
  let stack: Stack;
  const limits = { ...SERVER_LIMITS, requestTimeoutMs: 1000, connectionTimeoutMs: 1000 };
  beforeAll(async () => (stack = await startStack({}, { worker: false, limits })));
  afterAll(async () => stack?.close());

  it('closes a request whose body trickles in, after the request timeout, with 408', async () => {
    const head = 'POST /api/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"email":"';
    const { closedAfterMs, answer } = await trickle(stack.url, head, 'aaaaaaaaaa', 6000);
    expect(closedAfterMs).not.toBeNull();
    expect(closedAfterMs!).toBeGreaterThanOrEqual(900);
    expect(closedAfterMs!).toBeLessThan(4000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a request whose headers trickle in', async () => {
    const { closedAfterMs } = await trickle(stack.url, 'GET / HTTP/1.1\r\nHost: localhost\r\n', 'X-Slow: 1\r\n', 6000);
    expect(closedAfterMs).not.toBeNull();
    expect(closedAfterMs!).toBeLessThan(4000);
  });

  it('closes a connection that opens and sends nothing', async () => {
    const { closedAfterMs } = await trickle(stack.url, '', '', 6000);
    expect(closedAfterMs).not.toBeNull();
    expect(closedAfterMs!).toBeLessThan(4000);
  });

  it('still serves an ordinary request on the same server', async () => {
    expect((await fetch(`${stack.url}/health/live`)).status).toBe(200);
  });
});

describe('the production limits', () => {
  it('are 15 s for a request and an idle socket, with bounded keep-alive', async () => {
    const stack = await startStack({}, { worker: false });
    try {
      const server = stack.web.getHttpServer();
      expect(server.requestTimeout).toBe(15_000);
      expect(server.timeout).toBe(15_000);
      expect(server.keepAliveTimeout).toBe(72_000);
      expect(server.maxRequestsPerSocket).toBe(1000);
    } finally {
      await stack.close();
    }
  });
});
