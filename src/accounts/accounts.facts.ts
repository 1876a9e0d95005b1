import { Fact } from '../database/fact.js';

type AboutUser = { userId: string; email: string };

/**
 * The password was set while signed in (`set`, a first one), changed while signed in (`change`) or
 * reset through an emailed link (`reset`). `sessionId`: the session that made it, which stays signed
 * in (null for a reset: every session ends).
 */
export class PasswordChanged extends Fact<AboutUser & { how: 'set' | 'change' | 'reset'; sessionId: string | null }> {}

/** A signed-in user asked to move the account to `newEmail` (proved by its link); `email` is the current address. */
export class EmailChangeRequested extends Fact<AboutUser & { newEmail: string; sessionId: string }> {}

/** The new address's link was used: `email` replaced `previousEmail`. `sessionId`: the session that asked, which stays signed in. */
export class EmailChanged extends Fact<AboutUser & { previousEmail: string; sessionId: string }> {}

/**
 * Someone asked for a sign-in code for a confirmed address, within the budgets (SignInCodeBudget).
 * `requester`: an opaque tag of who asked; their next code voids this one, nobody else's does.
 */
export class SignInCodeRequested extends Fact<AboutUser & { requester: string }> {}

/** Someone asked for a password-reset link for a confirmed address. */
export class PasswordResetRequested extends Fact<AboutUser> {}

export const ACCOUNTS_FACTS = [PasswordChanged, EmailChangeRequested, EmailChanged, SignInCodeRequested, PasswordResetRequested];
