import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminTokenAuth } from '../common/api-security.js';
import { AdminErrorResponseDto } from './admin-error-response.dto.js';
import { AdminTokenGuard } from './admin-token.guard.js';

/**
 * A REST controller under /api/admin/<path>: the admin token as Bearer guards it (never HTTP
 * Basic, which a browser would attach to a forged cross-site request), and the OpenAPI document says so.
 */
export const AdminApi = (path = '') =>
  applyDecorators(
    ApiTags('admin'),
    AdminTokenAuth(),
    ApiUnauthorizedResponse({
      type: AdminErrorResponseDto,
      description: 'No or a wrong admin token, HTTP Basic instead of Bearer, or admin disabled (see code)',
    }),
    ApiTooManyRequestsResponse({
      type: AdminErrorResponseDto,
      description: 'Too many wrong admin tokens from this client within 15 minutes (code admin_locked_out); see Retry-After',
    }),
    Controller(path ? `api/admin/${path}` : 'api/admin'),
    UseGuards(AdminTokenGuard),
  );
