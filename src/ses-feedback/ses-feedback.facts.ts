import { Fact, ObservedFact } from '../database/fact.js';
import type { SuppressionReason } from '../mail/suppressions.repository.js';

/** SES feedback put an address on the suppression list: nothing more is sent to it until an admin lifts it. */
export class AddressSuppressed extends Fact<{ email: string; userId: string | null; reason: SuppressionReason; detail: string }> {}

/** One bounce or complaint recipient of a new message (not a redelivered one), for metrics. */
export class SesFeedbackReceived extends ObservedFact<{ kind: 'bounce' | 'complaint'; subtype: string }> {}

/** An SQS feedback message deleted unhandled, as it never could be (not JSON, unknown type, forged, another topic). */
export class SesFeedbackDropped extends ObservedFact<{ reason: string }> {}

export const SES_FEEDBACK_FACTS = [AddressSuppressed, SesFeedbackReceived, SesFeedbackDropped];
