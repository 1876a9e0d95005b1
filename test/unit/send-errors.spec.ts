import { describe, expect, it } from 'vitest';
import { maskEmail } from '../../src/common/mask-email.js';
import { classifySendError } from '../../src/mail/ses-errors.js';

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
