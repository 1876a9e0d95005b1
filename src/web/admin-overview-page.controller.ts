import { Get, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { humanDuration } from '../common/human-duration.js';
import { SendingPauseService } from '../mail/sending-pause.service.js';
import { FunnelStatsService } from '../overview/funnel-stats.service.js';
import { statsRange } from '../overview/stats-range.js';
import { ReputationGuard } from '../ses-feedback/reputation-guard.service.js';
import { AdminOverviewQuery } from './admin-overview.query.js';
import { AdminPage } from './admin-page.decorator.js';
import { takeFlash } from './flash.js';
import { overviewView } from './admin-overview.view.js';

/** GET /admin: the sign-up funnel at a glance, with links to every admin page. */
@AdminPage()
export class AdminOverviewPageController {
  constructor(
    private readonly funnel: FunnelStatsService,
    private readonly reputation: ReputationGuard,
    private readonly sending: SendingPauseService,
  ) {}

  @Get()
  async overview(@Query() { range }: AdminOverviewQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const bucket = range === '30d' ? 'day' : 'hour';
    const { start, end } = statsRange({ bucket });
    const [stats, reputation, sesPause] = await Promise.all([
      this.funnel.stats(start, end, bucket),
      this.reputation.state(),
      this.sending.sesPauseReason(),
    ]);
    await reply.view('admin-overview', {
      title: 'Overview',
      nav: { overview: true },
      flash: takeFlash(req, reply),
      ...overviewView({ range, bucket, stats, reputation, sesPause, duration: humanDuration }),
    });
  }
}
