import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { TEST_ENV } from './test-env.js';

export interface SesFault {
  status: number;
  code: string;
  message: string;
}

export const THROTTLED: SesFault = { status: 400, code: 'Throttling', message: 'Maximum sending rate exceeded.' };
export const REJECTED: SesFault = { status: 400, code: 'MessageRejected', message: 'Email address is not verified.' };
export const PAUSED: SesFault = {
  status: 400,
  code: 'AccountSendingPausedException',
  message: 'Sending is paused for this account.',
};

/**
 * An SES stand-in for faults the emulator cannot produce: it sits in front of the emulator and
 * answers some SendEmail calls with a real SES error document (so the AWS SDK parses it as it
 * would from AWS), passing the others through. `decide` sees each call's first recipient.
 */
export async function startSesFaultProxy(decide: (recipient: string) => SesFault | null) {
  const calls = new Map<string, number>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    const recipient = new URLSearchParams(body).get('Destination.ToAddresses.member.1') ?? '';
    calls.set(recipient, (calls.get(recipient) ?? 0) + 1);
    const fault = decide(recipient);
    if (fault) {
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
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/xml' });
    res.end(await upstream.text());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    /** SendEmail calls seen per recipient, faults included. */
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
