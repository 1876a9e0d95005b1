import fastifyCookie from '@fastify/cookie';
import type {} from '@fastify/view'; // reply.view()
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { openApiDocument } from './app.openapi.js';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import handlebars from 'handlebars';
import helmet from 'helmet';
import { readdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import { AdminTokenGuard } from './admin/admin-token.guard.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { AppValidationPipe } from './common/validation/app-validation.pipe.js';
import type { Environment } from './config/environment.js';
import { fastifyServerLimits, SERVER_LIMITS, type ServerLimits } from './common/server-limits.js';
import { createRootLogger } from './logging/logger-options.js';
import { newRequestId, REQUEST_ID_HEADER } from './logging/request-id.js';
import { logRequests } from './logging/request-logging.js';
import { operatorRoutesHook } from './admin/operator-routes.hook.js';
import { QUEUE_BOARD_PATH, queueBoardCspDirectives } from './queue-board/queue-board.csp.js';
import { RateLimitStore } from './rate-limit/rate-limit.store.js';
import { challengeCspSources } from './signup-guard/challenge.csp.js';
import { registerPageHelpers } from './web/page-helpers.js';
import { pageLocale, pageLocalePlugin } from './web/page-locale.hook.js';
import { pageHeaderPlugin, PageSessions } from './web/page-sessions.service.js';

const BODY_LIMIT_BYTES = 10 * 1024;
const VIEWS_DIR = join(import.meta.dirname, 'web', 'views');

/**
 * The HTTP adapter: Fastify (about a third less CPU per request than Express here; see README,
 * Performance), with the body limit, time limits and proxy trust of the configuration. `limits` is
 * for tests that cannot wait 15 s for a timeout.
 */
export function createHttpAdapter(env: Environment, limits: ServerLimits = SERVER_LIMITS): FastifyAdapter {
  const headers = securityHeaders(env);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    ...fastifyServerLimits(limits),
    trustProxy: trustProxy(env.TRUST_PROXY),
    genReqId: newRequestId,
    // As Express did: /Resend and /resend/ are /resend; a long token is the app's to call malformed.
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 2048 },
    // The router refuses a malformed URL (400) or an over-long parameter (414) before any hook
    // runs: answer those like every other error, with the security headers and the page or JSON.
    frameworkErrors: (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      reply.header(REQUEST_ID_HEADER, req.id);
      headers(req, reply, () => void refused.respond(error, req, reply));
    },
  });
  const refused = new HttpExceptionFilter(adapter.getInstance());
  adapter.getInstance().addHook('onRequest', headers);
  logRequests(adapter.getInstance(), createRootLogger(env));
  return adapter;
}

/** Everything between Nest and the wire, shared by main.ts and the tests so both run the same pipeline. */
export async function configureApp(app: NestFastifyApplication, env: Environment): Promise<NestFastifyApplication> {
  const fastify = app.getHttpAdapter().getInstance();
  await app.register(fastifyCookie, { secret: env.APP_SECRET });
  app.useGlobalPipes(new AppValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter(fastify));
  // /metrics and health details: admin token on this port (METRICS_PORT admits its own requests).
  fastify.addHook('onRequest', operatorRoutesHook(new AdminTokenGuard(env, app.get(RateLimitStore)), new HttpExceptionFilter(fastify)));

  app.useStaticAssets({ root: join(import.meta.dirname, 'web', 'public'), prefix: '/static/', maxAge: '1h' });
  registerPageHelpers(handlebars, env);
  app.setViewEngine({
    engine: { handlebars },
    root: VIEWS_DIR,
    layout: 'layout.hbs',
    viewExt: 'hbs',
    options: { partials: partials(join(VIEWS_DIR, 'partials')) },
    // lang and dir: each page's own come from the page-locale hook (reply.locals); these are for answers made before it ran.
    defaultContext: {
      productName: env.PRODUCT_NAME,
      supportEmail: env.SUPPORT_EMAIL,
      passwordMinLength: env.PASSWORD_MIN_LENGTH,
      ...pageLocale(env.SUPPORTED_LOCALES[0], '/', []),
    },
  });
  await app.register(pageLocalePlugin(env) as never);
  await app.register(pageHeaderPlugin(app.get(PageSessions)) as never);

  setUpOpenApi(app, env);
  return app;
}

/** Helmet with a strict CSP; Swagger UI and Bull Board alone need inline styles. */
function securityHeaders(env: Environment) {
  const challenge = challengeCspSources(env.SIGNUP_CHALLENGE);
  const directives = {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", ...challenge.scriptSrc],
    styleSrc: ["'self'", ...challenge.styleSrc],
    ...(challenge.frameSrc.length > 0 ? { frameSrc: challenge.frameSrc, connectSrc: ["'self'", ...challenge.connectSrc] } : {}),
    imgSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    upgradeInsecureRequests: env.NODE_ENV === 'production' ? [] : null,
  };
  const strict = headersOf(helmet({ contentSecurityPolicy: { directives } }));
  const docs = headersOf(helmet({ contentSecurityPolicy: { directives: { ...directives, styleSrc: ["'self'", "'unsafe-inline'"] } } }));
  const board = headersOf(helmet({ contentSecurityPolicy: { directives: { ...directives, ...queueBoardCspDirectives } } }));
  return (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    void reply.headers(req.url.startsWith('/api/docs') ? docs : req.url.startsWith(QUEUE_BOARD_PATH) ? board : strict);
    done();
  };
}

/**
 * The headers a helmet middleware sets, worked out once: they depend on its options only, and
 * running its dozen small middlewares cost about 15 µs of the web's CPU on every request.
 */
function headersOf(middleware: ReturnType<typeof helmet>): Record<string, string> {
  const headers: Record<string, string> = {};
  let finished = false;
  const res = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  middleware({} as IncomingMessage, res as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error as Error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not set its headers synchronously');
  return headers;
}

/** TRUST_PROXY as Express understood it: true/false, a number of hops, or addresses/subnets. */
function trustProxy(value: string): boolean | string | ((address: string, hop: number) => boolean) {
  const flag = value.trim().toLowerCase();
  if (flag === 'true' || flag === 'false') return flag === 'true';
  if (!/^\d+$/.test(value)) return value;
  const hops = Number(value);
  return (_address, hop) => hop < hops;
}

/** Every `partials/<name>.hbs`, registered as `{{> name}}`. */
function partials(dir: string): Record<string, string> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.hbs'));
  return Object.fromEntries(files.map((file) => [basename(file, '.hbs'), join('partials', file)]));
}

function setUpOpenApi(app: NestFastifyApplication, env: Environment): void {
  SwaggerModule.setup('api/docs', app, openApiDocument(app, env), { jsonDocumentUrl: 'api/docs-json' });
}
