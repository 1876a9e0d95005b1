import { Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { SnsReceivedDto } from './dto/suppression.dto.js';
import { SnsReceiver } from './sns-receiver.service.js';

export const SNS_WEBHOOK_PATH = '/webhooks/ses';
/** SNS messages are at most 256 KB. */
export const SNS_BODY_LIMIT_BYTES = 256 * 1024;

@ApiTags('ses-feedback')
@Controller('webhooks/ses')
export class SnsWebhookController {
  constructor(private readonly receiver: SnsReceiver) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'SES feedback from an SNS subscription (HTTPS)',
    description:
      'Every message is verified (SignatureVersion 1 and 2, certificate from sns.<region>.amazonaws.com) and must come from a topic in ' +
      'SES_SNS_TOPIC_ARNS. SubscriptionConfirmation is confirmed; duplicates are acknowledged and ignored.',
  })
  @ApiConsumes('text/plain', 'application/json')
  @ApiBody({ description: 'The SNS message as SNS posts it (text/plain JSON), at most 256 kB', schema: { type: 'string' } })
  @ApiOkResponse({ type: SnsReceivedDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Malformed JSON, missing fields, unknown type, too old' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Topic not allowed, certificate URL not SNS, signature invalid' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'SES_SNS_TOPIC_ARNS is unset' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'The message is over 256 kB (code body_too_large)' })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'The signing certificate could not be fetched, or the database is down: SNS retries later',
  })
  async receive(@Req() req: FastifyRequest): Promise<SnsReceivedDto> {
    return { status: await this.receiver.receive(req.body, req.headers['x-amz-sns-message-type']) };
  }
}
