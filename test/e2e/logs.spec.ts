import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServices } from '../support/processes.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';

describe('logs (real processes at debug level)', () => {
  let services: Awaited<ReturnType<typeof runServices>>;
  beforeAll(async () => (services = await runServices({ LOG_LEVEL: 'debug' })));
  afterAll(async () => services?.stop());

  it('never contain a full address, a token or a secret across a sign-up and a confirmation', async () => {
    const address = `log.secret.${Date.now()}@example.com`;
    const post = (path: string, body: object) =>
      fetch(`${services.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/api/users', { email: address })).status).toBe(202);
    const token = linkToken((await sesInbox.waitFor(address))[0]);
    expect((await post('/api/confirmations', { token })).status).toBe(200);
    await fetch(`${services.url}/api/admin/users`, { headers: { authorization: `Bearer ${process.env.ADMIN_TOKEN}` } });
    await new Promise((r) => setTimeout(r, 300));

    const logs = services.web.output() + services.worker.output();
    expect(logs).toContain('l***@e***.com'); // the worker did log the send, masked
    expect(logs).not.toContain(address);
    expect(logs).not.toContain(address.split('@')[0]);
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(process.env.APP_SECRET!);
    expect(logs).not.toContain(process.env.ADMIN_TOKEN!);
  });
});
