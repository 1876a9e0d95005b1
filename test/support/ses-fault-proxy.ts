import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { TEST_ENV } from './test-env.js';

export interface SesFault {
  status: number;
  code: string;
  message: string;
}

export const THROTTLED: SesFault = { status: 400, code: 'Throttling', message: 'Maximum sending rate exceeded.' };
export const REJECTED: SesFault = { status: 400, code: 'MessageRejected', message: 'Email address is not verified.' };
export const UNAVAILABLE: SesFault = { status: 503, code: 'ServiceUnavailable', message: 'Service is unavailable.' };
export const INTERNAL: SesFault = { status: 500, code: 'InternalFailure', message: 'Internal failure.' };
export const PAUSED: SesFault = {
  status: 400,
  code: 'AccountSendingPausedException',
  message: 'Sending is paused for this account.',
};

/** What the stand-in does with one call besides answering an SES error: */
export type SesBehaviour =
  | { hang: true } // never answers (until the client gives up)
  | { drop: true } // closes the connection without an answer (a network error)
  | { delayMs: number }; // passes the call on after a delay

export interface SesCall {
  recipient: string;
  /** The call's ConfigurationSetName, if it named one. */
  configurationSet?: string;
  /** When the call arrived, when the stand-in answered or the client went away (ms since epoch). */
  at: number;
  endedAt?: number;
  outcome?: 'passed' | 'fault' | 'dropped' | 'client-closed';
}

/**
 * An SES stand-in for faults the emulator cannot produce: it sits in front of the emulator and
 * answers some SendEmail calls with a real SES error document (so the AWS SDK parses it as it
 * would from AWS), hangs, drops or delays others, and passes the rest through. `decide` sees each
 * call's first recipient and how many calls for it came before.
 */
export async function startSesFaultProxy(decide: (recipient: string, previousCalls: number) => SesFault | SesBehaviour | null) {
  const calls = new Map<string, number>();
  const log: SesCall[] = [];
  const sockets = new Set<Socket>();
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    const params = new URLSearchParams(body);
    const recipient = params.get('Destination.ToAddresses.member.1') ?? '';
    const previous = calls.get(recipient) ?? 0;
    calls.set(recipient, previous + 1);
    const call: SesCall = { recipient, configurationSet: params.get('ConfigurationSetName') ?? undefined, at: Date.now() };
    log.push(call);
    res.on('close', () => {
      call.endedAt ??= Date.now();
      call.outcome ??= 'client-closed';
    });
    const action = decide(recipient, previous);
    if (action && 'hang' in action) return;
    if (action && 'drop' in action) {
      call.outcome = 'dropped';
      req.socket.destroy();
      return;
    }
    if (action && 'delayMs' in action) await new Promise((r) => setTimeout(r, action.delayMs));
    const fault = action && 'code' in action ? action : null;
    if (fault) {
      call.outcome = 'fault';
      res.writeHead(fault.status, { 'content-type': 'text/xml' });
      res.end(
        `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type>` +
          `<Code>${fault.code}</Code><Message>${fault.message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`,
      );
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)),
    ) as Record<string, string>;
    const upstream = await fetch(`${TEST_ENV.AWS_ENDPOINT_URL_SES}${req.url}`, { method: req.method, headers, body });
    const text = await upstream.text();
    call.outcome = 'passed';
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/xml' });
    res.end(text, () => (call.endedAt = Date.now()));
  };
  const server: Server = createServer((req, res) => void serve(req, res).catch(() => res.destroy()));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    /** SendEmail calls seen per recipient, faults included. */
    calls,
    /** Every SendEmail call in order of arrival, with its timing and outcome. */
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy(); // hanging calls too
        server.close(() => resolve());
      }),
  };
}
