import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { UserRecord } from '../storage/ports';

export const REQUEST_USER = 'maestroUser';

/** The authenticated caller, set by AuthGuard on routes marked @Authenticated. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): UserRecord => {
  const request = context.switchToHttp().getRequest<Record<string, unknown>>();
  return request[REQUEST_USER] as UserRecord;
});
