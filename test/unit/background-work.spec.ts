import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackgroundWork } from '../../src/common/background-work.service.js';

describe('BackgroundWork', () => {
  afterEach(() => vi.restoreAllMocks());

  it('runs after the answer, is awaited on shutdown, and logs a failure with the request that asked for it', async () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const background = new BackgroundWork();
    let ran = false;
    background.run('A password-reset request', { requestId: 'req-42' }, () => Promise.reject(new Error('database gone')));
    background.run('A sign-in code request', { requestId: null }, async () => {
      ran = true;
    });
    expect(ran).toBe(false); // not within the request's own turn
    await background.beforeApplicationShutdown();
    expect(ran).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith({ requestId: 'req-42', msg: 'A password-reset request failed: database gone' });
  });
});
