import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Environment } from '../config/environment.js';
import { secureCookies } from '../config/secure-cookies.js';
import { DeliveryIdParam } from '../webhooks/dto/delivery-id.param.js';
import { ListDeliveriesQuery } from '../webhooks/dto/list-deliveries.query.js';
import { DELIVERY_STATUSES } from '../webhooks/webhook-delivery.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { AdminPage } from './admin-page.decorator.js';
import { CsrfService } from './csrf.service.js';
import { setFlash, takeFlash } from './flash.js';

/** The admin API's webhook routes as a page: deliveries by status and type, retry, re-enable an endpoint. */
@AdminPage('webhooks')
export class AdminWebhooksPageController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly csrf: CsrfService,
    private readonly env: Environment,
  ) {}

  @Get()
  async list(@Query() query: ListDeliveriesQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const [deliveries, disabled] = await Promise.all([this.webhooks.list(query), this.webhooks.disabledEndpoints()]);
    await reply.view('admin-webhooks', {
      title: 'Webhooks',
      nav: { webhooks: true },
      deliveries,
      disabled,
      endpoints: this.env.WEBHOOK_URLS,
      statuses: DELIVERY_STATUSES.map((value) => ({ value, selected: value === query.status })),
      types: this.webhooks.types.map((value) => ({ value, selected: value === query.type })),
      flash: takeFlash(req, reply),
      csrfToken: this.csrf.tokenFor(req, reply),
    });
  }

  @Post('deliveries/:id/retry')
  async retry(@Param() { id }: DeliveryIdParam, @Res() reply: FastifyReply): Promise<void> {
    await this.webhooks.retry(id);
    this.done(reply, 'Delivery queued again.');
  }

  // The form, not the API's DTO: its `_csrf` field would be refused as unknown. A URL not among
  // WEBHOOK_URLS is the service's 404.
  @Post('endpoints/enable')
  async enable(@Body() form: Record<string, unknown> | undefined, @Res() reply: FastifyReply): Promise<void> {
    const url = typeof form?.url === 'string' ? form.url : '';
    const enabled = await this.webhooks.enableEndpoint(url);
    this.done(reply, enabled ? `${url} enabled again; what it held is being sent.` : `${url} was not disabled.`);
  }

  private done(reply: FastifyReply, text: string): void {
    setFlash(reply, { type: 'info', text }, secureCookies(this.env));
    void reply.redirect('/admin/webhooks', 303);
  }
}
