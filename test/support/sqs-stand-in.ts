import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

interface Queued {
  id: string;
  body: string;
  visibleAt: number;
  receipt?: string;
  receives: number;
}

/**
 * A small SQS stand-in speaking the JSON protocol (`application/x-amz-json-1.0`,
 * `X-Amz-Target: AmazonSQS.ReceiveMessage` / `AmazonSQS.DeleteMessage`) to the real
 * @aws-sdk/client-sqs, with long polling and a visibility timeout: a received message not deleted
 * in time is delivered again. `onDelete` runs before a delete is answered (to look at the database
 * at that moment); `holdDeletes` leaves deletes unanswered and undone (a worker dying before it).
 */
export async function startSqsStandIn({ visibilityMs = 1_500 } = {}) {
  const messages: Queued[] = [];
  const deleted: string[] = [];
  const waiting = new Set<() => void>();
  let receiveCalls = 0;
  const options: { onDelete?: (id: string) => Promise<void> | void; holdDeletes: boolean } = { holdDeletes: false };

  const visible = () => messages.filter((m) => m.visibleAt <= Date.now());
  const answer = (res: ServerResponse, status: number, body: object) =>
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() }).end(JSON.stringify(body));

  async function receive(input: { MaxNumberOfMessages?: number; WaitTimeSeconds?: number }, req: IncomingMessage, res: ServerResponse) {
    receiveCalls++;
    const deadline = Date.now() + (input.WaitTimeSeconds ?? 0) * 1000;
    while (visible().length === 0 && Date.now() < deadline && !req.socket.destroyed) {
      await new Promise<void>((resolve) => {
        const wake = () => (waiting.delete(wake), resolve());
        waiting.add(wake);
        setTimeout(wake, 100);
      });
    }
    const batch = visible().slice(0, input.MaxNumberOfMessages ?? 1);
    for (const m of batch) {
      m.visibleAt = Date.now() + visibilityMs;
      m.receipt = randomUUID();
      m.receives++;
    }
    answer(res, 200, {
      Messages: batch.map((m) => ({
        MessageId: m.id,
        ReceiptHandle: m.receipt,
        MD5OfBody: createHash('md5').update(m.body).digest('hex'),
        Body: m.body,
      })),
    });
  }

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const input = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target === 'AmazonSQS.ReceiveMessage') return receive(input, req, res);
    if (target === 'AmazonSQS.DeleteMessage') {
      const message = messages.find((m) => m.receipt === input.ReceiptHandle);
      if (options.holdDeletes) return; // never answered, never done
      if (message) {
        await options.onDelete?.(message.id);
        messages.splice(messages.indexOf(message), 1);
        deleted.push(message.id);
      }
      return answer(res, 200, {});
    }
    answer(res, 400, { __type: 'com.amazonaws.sqs#InvalidAction', message: `not in the stand-in: ${target}` });
  };
  const server = createServer((req, res) => void serve(req, res).catch(() => res.destroy()));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };

  return {
    queueUrl: `http://127.0.0.1:${port}/123456789012/ses-feedback`,
    options,
    deleted,
    receiveCalls: () => receiveCalls,
    /** Puts a message in the queue; returns its id. */
    send(body: string): string {
      const id = randomUUID();
      messages.push({ id, body, visibleAt: 0, receives: 0 });
      for (const wake of waiting) wake();
      return id;
    },
    receives: (id: string) => messages.find((m) => m.id === id)?.receives ?? null,
    inQueue: (id: string) => messages.some((m) => m.id === id),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
