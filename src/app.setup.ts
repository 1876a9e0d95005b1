import { ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { RequestHandler } from 'express';
import hbs from 'hbs';
import helmet from 'helmet';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import type { Environment } from './config/environment.js';
import { QUEUE_BOARD_PATH, queueBoardCspDirectives } from './queue-board/queue-board.csp.js';

const BODY_LIMIT = '10kb';
const VIEWS_DIR = join(import.meta.dirname, 'web', 'views');

/** Everything between Nest and the wire, shared by main.ts and the tests so both run the same pipeline. */
export function configureApp(app: NestExpressApplication, env: Environment): NestExpressApplication {
  app.set('trust proxy', trustProxy(env.TRUST_PROXY));
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.use(cookieParser(env.APP_SECRET));
  app.use(securityHeaders(env));
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: true }),
  );
  app.useGlobalFilters(new HttpExceptionFilter());

  app.useStaticAssets(join(import.meta.dirname, 'web', 'public'), { prefix: '/static/', maxAge: '1h' });
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');
  registerPartials(join(VIEWS_DIR, 'partials'));
  hbs.registerHelper('datetime', (value: unknown) =>
    value instanceof Date ? value.toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '',
  );
  Object.assign(app.getHttpAdapter().getInstance().locals, {
    productName: env.PRODUCT_NAME,
    supportEmail: env.SUPPORT_EMAIL,
  });

  setUpOpenApi(app, env);
  return app;
}

/** Helmet with a strict CSP; Swagger UI and Bull Board alone need inline styles. */
function securityHeaders(env: Environment): RequestHandler {
  const directives = {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    upgradeInsecureRequests: env.NODE_ENV === 'production' ? [] : null,
  };
  const strict = helmet({ contentSecurityPolicy: { directives } });
  const docs = helmet({ contentSecurityPolicy: { directives: { ...directives, styleSrc: ["'self'", "'unsafe-inline'"] } } });
  const board = helmet({ contentSecurityPolicy: { directives: { ...directives, ...queueBoardCspDirectives } } });
  return (req, res, next) =>
    (req.path.startsWith('/api/docs') ? docs : req.path.startsWith(QUEUE_BOARD_PATH) ? board : strict)(req, res, next);
}

function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

function registerPartials(dir: string): void {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
    hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(dir, file), 'utf8'));
  }
}

function setUpOpenApi(app: NestExpressApplication, env: Environment): void {
  const config = new DocumentBuilder()
    .setTitle(`${env.PRODUCT_NAME} API`)
    .setDescription('Sign up with an email address, confirm it with the emailed link.')
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN, for /api/admin routes' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
