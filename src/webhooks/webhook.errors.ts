import { DomainError } from '../common/domain-error.js';

export type WebhookErrorCode = 'unknown_delivery' | 'unknown_endpoint' | 'unknown_type';

const STATUS = { unknown_delivery: 404, unknown_endpoint: 404, unknown_type: 400 } as const satisfies Record<WebhookErrorCode, number>;

const MESSAGE = {
  unknown_delivery: 'There is no webhook delivery with this id.',
  unknown_endpoint: 'This URL is not one of the WEBHOOK_URLS endpoints.',
  unknown_type: 'type must be one of the webhook event types',
} as const satisfies Record<WebhookErrorCode, string>;

export class WebhookError extends DomainError<WebhookErrorCode> {
  /** `types`: for unknown_type, the types there are, named in the message. */
  constructor(code: WebhookErrorCode, types?: readonly string[]) {
    super(code, STATUS[code], types ? `${MESSAGE[code]}: ${types.join(', ')}` : MESSAGE[code]);
  }
}
