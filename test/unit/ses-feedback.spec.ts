import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/app.registry.js';
import { countsForRate, FeedbackFormatError, parseSesFeedback, recipientAddress } from '../../src/ses-feedback/ses-feedback.parser.js';

const base = { NODE_ENV: 'production', APP_SECRET: 'a-production-secret-of-at-least-32-characters' };

describe('SES feedback configuration', () => {
  it('refuses SNS_CERT_URL_PREFIXES in production with one line naming it', () => {
    expect(() => loadAppConfig({ ...base, SNS_CERT_URL_PREFIXES: 'https://127.0.0.1:9321/' })).toThrow(
      /^Invalid configuration: SNS_CERT_URL_PREFIXES [^\n]*$/,
    );
    expect(loadAppConfig({ ...base, NODE_ENV: 'test', SNS_CERT_URL_PREFIXES: 'https://127.0.0.1:9321/' }).SNS_CERT_URL_PREFIXES).toBe(
      'https://127.0.0.1:9321/',
    );
  });

  it('takes only https prefixes, topic ARNs and a configuration-set name', () => {
    expect(() => loadAppConfig({ SNS_CERT_URL_PREFIXES: 'http://127.0.0.1:9321/' })).toThrow(/SNS_CERT_URL_PREFIXES/);
    expect(() => loadAppConfig({ SES_SNS_TOPIC_ARNS: 'not-an-arn' })).toThrow(/SES_SNS_TOPIC_ARNS/);
    expect(() => loadAppConfig({ SES_CONFIGURATION_SET: 'has spaces' })).toThrow(/SES_CONFIGURATION_SET/);
    const env = loadAppConfig({
      NODE_ENV: 'test',
      SES_SNS_TOPIC_ARNS: 'arn:aws:sns:us-east-1:123456789012:a, arn:aws-cn:sns:cn-north-1:123456789012:b',
    });
    expect(env.SES_SOFT_BOUNCE_LIMIT).toBe(3);
    expect(env.SES_AUTO_PAUSE).toBe(false);
  });
});

describe('parseSesFeedback', () => {
  const mail = { messageId: 'm-1', timestamp: '2026-11-27T10:00:00.000Z' };

  it('reads both families and normalises the recipients', () => {
    const bounce = parseSesFeedback({
      eventType: 'Bounce',
      mail,
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'OnAccountSuppressionList',
        bouncedRecipients: [{ emailAddress: 'Jane <Jane@Example.COM>' }],
        feedbackId: 'f-1',
      },
    });
    expect(bounce).toEqual({
      kind: 'bounce',
      subtype: 'Permanent/OnAccountSuppressionList',
      recipients: [{ email: 'jane@example.com', diagnostic: undefined }],
      sesMessageId: 'm-1',
      feedbackId: 'f-1',
      mailSentAt: new Date(mail.timestamp),
    });
    // SES refusing to try (its account list) suppresses here too, but is not a bounce AWS counts.
    expect(countsForRate(bounce as { kind: string; subtype: string })).toBe(false);
    expect(parseSesFeedback({ notificationType: 'Delivery', mail })).toEqual({ kind: 'other', type: 'Delivery' });
    expect(recipientAddress(' A@B.co ')).toBe('a@b.co');
  });

  it('refuses what it does not know', () => {
    expect(() => parseSesFeedback({ notificationType: 'Nope', mail })).toThrow(FeedbackFormatError);
    expect(() => parseSesFeedback({ notificationType: 'Complaint', mail })).toThrow(FeedbackFormatError);
    expect(() => parseSesFeedback([])).toThrow(FeedbackFormatError);
  });
});
