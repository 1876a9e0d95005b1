import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { ApiError, RateLimitedError, type ApiErrorBody } from './errors.js';
import type { components, paths } from './schema.js';

export type { components, operations, paths, webhooks } from './schema.js';
export { ApiError, RateLimitedError, type ApiErrorBody } from './errors.js';
export { verifyWebhook, WebhookVerificationError, type WebhookEvent, type WebhookEventType } from './webhooks.js';

export type Session = components['schemas']['SessionCreatedDto'];
export type SignInProof = { password: string } | { code: string };

export interface SignupClientOptions {
  /** The service's APP_URL, e.g. https://accounts.example.com */
  baseUrl: string;
  /** A session token kept from an earlier sign-in (your app's cookie, for instance). */
  sessionToken?: string | null;
  /** ADMIN_TOKEN, for /api/admin routes only. */
  adminToken?: string;
  fetch?: typeof globalThis.fetch;
}

export interface SignupClient {
  /** Every operation, typed from the OpenAPI document: `api.GET('/api/me')`, `api.POST('/api/users', { body })`. */
  readonly api: Client<paths>;
  /** The session token this client sends (set by `signIn`, cleared by `signOut`). */
  readonly sessionToken: string | null;
  /** Signs in with a password or an emailed code and keeps the session token for later calls. */
  signIn(email: string, proof: SignInProof): Promise<Session>;
  /** Ends the session on the service and forgets its token. */
  signOut(): Promise<void>;
}

/**
 * The typed client. Calls carry the session token (or, under /api/admin, the admin token) as
 * Bearer; a 429 throws `RateLimitedError` with its Retry-After; other errors come back typed in
 * `{ error }` as openapi-fetch returns them, or as `ApiError` from the helpers here.
 */
export function createSignupClient(options: SignupClientOptions): SignupClient {
  let sessionToken = options.sessionToken ?? null;
  const api = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
  const tokens: Middleware = {
    onRequest({ request, schemaPath }) {
      const token = schemaPath.startsWith('/api/admin') ? options.adminToken : sessionToken;
      if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
    async onResponse({ response }) {
      if (response.status !== 429) return response;
      throw new RateLimitedError(Number(response.headers.get('retry-after') ?? 0), await errorBody(response));
    },
  };
  api.use(tokens);

  return {
    api,
    get sessionToken() {
      return sessionToken;
    },
    async signIn(email, proof) {
      const { data, error, response } = await api.POST('/api/sessions', { body: { email, ...proof } });
      if (!data) throw new ApiError(response.status, error ?? null);
      sessionToken = data.token;
      return data;
    },
    async signOut() {
      if (sessionToken === null) return;
      const { response } = await api.DELETE('/api/sessions/current');
      // 401: the session had ended already; either way this client is signed out.
      if (!response.ok && response.status !== 401) throw new ApiError(response.status, await errorBody(response));
      sessionToken = null;
    },
  };
}

async function errorBody(response: Response): Promise<ApiErrorBody | null> {
  try {
    return (await response.clone().json()) as ApiErrorBody;
  } catch {
    return null;
  }
}
