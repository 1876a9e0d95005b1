import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackgroundWork } from '../../src/common/background-work.service.js';
import { confirmedAccount } from '../support/accounts.js';
import { waitUntilIdle } from '../support/metrics.js';
import { startSesFaultProxy } from '../support/ses-fault-proxy.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

/** SES_CONFIGURATION_SET (where SES publishes bounces and complaints) is named on every SendEmail call, whatever the email. */
describe('SES_CONFIGURATION_SET', () => {
  let stack: Stack;
  let ses: Awaited<ReturnType<typeof startSesFaultProxy>>;

  beforeAll(async () => {
    ses = await startSesFaultProxy(() => null); // passes every call on to the emulator, noting what it named
    stack = await startStack({ AWS_ENDPOINT_URL_SES: ses.url, SES_CONFIGURATION_SET: 'signup-feedback' });
  });
  afterAll(async () => {
    await stack?.close();
    await ses?.close();
  });
  beforeEach(async () => resetState(stack));

  it('is named in every SendEmail call', async () => {
    const email = await confirmedAccount(stack, 'configured@example.com');
    await request(stack.url).post('/api/password-resets').send({ email }).expect(202);
    await request(stack.url).post('/api/sign-in-codes').send({ email }).expect(202);
    await request(stack.url).post('/api/users').send({ email: 'second@example.com' }).expect(202);
    await stack.web.get(BackgroundWork).settled();
    await waitUntilIdle(stack.url);

    expect(ses.log).toHaveLength(4); // confirmation, reset, code, second confirmation
    expect(ses.log.map((call) => call.configurationSet)).toEqual(ses.log.map(() => 'signup-feedback'));
  });
});
