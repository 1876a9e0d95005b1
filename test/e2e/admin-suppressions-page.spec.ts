import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_CONTEXT } from '../../src/common/request-context.js';
import { DatabaseService } from '../../src/database/database.service.js';
import { SendingPauseService } from '../../src/mail/sending-pause.service.js';
import { SuppressionsService } from '../../src/mail/suppressions.service.js';
import { adminToken, csrfFrom } from '../support/api.js';
import { resetFeedback } from '../support/ses-feedback.js';
import { waitFor } from '../support/wait-for.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

const BASIC = `Basic ${Buffer.from(`operator:${adminToken()}`).toString('base64')}`;

/** The /admin/suppressions page as an operator's browser uses it: HTTP Basic, forms with CSRF tokens, 303 back with a message. */
describe('the /admin/suppressions page', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({}, { worker: false })));
  afterAll(async () => stack?.close());
  beforeEach(async () => {
    await resetState(stack);
    await resetFeedback(stack);
  });

  const browser = () => request.agent(stack.url).set('Authorization', BASIC);
  const suppress = (email: string, reason: 'bounce' | 'complaint', detail: string) =>
    stack.web
      .get(DatabaseService)
      .transaction(SYSTEM_CONTEXT, (tx) => stack.web.get(SuppressionsService).suppress(tx, email, reason, detail));

  it('asks for the admin credentials (HTTP Basic) and refuses a write without the CSRF token of the page', async () => {
    const page = await request(stack.url).get('/admin/suppressions').expect(401);
    expect(page.headers['www-authenticate']).toMatch(/^Basic/);
    await suppress('kept@example.com', 'bounce', 'Permanent/General');
    const res = await browser().post('/admin/suppressions/lift').type('form').send({ email: 'kept@example.com' });
    expect(res.status).toBe(403);
    expect((await stack.web.get(SuppressionsService).list()).map((s) => s.email)).toEqual(['kept@example.com']);
  });

  it('lists the suppressed addresses with why, and Lift lets emails go to one again', async () => {
    await suppress('bounced@example.com', 'bounce', 'Permanent/General: smtp; 550 user unknown');
    await suppress('angry@example.com', 'complaint', 'Complaint/abuse');
    const agent = browser();
    const page = (await agent.get('/admin/suppressions').expect(200)).text;
    expect(page).toMatch(/<td>bounced@example.com<\/td><td>bounce<\/td><td>Permanent\/General: smtp; 550 user unknown<\/td>/);
    expect(page).toMatch(/<td>angry@example.com<\/td><td>complaint<\/td><td>Complaint\/abuse<\/td>/);

    const lifted = await agent
      .post('/admin/suppressions/lift')
      .type('form')
      .send({ email: 'bounced@example.com', _csrf: csrfFrom(page) });
    expect({ status: lifted.status, location: lifted.headers.location }).toEqual({ status: 303, location: '/admin/suppressions' });
    const after = (await agent.get('/admin/suppressions').expect(200)).text;
    expect(after).toContain('Suppression lifted');
    expect(after).not.toContain('bounced@example.com');
    expect(after).toContain('angry@example.com');
  });

  it('offers Resume only while sending is paused automatically, and Resume ends the pause', async () => {
    const agent = browser();
    expect((await agent.get('/admin/suppressions').expect(200)).text).not.toContain('action="/admin/sending/resume"');

    await stack.web.get(SendingPauseService).pauseAutomatically('bounce rate 6.00 % over 5 %');
    // The page reads the reputation at most once a second.
    const paused = await waitFor(
      async () => {
        const text = (await agent.get('/admin/suppressions').expect(200)).text;
        return text.includes('Sending is paused automatically') ? text : null;
      },
      { what: 'the page showing the pause' },
    );
    expect(paused).toContain('bounce rate 6.00 % over 5 %');
    expect(paused).toContain('action="/admin/sending/resume"');

    await agent
      .post('/admin/sending/resume')
      .type('form')
      .send({ _csrf: csrfFrom(paused) })
      .expect(303);
    expect((await stack.web.get(SendingPauseService).autoPauseState()).pausedAt).toBeNull();
    const resumed = (await agent.get('/admin/suppressions').expect(200)).text;
    expect(resumed).toContain('Sending resumed');
    expect(resumed).not.toContain('action="/admin/sending/resume"');
  });
});
