import { EMAIL_KINDS } from './email-kinds.js';
import { emailKindProblems } from './email-templates.js';

/** For the entry points: a kind with a missing or broken template stops the process with one line naming it. */
export function checkEmailKindsOrExit(): void {
  const [problem] = emailKindProblems(EMAIL_KINDS);
  if (!problem) return;
  process.stderr.write(`Invalid email kinds: ${problem}\n`);
  process.exit(1);
}
