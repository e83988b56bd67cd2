import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { ErrorDto } from '../common/errors/error.dto';

export type AuthLevel = 'user' | 'verified' | 'admin';
export const AUTH_LEVEL = 'maestro:auth-level';

/**
 * Marks a route as needing a bearer token at `level` (docs/api-conventions.md#authentication-levels) and, in the same place,
 * documents the security scheme and the 401/403 answers, so behaviour and spec cannot disagree.
 * A route without it is public and never looks at `Authorization`.
 */
export function Authenticated(options: { level?: AuthLevel } = {}) {
  const level = options.level ?? 'user';
  const decorators = [
    SetMetadata(AUTH_LEVEL, level),
    ApiBearerAuth(),
    ApiResponse({ status: 401, description: 'Missing, invalid or expired token, or inactive user', type: ErrorDto }),
  ];
  if (level !== 'user') {
    decorators.push(
      ApiResponse({
        status: 403,
        description: level === 'admin' ? 'The caller is not a superuser' : 'The caller is not verified',
        type: ErrorDto,
      }),
    );
  }
  return applyDecorators(...decorators);
}
