import request from 'supertest';
import { SYSTEM_CONTEXT } from '../../src/common/request-context.js';
import { SendingPauseService } from '../../src/mail/sending-pause.service.js';
import { SuppressionsService } from '../../src/mail/suppressions.service.js';
import { waitUntilIdle } from './metrics.js';
import { sesInbox } from './ses-inbox.js';
import type { Stack } from './stack.js';
import type { SnsMessage } from './sns.js';

/** Empties what SES feedback leaves behind (suppressions, handled messages, feedback) and ends an automatic pause. */
export async function resetFeedback(stack: Stack): Promise<void> {
  const suppressions = stack.web.get(SuppressionsService);
  for (const { email } of await suppressions.list()) await suppressions.lift(email);
  await stack.testApi.sesFeedback.forgetFeedback();
  const sending = stack.web.get(SendingPauseService);
  if ((await sending.autoPauseState()).pausedAt) await sending.resumeAutomaticPause(SYSTEM_CONTEXT);
}

/** Posts an SNS message as SNS does: text/plain JSON with the message type header. */
export const postSns = (stack: Stack, message: SnsMessage | string, type?: string) =>
  request(stack.url)
    .post('/webhooks/ses')
    .set('content-type', 'text/plain; charset=UTF-8')
    .set(type || typeof message !== 'string' ? { 'x-amz-sns-message-type': type ?? (message as SnsMessage).Type } : {})
    .send(typeof message === 'string' ? message : JSON.stringify(message));

/** The SES message id of the last email sent to the address (what a bounce refers to), once the worker has recorded the send. */
export async function sesMessageId(stack: Stack, email: string): Promise<string> {
  // The emulator stores the email a moment before the worker records the send; the queue is idle once it has.
  await waitUntilIdle(stack.url);
  const sent = await sesInbox.to(email);
  if (sent.length === 0) throw new Error(`No email to ${email}`);
  return sent[sent.length - 1].messageId;
}

/** Everything SES feedback changes: suppressions, handled messages, recorded feedback, the automatic pause. */
export async function feedbackCounts(stack: Stack) {
  return {
    suppressions: (await stack.web.get(SuppressionsService).list()).length,
    ...(await stack.testApi.sesFeedback.counts()),
    paused: (await stack.web.get(SendingPauseService).autoPauseState()).pausedAt !== null,
  };
}
