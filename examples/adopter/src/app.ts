import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import { ApiError, createSignupClient, verifyWebhook, WebhookVerificationError, type WebhookEvent } from '@signup-confirm/client';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';

export interface AdopterOptions {
  /** The signup-confirm service's base URL (its APP_URL). */
  serviceUrl: string;
  /** This app's endpoint secret: one of the service's WEBHOOK_SECRET values. */
  webhookSecret: string;
  /** Where each verified event goes (default: a log line). */
  onEvent?: (event: WebhookEvent) => void;
}

const SESSION_COOKIE = 'session';

/**
 * A small app that uses the service the way an adopter would: people sign in through its API
 * (password or emailed code), the session token lives in this app's own cookie, and the service's
 * webhooks arrive at POST /webhooks, verified before anything is believed.
 */
export async function adopterApp(options: AdopterOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  const events: WebhookEvent[] = [];
  const onEvent = options.onEvent ?? ((event) => app.log.info({ type: event.type, userId: event.data.userId }, 'webhook'));

  // SameSite=Lax keeps other sites' forms from riding on the cookie; HttpOnly keeps scripts from it.
  const keepSession = (reply: FastifyReply, token: string, expiresAt: string) =>
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', expires: new Date(expiresAt) });

  app.get('/', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    const me = token ? await createSignupClient({ baseUrl: options.serviceUrl, sessionToken: token }).api.GET('/api/me') : undefined;
    if (token && !me?.data) reply.clearCookie(SESSION_COOKIE, { path: '/' });
    const notice = typeof (req.query as { notice?: unknown }).notice === 'string' ? (req.query as { notice: string }).notice : '';
    return reply.type('text/html').send(page(me?.data ? signedIn(me.data.email, me.data.hasPassword) : signInForms(), notice, events));
  });

  app.post('/sign-in', async (req, reply) => {
    const { email = '', password = '', code = '' } = req.body as Record<string, string | undefined>;
    const client = createSignupClient({ baseUrl: options.serviceUrl });
    try {
      const session = await client.signIn(email, code ? { code } : { password });
      keepSession(reply, session.token, session.expiresAt);
      return reply.redirect('/', 303);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return reply.redirect(
        `/?notice=${encodeURIComponent(error.code === 'too_many_attempts' ? 'Too many attempts; wait a little.' : 'That did not work.')}`,
        303,
      );
    }
  });

  app.post('/codes', async (req, reply) => {
    const { email = '' } = req.body as Record<string, string | undefined>;
    await createSignupClient({ baseUrl: options.serviceUrl }).api.POST('/api/sign-in-codes', { body: { email } });
    return reply.redirect(`/?notice=${encodeURIComponent('If that address has an account, a code is on its way.')}`, 303);
  });

  app.post('/sign-out', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await createSignupClient({ baseUrl: options.serviceUrl, sessionToken: token }).signOut();
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  // The signature covers the exact bytes: keep this route's body as the raw string.
  await app.register((hooks, _options, done) => {
    hooks.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    hooks.post('/webhooks', (req, reply) => {
      try {
        const event = verifyWebhook(options.webhookSecret, req.body as string, req.headers);
        events.unshift(event);
        events.length = Math.min(events.length, 20);
        onEvent(event);
        return reply.code(204).send();
      } catch (error) {
        if (error instanceof WebhookVerificationError) return reply.code(401).send();
        throw error;
      }
    });
    done();
  });
  return app;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function signedIn(email: string, hasPassword: boolean): string {
  return `<p>Signed in as <strong>${escape(email)}</strong>${hasPassword ? '' : ' (no password yet)'}.</p>
<form method="post" action="/sign-out"><button>Sign out</button></form>`;
}

function signInForms(): string {
  return `<form method="post" action="/sign-in">
  <h2>Sign in with your password</h2>
  <label>Email <input name="email" type="email" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button>Sign in</button>
</form>
<form method="post" action="/codes">
  <h2>Or get a code by email</h2>
  <label>Email <input name="email" type="email" autocomplete="username" required></label>
  <button>Email me a code</button>
</form>
<form method="post" action="/sign-in">
  <label>Email <input name="email" type="email" autocomplete="username" required></label>
  <label>Code <input name="code" autocomplete="one-time-code" required></label>
  <button>Sign in with the code</button>
</form>`;
}

function page(body: string, notice: string, events: WebhookEvent[]): string {
  const list = events.map((e) => `<li>${escape(e.type)}: ${escape(e.data.email)}</li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Example app</title></head>
<body><main><h1>Example app</h1>${notice ? `<p role="status">${escape(notice)}</p>` : ''}${body}
<h2>Webhook events received</h2><ul id="events">${list}</ul></main></body></html>`;
}
