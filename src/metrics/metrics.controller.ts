import { Controller, Get, Req, Res, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mayReadDetails } from '../admin/operator-access.js';
import { MailBacklogService } from '../mail/mail-backlog.service.js';
import { NewAddressBreaker } from '../mail/new-address-breaker.service.js';
import { SendingPauseService } from '../mail/sending-pause.service.js';
import { withTimeout } from '../common/with-timeout.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { MetricsService } from './metrics.service.js';

/**
 * Prometheus scrape endpoint: the web's METRICS_PORT and the worker's WORKER_HEALTH_PORT serve it
 * to anyone who reaches them; the web's public port only with the admin token (its counters would
 * tell a stranger whether an address was new). Left out of the OpenAPI document by app.openapi.ts,
 * not by a decorator here: the worker serves this controller too and loads no Swagger.
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly backlog: MailBacklogService,
    private readonly newAddresses: NewAddressBreaker,
    private readonly webhooks: WebhooksService,
    private readonly sending: SendingPauseService,
  ) {}

  @Get()
  async scrape(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // The hooks admit internal ports and the admin token; anything else never gets here, and is refused if it does.
    if (!mayReadDetails(req)) throw new UnauthorizedException('A valid admin token is required');
    await this.readGauges();
    void reply.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }

  // Gauges read from Redis/PostgreSQL keep their last value while a store is away; /health says so.
  private async readGauges(): Promise<void> {
    const [counts, outbox, breaker, webhooks, oldestEmail, disabled, sesPause] = await Promise.allSettled([
      this.backlog.queueCounts(),
      this.backlog.outboxBacklog(),
      this.newAddresses.state(),
      withTimeout(this.webhooks.oldestPendingSeconds(), 1500, 'PostgreSQL did not answer in time'),
      this.backlog.oldestWaitingSeconds(),
      withTimeout(this.webhooks.disabledEndpoints(), 1500, 'PostgreSQL did not answer in time'),
      withTimeout(this.sending.sesPauseReason(), 1500, 'The pause flag did not answer in time'),
    ]);
    if (counts.status === 'fulfilled') {
      for (const [state, value] of Object.entries(counts.value)) this.metrics.queueJobs.set({ state }, value);
    }
    if (outbox.status === 'fulfilled') this.metrics.outboxBacklog.set(outbox.value);
    if (breaker.status === 'fulfilled') this.metrics.newAddressBreakerTripped.set(breaker.value.tripped ? 1 : 0);
    if (webhooks.status === 'fulfilled') this.metrics.webhookOldestPending.set(webhooks.value);
    if (oldestEmail.status === 'fulfilled') this.metrics.emailOldestWaiting.set(oldestEmail.value);
    if (disabled.status === 'fulfilled') this.metrics.webhookEndpointsDisabled.set(disabled.value.length);
    if (sesPause.status === 'fulfilled') this.metrics.sesPaused.set(sesPause.value === null ? 0 : 1);
  }
}
