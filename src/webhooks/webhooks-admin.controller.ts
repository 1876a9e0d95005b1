import { Body, Get, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { DeliveryIdParam } from './dto/delivery-id.param.js';
import { EnableEndpointDto } from './dto/enable-endpoint.dto.js';
import { ListDeliveriesQuery } from './dto/list-deliveries.query.js';
import { WebhookDeliveryDto } from './dto/webhook-delivery.dto.js';
import { WebhooksService } from './webhooks.service.js';
import { AdminApi } from '../admin/admin-api.decorator.js';

@AdminApi('webhooks')
@ApiBadRequestResponse({ type: ErrorResponseDto })
export class WebhooksAdminController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get('deliveries')
  @ApiOperation({ summary: 'Webhook deliveries, newest first (at most 200), by status and event type' })
  @ApiOkResponse({ type: [WebhookDeliveryDto] })
  async list(@Query() query: ListDeliveriesQuery): Promise<WebhookDeliveryDto[]> {
    return (await this.webhooks.list(query)).map((d) => WebhookDeliveryDto.from(d));
  }

  @Post('deliveries/:id/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a delivery again now, whatever its status (held while its endpoint is disabled)' })
  @ApiAcceptedResponse({ description: 'Queued' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async retry(@Param() { id }: DeliveryIdParam): Promise<void> {
    await this.webhooks.retry(id);
  }

  @Post('endpoints/enable')
  @UseGuards(JsonBodyGuard)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Re-enable an endpoint disabled by a 410; the deliveries it held are sent' })
  @ApiNoContentResponse({ description: 'Enabled (or was not disabled)' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Not one of the WEBHOOK_URLS' })
  async enable(@Body() { url }: EnableEndpointDto): Promise<void> {
    await this.webhooks.enableEndpoint(url);
  }
}
