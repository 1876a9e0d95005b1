import { Body, Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminTokenGuard } from '../common/admin-token.guard.js';
import { Environment } from '../config/environment.js';
import { DeliveryIdParam } from '../webhooks/dto/delivery-id.param.js';
import { EnableEndpointDto } from '../webhooks/dto/enable-endpoint.dto.js';
import { ListDeliveriesQuery } from '../webhooks/dto/list-deliveries.query.js';
import { DELIVERY_STATUSES } from '../webhooks/webhook-delivery.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { CsrfGuard } from './csrf.guard.js';
import { CsrfService } from './csrf.service.js';
import { setFlash, takeFlash } from './flash.js';

/** The admin API's webhook routes as a page: deliveries by status and type, retry, re-enable an endpoint. */
@ApiExcludeController()
@Controller('admin/webhooks')
@UseGuards(AdminTokenGuard)
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
  @UseGuards(CsrfGuard)
  async retry(@Param() { id }: DeliveryIdParam, @Res() reply: FastifyReply): Promise<void> {
    await this.webhooks.retry(id);
    this.done(reply, 'Delivery queued again.');
  }

  @Post('endpoints/enable')
  @UseGuards(CsrfGuard)
  async enable(@Body() { url }: EnableEndpointDto, @Res() reply: FastifyReply): Promise<void> {
    const enabled = await this.webhooks.enableEndpoint(url);
    this.done(reply, enabled ? `${url} enabled again; what it held is being sent.` : `${url} was not disabled.`);
  }

  private done(reply: FastifyReply, text: string): void {
    setFlash(reply, { type: 'info', text }, this.env.NODE_ENV === 'production');
    void reply.redirect('/admin/webhooks', 303);
  }
}
