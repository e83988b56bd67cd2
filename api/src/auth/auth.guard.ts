import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../common/errors/domain-errors';
import { AuthService } from './auth.service';
import { AUTH_LEVEL, type AuthLevel } from './authenticated.decorator';
import { REQUEST_USER } from './current-user.decorator';

/**
 * Applies the levels of docs/api-conventions.md#authentication-levels. Public routes are left alone entirely: clients send stale
 * or scheme-less tokens to them and must get the same answer as without a token.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const level = this.reflector.getAllAndOverride<AuthLevel | undefined>(AUTH_LEVEL, [context.getHandler(), context.getClass()]);
    if (!level) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & Record<string, unknown>>();
    const user = await this.auth.authenticate(request.headers.authorization);
    if (!user) throw new UnauthorizedError();
    if (level === 'verified' && !user.isVerified) throw new ForbiddenError();
    if (level === 'admin' && !user.isSuperuser) throw new ForbiddenError();
    request[REQUEST_USER] = user;
    return true;
  }
}
