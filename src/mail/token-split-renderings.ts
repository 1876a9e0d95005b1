import type { IssuedToken } from '../tokens/tokens.service.js';
import type { RenderedEmail } from './email-templates.js';

/** Characters no template escaping changes (Handlebars escapes & < > " ' ` =). */
const PLAIN_TOKEN = /^[A-Za-z0-9_-]+$/;
const MAX_ENTRIES = 256;
/** The stand-in's expiry differs from the real one by more than any rounding a template could do. */
const STAND_IN_EXPIRY_SHIFT_MS = (86_400 + 3_600 + 60 + 1) * 1000;

type Split = { [Part in keyof RenderedEmail]: string[] };
const SEEN_ONCE = Symbol('seen once');
const UNSPLITTABLE = Symbol('unsplittable');

/**
 * Emails of one kind, language and payload usually differ only by their token, which the templates
 * insert as it is. Such a rendering is kept split at the token and joined around the next one,
 * which is cheaper than rendering. That a kind's templates use the token only that way is checked,
 * not assumed: the second time a key is seen, the email is rendered again with a stand-in token
 * (and another expiry), and the split is kept only when joining the real token into it gives
 * exactly the real rendering; otherwise that key is always rendered in full. What the check cannot
 * see is a variable that reads the clock itself (both renderings happen at the same moment): a kind
 * must take times from its payload or its token, as every kind does now.
 */
export class TokenSplitRenderings {
  private readonly entries = new Map<string, Split | typeof SEEN_ONCE | typeof UNSPLITTABLE>();

  /** `key` names everything but the token that the rendering depends on. */
  render(key: string, token: IssuedToken, renderWith: (token: IssuedToken) => RenderedEmail): RenderedEmail {
    if (!PLAIN_TOKEN.test(token.value)) return renderWith(token);
    const entry = this.entries.get(key);
    if (entry === UNSPLITTABLE) return renderWith(token);
    if (entry !== undefined && entry !== SEEN_ONCE) return joined(entry, token.value);
    const rendered = renderWith(token);
    this.remember(key, entry === SEEN_ONCE ? splitAtToken(rendered, token, renderWith) : SEEN_ONCE);
    return rendered;
  }

  private remember(key: string, entry: Split | typeof SEEN_ONCE | typeof UNSPLITTABLE): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }
}

function splitAtToken(rendered: RenderedEmail, token: IssuedToken, renderWith: (token: IssuedToken) => RenderedEmail) {
  const standIn = standInFor(token.value);
  if (standIn === token.value) return UNSPLITTABLE;
  const other = renderWith({ ...token, value: standIn, expiresAt: new Date(token.expiresAt.getTime() + STAND_IN_EXPIRY_SHIFT_MS) });
  const split: Split = { subject: other.subject.split(standIn), text: other.text.split(standIn), html: other.html.split(standIn) };
  const same = (['subject', 'text', 'html'] as const).every((part) => split[part].join(token.value) === rendered[part]);
  return same ? split : UNSPLITTABLE;
}

const joined = (split: Split, value: string): RenderedEmail => ({
  subject: split.subject.join(value),
  text: split.text.join(value),
  html: split.html.join(value),
});

/** A random string of the token's shape: a digit for a digit, a capital for a capital, and so on. */
function standInFor(value: string): string {
  const pick = (from: string) => from[Math.floor(Math.random() * from.length)];
  return value.replace(/[0-9]|[A-Z]|[a-z]/g, (c) =>
    pick(c <= '9' ? '0123456789' : c <= 'Z' ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' : 'abcdefghijklmnopqrstuvwxyz'),
  );
}
