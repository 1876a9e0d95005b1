import { describe, expect, it } from 'vitest';
import { Fact } from '../../src/database/fact.js';
import { webhookEvent } from '../../src/webhooks/webhook-event.js';
import { webhookPayloadSchema } from '../../src/webhooks/webhook-schema.js';

class Renamed extends Fact<{ userId: string; email: string; previousName: string }> {}
class Registered extends Fact<{ userId: string; email: string }> {}

describe('webhook event declarations', () => {
  it('need a schema for every field of data beyond userId and email (the compiler checks it: `npm run typecheck`)', () => {
    // @ts-expect-error -- previousName has no schema
    webhookEvent('user.renamed', Renamed);
    expect(webhookEvent('user.registered', Registered).fields).toEqual({});
    const event = webhookEvent('user.renamed', Renamed, { fields: { previousName: { type: 'string', description: 'The old name' } } });
    expect(event.fields).toEqual({ previousName: { type: 'string', description: 'The old name' } });
  });

  it('publish a payload schema that names every field and allows no other', () => {
    const schema = webhookPayloadSchema(
      webhookEvent('user.renamed', Renamed, { fields: { previousName: { type: 'string', description: 'The old name' } } }),
    );
    expect(schema).toMatchObject({
      required: ['type', 'timestamp', 'data'],
      properties: {
        type: { enum: ['user.renamed'] },
        data: { required: ['userId', 'email', 'previousName'], additionalProperties: false },
      },
    });
  });
});
