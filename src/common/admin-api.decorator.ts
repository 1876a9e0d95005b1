import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminTokenGuard } from './admin-token.guard.js';
import { ErrorResponseDto } from './error-response.dto.js';

/** A REST controller under /api/admin/<path>: the admin token guards it, and the OpenAPI document says so. */
export const AdminApi = (path = '') =>
  applyDecorators(
    ApiTags('admin'),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorResponseDto }),
    Controller(path ? `api/admin/${path}` : 'api/admin'),
    UseGuards(AdminTokenGuard),
  );
