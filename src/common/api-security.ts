import { ApiBearerAuth } from '@nestjs/swagger';

/** The OpenAPI security schemes: two opaque bearer tokens that open different doors. */
export const API_SECURITY = {
  adminToken: 'adminToken',
  sessionToken: 'sessionToken',
} as const;

/** Operations for operators: `Authorization: Bearer $ADMIN_TOKEN`. */
export const AdminTokenAuth = () => ApiBearerAuth(API_SECURITY.adminToken);

/** Operations for a signed-in person: `Authorization: Bearer <token from POST /api/sessions>`. */
export const SessionTokenAuth = () => ApiBearerAuth(API_SECURITY.sessionToken);
