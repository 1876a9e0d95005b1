import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfirmationReminders } from '../../src/users/confirmation-reminders.service.js';
import { WorkerModule } from '../../src/worker.module.js';
import { waitUntilIdle } from '../support/metrics.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

const REMINDER_AFTER_SECONDS = 2;
const REMINDER_SUBJECT = 'Reminder: confirm your email address';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the one confirmation reminder', () => {
  let stack: Stack;
  let extraWorker: INestApplicationContext | undefined;
  beforeAll(async () => (stack = await startStack({ CONFIRMATION_REMINDER_AFTER_SECONDS: String(REMINDER_AFTER_SECONDS) })));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));
  afterEach(async () => {
    await extraWorker?.close();
    extraWorker = undefined;
  });

  const signUp = (email: string) => request(stack.url).post('/api/users').send({ email }).expect(202);
  /** Runs a reminder scan in the worker now, so "nothing more" is checked after one surely happened. */
  const scanNow = () => stack.worker!.get(ConfirmationReminders).sendDue();

  it('sends one reminder with a fresh, working link to an address still unconfirmed, and never a second', async () => {
    await signUp('forgetful@example.com');
    const [first] = await sesInbox.waitFor('forgetful@example.com');
    const emails = await sesInbox.waitFor('forgetful@example.com', 2, 10_000);
    expect(emails[1].subject).toBe(REMINDER_SUBJECT);
    expect(emails[1].body.html).toContain('/confirm/');
    const fresh = linkToken(emails[1]);
    expect(fresh).not.toBe(linkToken(first));

    await pause(REMINDER_AFTER_SECONDS * 1000 + 500); // due again, had it not been sent once already
    expect(await scanNow()).toBe(0);
    await waitUntilIdle(stack.url);
    expect(await sesInbox.to('forgetful@example.com')).toHaveLength(2);
    await request(stack.url)
      .post('/api/confirmations')
      .send({ token: fresh })
      .expect(200, { status: 'confirmed', email: 'forgetful@example.com' });
  });

  it('sends none to an address confirmed in time', async () => {
    await signUp('prompt@example.com');
    const token = linkToken((await sesInbox.waitFor('prompt@example.com'))[0]);
    await request(stack.url).post('/api/confirmations').send({ token }).expect(200);
    await pause(REMINDER_AFTER_SECONDS * 1000 + 500);
    expect(await scanNow()).toBe(0);
    await waitUntilIdle(stack.url);
    // Only the link: a confirmed address may be sent other emails, but no reminder.
    expect(await sesInbox.to('prompt@example.com', REMINDER_SUBJECT)).toEqual([]);
    expect(await sesInbox.to('prompt@example.com', 'Confirm your email address')).toHaveLength(1);
  });

  it('sends it once with two workers scanning', async () => {
    extraWorker = await NestFactory.createApplicationContext(WorkerModule.forRoot(stack.env), { logger: ['error', 'warn'] });
    await signUp('twice.scanned@example.com');
    await sesInbox.waitFor('twice.scanned@example.com', 2, 10_000);
    await pause(REMINDER_AFTER_SECONDS * 1000 + 500);
    expect(await scanNow()).toBe(0);
    await waitUntilIdle(stack.url);
    expect((await sesInbox.to('twice.scanned@example.com')).map((e) => e.subject)).toEqual([
      'Confirm your email address',
      REMINDER_SUBJECT,
    ]);
  });

  it('sends it after a restart when it fell due while no worker ran', async () => {
    await signUp('while.down@example.com');
    await sesInbox.waitFor('while.down@example.com');
    await stack.worker!.close();
    await pause(REMINDER_AFTER_SECONDS * 1000 + 500);
    stack.worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(stack.env), { logger: ['error', 'warn'] });
    const emails = await sesInbox.waitFor('while.down@example.com', 2, 10_000);
    expect(emails[1].subject).toBe(REMINDER_SUBJECT);
    expect(await scanNow()).toBe(0);
  });
});
