import { DomainError } from '../common/domain-error.js';

export type WebhookErrorCode = 'unknown_delivery' | 'unknown_endpoint';

const STATUS = { unknown_delivery: 404, unknown_endpoint: 404 } as const satisfies Record<WebhookErrorCode, number>;

const MESSAGE = {
  unknown_delivery: 'There is no webhook delivery with this id.',
  unknown_endpoint: 'This URL is not one of the WEBHOOK_URLS endpoints.',
} as const satisfies Record<WebhookErrorCode, string>;

export class WebhookError extends DomainError<WebhookErrorCode> {
  constructor(code: WebhookErrorCode) {
    super(code, STATUS[code], MESSAGE[code]);
  }
}
