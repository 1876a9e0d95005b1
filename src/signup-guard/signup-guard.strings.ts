/**
 * Every string the guard adds to the pages, in one place (the API's `message`s stay English in
 * signup-guard.errors.ts). Page errors next to a field are the API's message, said for a person.
 */
export const SIGNUP_GUARD_STRINGS = {
  /** Beside the widget when the check failed: what happened and what to do. */
  challengeFailed: 'The automatic anti-bot check did not pass. Please let it finish (it takes a second or two) and send the form again.',
  challengeUnavailable: 'The anti-bot check could not be verified right now, so nothing was sent. Please try again in a moment.',
  /** Shown when scripts are off: the widget cannot run without them. */
  noScript: 'This form runs a short automatic anti-bot check in your browser, which needs JavaScript. Please turn it on for this site.',
  /** The group's accessible name around the widget. */
  widgetLabel: 'Anti-bot check',
} as const;
