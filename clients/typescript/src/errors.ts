import type { components } from './schema.js';

/** Every 4xx body: `code` is stable and machine-readable; `message` is English and may change. */
export type ApiErrorBody = components['schemas']['ErrorResponseDto'];

/** The service refused the request (a 4xx, or a 5xx while it cannot serve). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | null,
  ) {
    super(body ? `${status} ${body.code}: ${String(body.message)}` : `HTTP ${status}`);
    this.name = 'ApiError';
  }

  get code(): string | undefined {
    return this.body?.code;
  }
}

/** A 429: ask again after `retryAfterSeconds`. */
export class RateLimitedError extends ApiError {
  constructor(
    readonly retryAfterSeconds: number,
    body: ApiErrorBody | null,
  ) {
    super(429, body);
    this.name = 'RateLimitedError';
  }
}
