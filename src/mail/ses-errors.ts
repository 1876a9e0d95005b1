import { maskEmail } from '../logging/mask-email.js';

export type SendFailure = 'permanent' | 'paused' | 'transient';

// Errors that will not change on retry: the address or the sender setup is wrong.
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerified',
  'MailFromDomainNotVerifiedException',
  'InvalidParameterValue',
  'InvalidParameterValueException',
  'ConfigurationSetDoesNotExist',
  'ConfigurationSetDoesNotExistException',
]);
const PAUSED = new Set(['AccountSendingPaused', 'AccountSendingPausedException', 'ConfigurationSetSendingPausedException']);

/** Throttling, 5xx and network errors are transient: the queue retries them with backoff. */
export function classifySendError(error: unknown): SendFailure {
  const name = (error as { name?: string; Code?: string })?.name ?? '';
  if (PERMANENT.has(name)) return 'permanent';
  if (PAUSED.has(name)) return 'paused';
  return 'transient';
}

const ADDRESS = /[^\s<>()",;:]+@[^\s<>()",;:]+\.[A-Za-z]{2,}/g;

/** `Name: message`, with any address in SES's message masked (sandbox rejections quote the recipient). */
export function describeSendError(error: unknown): string {
  const e = error as { name?: string; message?: string };
  const message = (e?.message ?? String(error)).replace(ADDRESS, (address) => maskEmail(address));
  return `${e?.name ?? 'Error'}: ${message}`.slice(0, 500);
}
