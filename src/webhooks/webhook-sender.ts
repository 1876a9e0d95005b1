import { Injectable } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { Environment } from '../config/environment.js';
import type { WebhookDelivery } from './webhook-delivery.js';

const TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 1024;
// A Retry-After beyond a day is taken as a day: the schedule keeps its shape.
const MAX_RETRY_AFTER_MS = 86_400_000;

/** What one attempt came to. `gone` is a 410: the endpoint asks not to be called again. */
export type AttemptResult =
  | { outcome: 'sent'; status: number }
  | { outcome: 'retry'; error: string; retryAfterMs?: number }
  | { outcome: 'gone'; error: string }
  | { outcome: 'failed'; error: string };

/** The body of a delivery: the same bytes on every attempt, keys in the documented order. */
export const deliveryBody = (d: WebhookDelivery): string =>
  JSON.stringify({ type: d.payload.type, timestamp: d.payload.timestamp, data: d.payload.data });

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS) : undefined;
}

/**
 * Worker only: one signed POST per attempt (Standard Webhooks, with the `standardwebhooks` package):
 * `webhook-id` is the delivery's id, the same on every attempt; `webhook-signature` carries one
 * signature per WEBHOOK_SECRET. No redirects followed, 10 s for the whole exchange, at most 1 kB of
 * the answer read.
 */
@Injectable()
export class WebhookSender {
  private readonly signers: Webhook[];

  constructor(env: Environment) {
    this.signers = env.WEBHOOK_SECRET.map((secret) => new Webhook(secret));
  }

  /** The three Standard Webhooks headers for this body, signed now. */
  sign(id: string, body: string, at = new Date()): Record<string, string> {
    return {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': this.signers.map((signer) => signer.sign(id, at, body)).join(' '),
    };
  }

  async send(delivery: WebhookDelivery): Promise<AttemptResult> {
    const body = deliveryBody(delivery);
    let response: Response;
    let answer: string;
    const signal = AbortSignal.timeout(TIMEOUT_MS);
    try {
      response = await fetch(delivery.endpoint, {
        method: 'POST',
        redirect: 'manual',
        signal,
        headers: { 'content-type': 'application/json', 'user-agent': 'signup-confirm-webhooks/1', ...this.sign(delivery.id, body) },
        body,
      });
      answer = await readAtMost(response, MAX_BODY_BYTES);
    } catch (error) {
      return { outcome: 'retry', error: signal.aborted ? `timed out after ${TIMEOUT_MS / 1000} s` : describeNetworkError(error) };
    }
    const { status } = response;
    if (status >= 200 && status < 300) return { outcome: 'sent', status };
    const error = `HTTP ${status}${answer ? `: ${printable(answer)}` : ''}`;
    if (status === 410) return { outcome: 'gone', error };
    if (status === 429 || status >= 500)
      return { outcome: 'retry', error, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
    if (status >= 300 && status < 400) return { outcome: 'failed', error: `HTTP ${status}: redirects are not followed` };
    return { outcome: 'failed', error };
  }
}

/**
 * Reads the start of the answer and drops the rest. The status already says how the attempt went,
 * so a body cut short (reset, timeout) is just shorter.
 */
async function readAtMost(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // keep what arrived
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

const printable = (text: string): string =>
  text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .trim()
    .slice(0, 200);

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `network error: ${cause.code}`;
  return `network error: ${cause?.message ?? (error as Error).message ?? String(error)}`;
}
