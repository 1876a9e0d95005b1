import { describe, expect, it } from 'vitest';
import { maskEmail } from '../../src/logging/mask-email.js';
import { classifySendError, describeSendError } from '../../src/mail/ses-errors.js';

const named = (name: string) => Object.assign(new Error('x'), { name });

describe('SES error classification', () => {
  it.each([
    ['MessageRejected', 'permanent'],
    ['MailFromDomainNotVerifiedException', 'permanent'],
    ['InvalidParameterValue', 'permanent'],
    ['AccountSendingPausedException', 'paused'],
    ['Throttling', 'transient'],
    ['ServiceUnavailable', 'transient'],
    ['ECONNREFUSED', 'transient'],
  ])('%s is %s', (name, kind) => {
    expect(classifySendError(named(name))).toBe(kind);
  });
});

describe('maskEmail', () => {
  it('keeps only enough of an address to tell log lines apart', () => {
    expect(maskEmail('ada.lovelace@example.com')).toBe('a***@e***.com');
    expect(maskEmail('ada.lovelace@example.com')).not.toContain('lovelace');
  });
});

describe('describeSendError', () => {
  it('masks the recipient SES quotes in a sandbox rejection', () => {
    const error = Object.assign(
      new Error('Email address is not verified. The following identities failed the check in region US-EAST-1: ada.lovelace@example.com'),
      { name: 'MessageRejected' },
    );
    const text = describeSendError(error);
    expect(text).toMatch(/^MessageRejected: Email address is not verified/);
    expect(text).toContain('a***@e***.com');
    expect(text).not.toContain('lovelace');
  });
});
