import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PAUSED, startSesFaultProxy } from '../support/ses-fault-proxy.js';
import { sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

const admin = { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` };

/**
 * The flag that says SES paused sending lives under QUEUE_PREFIX: two deployments on one Redis,
 * each with its own prefix (and SES account), do not pause each other.
 */
describe('the SES pause flag under QUEUE_PREFIX', () => {
  let paused: Stack;
  let other: Stack;
  let ses: Awaited<ReturnType<typeof startSesFaultProxy>>;

  beforeAll(async () => {
    ses = await startSesFaultProxy(() => PAUSED); // this deployment's SES account is paused
    paused = await startStack({ QUEUE_PREFIX: 'deployment-a', AWS_ENDPOINT_URL_SES: ses.url, SES_PAUSED_RETRY_SECONDS: '1' });
    other = await startStack({ QUEUE_PREFIX: 'deployment-b' });
  });
  afterAll(async () => {
    await other?.close();
    await paused?.close();
    await ses?.close();
  });
  beforeEach(async () => resetState(other));

  const sendingHealth = (stack: Stack) => request(stack.url).get('/health/sending').set(admin);

  it('pausing one deployment (SES answered AccountSendingPaused) leaves a deployment with another prefix sending', async () => {
    await sendingHealth(other).expect(200);
    await request(paused.url).post('/api/users').send({ email: 'paused.account@example.com' }).expect(202);
    const health = await waitFor(
      async () => {
        const res = await sendingHealth(paused);
        return res.status === 503 ? res.body : null;
      },
      { what: "the first deployment's /health/sending 503" },
    );
    expect(health.details.ses).toMatchObject({ status: 'down' });

    const res = await sendingHealth(other);
    expect({ status: res.status, ses: res.body.details?.ses?.status }).toEqual({ status: 200, ses: 'up' });
    await request(other.url).post('/api/users').send({ email: 'other.deployment@example.com' }).expect(202);
    await sesInbox.waitFor('other.deployment@example.com');
  });
});
