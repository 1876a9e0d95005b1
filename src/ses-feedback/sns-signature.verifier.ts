import { Injectable } from '@nestjs/common';
import { createVerify } from 'node:crypto';
import { get } from 'node:https';
import MessageValidator from 'sns-validator';
import { withTimeout } from '../common/with-timeout.js';
import { Environment } from '../config/environment.js';
import { SnsRejection } from './ses-feedback.errors.js';
import type { SnsEnvelope } from './sns-envelope.js';

const FETCH_TIMEOUT_MS = 5_000;
const MAX_CERTIFICATE_BYTES = 16 * 1024;
// SNS's own hosts; the region must be the topic's. Only plain characters: the URL is parsed twice
// (here with WHATWG URL, in sns-validator with url.parse), and both must see the same host.
const AWS_CERT_URL = /^https:\/\/sns\.([a-z0-9-]{3,})\.amazonaws\.com(\.cn)?\/[A-Za-z0-9._/-]+\.pem$/;
const AWS_SUBSCRIBE_URL = /^https:\/\/sns\.([a-z0-9-]{3,})\.amazonaws\.com(\.cn)?\/\?[A-Za-z0-9._~%&=:-]+$/;
const PEM_PATH = /^[A-Za-z0-9._/-]+\.pem$/;
const QUERY_PATH = /^[A-Za-z0-9._/-]*\?[A-Za-z0-9._~%&=:-]+$/;

// AWS signs an UnsubscribeConfirmation like a SubscriptionConfirmation (with Token); sns-validator
// 0.3.5 builds it like a Notification, so genuine ones fail there: this module checks them itself.
const SUBSCRIPTION_KEYS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Checks an SNS message's signature (SignatureVersion 1, RSA-SHA1, and 2, RSA-SHA256) against the
 * certificate it names, fetched only over HTTPS from sns.<region>.amazonaws.com(.cn), a `.pem`
 * path, and cached (by sns-validator for every type but UnsubscribeConfirmation, here for that one).
 * Outside production SNS_CERT_URL_PREFIXES may name more places (tests, emulators).
 */
@Injectable()
export class SnsSignatureVerifier {
  private readonly prefixes: string[];
  private readonly certificates = new Map<string, Promise<string>>();

  constructor(env: Environment) {
    this.prefixes =
      env.NODE_ENV === 'production'
        ? []
        : (env.SNS_CERT_URL_PREFIXES ?? '')
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean);
  }

  async verify(message: SnsEnvelope): Promise<void> {
    const certUrl = message.SigningCertURL;
    if (!this.allowed(certUrl, AWS_CERT_URL, PEM_PATH, message.TopicArn)) {
      throw new SnsRejection(
        'certificate-url-not-allowed',
        'The signing certificate URL is not an SNS certificate (https://sns.<region>.amazonaws.com/….pem)',
      );
    }
    if (message.SignatureVersion !== '1' && message.SignatureVersion !== '2') {
      throw new SnsRejection('bad-signature', 'Only SignatureVersion 1 and 2 are supported');
    }
    if (message.Type === 'UnsubscribeConfirmation') return this.verifySubscriptionSigned(message);
    const validator = new MessageValidator(new RegExp(`^${escapeRegExp(new URL(certUrl).host)}$`));
    await withTimeout(
      new Promise<void>((resolve, reject) => validator.validate({ ...message }, (error) => (error ? reject(error) : resolve()))),
      FETCH_TIMEOUT_MS,
      'timeout',
    ).catch((error: Error) => {
      throw this.rejection(error);
    });
  }

  /** Whether a SubscribeURL may be fetched: SNS's own host in the topic's region (or a configured prefix). */
  subscribeUrlAllowed(url: string, topicArn: string): boolean {
    return this.allowed(url, AWS_SUBSCRIBE_URL, QUERY_PATH, topicArn);
  }

  private allowed(url: string, aws: RegExp, rest: RegExp, topicArn: string): boolean {
    const match = aws.exec(url);
    if (match) return match[1] === topicArn.split(':')[3];
    return this.prefixes.some((prefix) => url.startsWith(prefix) && rest.test(url.slice(prefix.length)));
  }

  private async verifySubscriptionSigned(message: SnsEnvelope): Promise<void> {
    const certificate = await this.certificate(message.SigningCertURL).catch((error: Error) => {
      throw this.rejection(error);
    });
    const verifier = createVerify(message.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
    for (const key of SUBSCRIPTION_KEYS) {
      const value = message[key];
      if (typeof value !== 'string') throw new SnsRejection('malformed', `The ${message.Type} has no ${key}`);
      verifier.update(`${key}\n${value}\n`, 'utf8');
    }
    let valid: boolean;
    try {
      valid = verifier.verify(certificate, message.Signature, 'base64');
    } catch {
      valid = false;
    }
    if (!valid) throw new SnsRejection('bad-signature', 'The message signature is invalid');
  }

  private certificate(url: string): Promise<string> {
    let cached = this.certificates.get(url);
    if (!cached) {
      cached = withTimeout(fetchCertificate(url), FETCH_TIMEOUT_MS, 'timeout');
      cached.catch(() => this.certificates.delete(url));
      if (this.certificates.size >= 100) this.certificates.clear();
      this.certificates.set(url, cached);
    }
    return cached;
  }

  /** A certificate that cannot be had from an allowed place is a bad message (4xx), unless the place did not answer (5xx: SNS retries). */
  private rejection(error: Error): SnsRejection {
    if (error instanceof SnsRejection) return error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (error.message === 'timeout' || /^(ECONN|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EHOSTUNREACH|ENETUNREACH)/.test(code)) {
      return new SnsRejection('certificate-unavailable', 'The SNS signing certificate could not be fetched just now; try again');
    }
    if (/certificate could not be retrieved/i.test(error.message)) {
      return new SnsRejection('bad-signature', 'The signing certificate could not be retrieved');
    }
    return new SnsRejection('bad-signature', 'The message signature is invalid');
  }
}

function fetchCertificate(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error('Certificate could not be retrieved'));
        return;
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_CERTIFICATE_BYTES) req.destroy(new Error('Certificate could not be retrieved'));
      });
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
