import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AdminPageGuard } from '../admin/admin-page.guard.js';
import { AdminWritesCsrfGuard } from './admin-writes-csrf.guard.js';

/**
 * An HTML admin page controller under /admin/<path>: the admin token as Bearer or HTTP Basic (so a
 * browser can open it), and, because a browser sends Basic with any request to the site, the
 * CSRF token of the page on every write. Guards run in this order: who first, then the form.
 */
export const AdminPage = (path = '') =>
  applyDecorators(ApiExcludeController(), Controller(path ? `admin/${path}` : 'admin'), UseGuards(AdminPageGuard, AdminWritesCsrfGuard));
