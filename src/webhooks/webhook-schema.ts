import type { OpenAPIObject } from '@nestjs/swagger';
import type { AnyWebhookEvent, FieldSchema } from './webhook-event.js';

type Schema = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

const BASE_FIELDS: Record<string, FieldSchema> = {
  userId: { type: 'string', description: 'The user the event is about (UUID)' },
  email: { type: 'string', format: 'email', description: "The user's address (after an email change: the new one)" },
  locale: { type: 'string', description: "The user's language (one of SUPPORTED_LOCALES); absent only when the user no longer exists" },
};
const OPTIONAL_FIELDS = new Set(['locale']);

/** The JSON Schema of an event type's delivery body, from the fields its declaration names. */
export function webhookPayloadSchema(event: AnyWebhookEvent): Schema {
  const fields: Record<string, FieldSchema> = { ...BASE_FIELDS, ...(event.fields as Record<string, FieldSchema>) };
  return {
    type: 'object' as const,
    required: ['type', 'timestamp', 'data'],
    additionalProperties: false,
    properties: {
      type: { type: 'string' as const, enum: [event.type] },
      timestamp: { type: 'string' as const, format: 'date-time', description: 'When the change happened (ISO 8601, UTC)' },
      data: {
        type: 'object' as const,
        required: Object.keys(fields).filter((name) => !OPTIONAL_FIELDS.has(name)),
        additionalProperties: false,
        properties: Object.fromEntries(
          Object.entries(fields).map(([name, field]) => [name, { ...field, enum: field.enum && [...field.enum] }]),
        ),
      },
    },
  };
}
