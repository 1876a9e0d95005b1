import { DomainError } from '../common/domain-error.js';

/** Listed for the OpenAPI document as well as typed. */
export const ADMIN_AUTH_ERROR_CODES = ['admin_token_required', 'admin_bearer_required', 'admin_disabled', 'admin_locked_out'] as const;

export type AdminAuthErrorCode = (typeof ADMIN_AUTH_ERROR_CODES)[number];

const STATUS = {
  admin_token_required: 401,
  admin_bearer_required: 401,
  admin_disabled: 401,
  admin_locked_out: 429,
} as const satisfies Record<AdminAuthErrorCode, number>;

const MESSAGE = {
  admin_token_required: 'A valid admin token is required',
  admin_bearer_required:
    'Send the admin token as Authorization: Bearer <token>. HTTP Basic is accepted only by the HTML admin pages under /admin.',
  admin_disabled: 'Admin is disabled: set ADMIN_TOKEN to enable it',
  admin_locked_out: 'Too many failed admin logins from your address. Try again later.',
} as const satisfies Record<AdminAuthErrorCode, string>;

/** Why a request was not let into admin; `headers` carry the login challenge or the Retry-After. */
export class AdminAuthError extends DomainError<AdminAuthErrorCode> {
  constructor(code: AdminAuthErrorCode, headers: Record<string, string>) {
    super(code, STATUS[code], MESSAGE[code], headers);
  }
}
