import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiExcludeController, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { API_SECURITY } from './common/api-security.js';
import type { Environment } from './config/environment.js';
import { describeHealthRoutes } from './health/health.openapi.js';
import { EmailKindRegistry } from './mail/email-kinds.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { webhookPayloadSchema } from './webhooks/webhook-schema.js';
import { WebhookEventRegistry } from './webhooks/webhook-events.js';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * The OpenAPI 3.1 document served at /api/docs-json: what `npm run client:generate` turns into the
 * typed client and what `@redocly/cli lint` checks (test/e2e/openapi.spec.ts).
 */
export function openApiDocument(app: NestFastifyApplication, env: Environment): OpenAPIObject {
  // The routes the worker serves too carry no Swagger decorators (it must not load Swagger): described here.
  describeHealthRoutes();
  ApiExcludeController()(MetricsController);
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle(`${env.PRODUCT_NAME} API`)
    .setDescription(
      'Sign up with an email address, confirm it with the emailed link (choosing a password), sign in. ' +
        'Every 4xx body carries a stable `code`; `message` is English and may change.',
    )
    .setVersion('1.0')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .addServer(...server(env.APP_URL))
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'ADMIN_TOKEN (opaque), for /api/admin' },
      API_SECURITY.adminToken,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque',
        description: 'A session token from POST /api/sessions (opaque), for /api/me',
      },
      API_SECURITY.sessionToken,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  markPublicOperations(document);
  documentRegistries(document, app.get(EmailKindRegistry), app.get(WebhookEventRegistry));
  return document;
}

/**
 * APP_URL, unless it names this machine: a loopback URL is right only where the service runs, so the
 * document then says "wherever this document came from" (the relative `/`).
 */
function server(appUrl: string): [string, string] {
  const { hostname } = new URL(appUrl);
  const local = hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || hostname.startsWith('127.');
  return local ? ['/', `this instance (APP_URL is ${appUrl})`] : [appUrl, 'APP_URL'];
}

/** An operation that names no scheme is public: `security: []` says so rather than leaving it unsaid. */
function markPublicOperations(document: OpenAPIObject): void {
  for (const path of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = path[method];
      if (operation && !operation.security) operation.security = [];
    }
  }
}

/**
 * Known once the registries are built: the kinds of email and webhook event types go into the
 * document's enums, and each event type's payload into its `webhooks` section.
 */
function documentRegistries(document: OpenAPIObject, kinds: EmailKindRegistry, events: WebhookEventRegistry): void {
  type Schema = { enum?: string[]; properties?: Record<string, Schema> };
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const enumOf = (schema: Schema | undefined, values: readonly string[]) => {
    if (schema) schema.enum = [...values];
  };
  enumOf(
    schemas.FailedEmailDto?.properties?.kind,
    kinds.kinds.map((kind) => kind.name),
  );
  enumOf(schemas.WebhookDeliveryDto?.properties?.type, events.types);
  const parameters = (document.paths['/api/admin/webhooks/deliveries']?.get?.parameters ?? []) as Array<{ name?: string; schema?: Schema }>;
  enumOf(parameters.find((p) => p.name === 'type')?.schema, events.types);

  document.webhooks = Object.fromEntries(
    events.events.map((event) => [
      event.type,
      {
        post: {
          operationId: `webhook_${event.type.replace(/\W/g, '_')}`,
          summary: `${event.type}: sent to every WEBHOOK_URLS endpoint, signed per Standard Webhooks`,
          security: [],
          parameters: ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => ({
            name,
            in: 'header' as const,
            required: true,
            schema: { type: 'string' as const },
          })),
          requestBody: { required: true, content: { 'application/json': { schema: webhookPayloadSchema(event) } } },
          responses: {
            '200': { description: 'Any 2xx within 10 s: delivered' },
            '400': { description: 'Any other answer, a redirect or a timeout: tried again per WEBHOOK_RETRY_SCHEDULE' },
          },
        },
      },
    ]),
  );
}
