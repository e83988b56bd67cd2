import { Module } from '@nestjs/common';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensService } from './api-tokens.service';
import { AuthService } from './auth.service';
import { LoginController } from './login.controller';
import { LoginRateLimiter } from './login-rate-limiter';
import { NodeEditPolicy } from './node-edit.policy';

/**
 * Authentication: login, API tokens and the login rate limit. Exports AuthService for the global
 * AuthGuard, the realtime gateway and invitations, NodeEditPolicy for the node services, and
 * LoginRateLimiter for the rate limit of `forgot-password`. Users, groups and mail have their own
 * modules (users/, groups/, mail/).
 */
@Module({
  controllers: [LoginController, ApiTokensController],
  providers: [AuthService, LoginRateLimiter, ApiTokensService, NodeEditPolicy],
  exports: [AuthService, NodeEditPolicy, LoginRateLimiter],
})
export class AuthModule {}
