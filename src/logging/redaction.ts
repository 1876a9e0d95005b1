import { maskEmail } from './mask-email.js';

// A malformed escape (`?email=%E0`) must not turn a log line into a 500.
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * First path segments whose next segment is a secret, and query keys whose value is: the token
 * parts of emailed links, added by the email kinds at start-up (see protectLinkSecrets). The router
 * ignores case and decodes %-escapes, so each segment is compared decoded and lower-cased:
 * `/Confirm/<token>` and `/%63onfirm/<token>` reach the same handler as `/confirm/<token>`.
 */
const tokenisedPaths = new Set<string>();
const secretQueryKeys = new Set<string>(['token']);
const maskedQueryKeys = new Set<string>(['email']);

/**
 * Registers the token part of emailed links (`/confirm/:token`, `/sign-in?code=:token`, after
 * APP_URL) so that no log line carries it: the path segment before `:token`, or the query key whose
 * value it is. Called by the registry of email kinds.
 */
export function protectLinkSecrets(links: readonly string[]): void {
  for (const link of links) {
    const [path, query = ''] = link.split('?', 2);
    const segments = path.split('/').filter(Boolean);
    const at = segments.indexOf(':token');
    if (at > 0) tokenisedPaths.add(segments[at - 1].toLowerCase());
    for (const pair of query.split('&')) {
      const [key, value] = pair.split('=', 2);
      if (value === ':token') secretQueryKeys.add(key.toLowerCase());
    }
    if (at < 0 && !query.includes(':token')) throw new Error(`The link ${link} carries no :token`);
  }
}

/** Everything after a tokenised segment (the token, and whatever may follow it) is replaced. */
function redactPath(path: string): string {
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const name = safeDecode(segments[i]).toLowerCase();
    const slash = name.indexOf('/'); // an escaped slash (%2F) inside one segment
    if (tokenisedPaths.has(slash >= 0 ? name.slice(0, slash) : name)) {
      if (slash >= 0) return [...segments.slice(0, i), '[REDACTED]'].join('/');
      if (i + 1 < segments.length) return [...segments.slice(0, i + 1), '[REDACTED]'].join('/');
    }
  }
  return path;
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const key = safeDecode(pair.slice(0, eq).replaceAll('+', ' ')).toLowerCase();
      if (secretQueryKeys.has(key)) return `${pair.slice(0, eq)}=[REDACTED]`;
      if (maskedQueryKeys.has(key)) return `${pair.slice(0, eq)}=${maskEmail(safeDecode(pair.slice(eq + 1)))}`;
      return pair;
    })
    .join('&');
}

/** A URL as it may be logged: no tokens of emailed links, no `?token=`, no full `?email=` address. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? redactPath(url) : `${redactPath(url.slice(0, q))}?${redactQuery(url.slice(q + 1))}`;
}
