import { Module } from '@nestjs/common';
import { GroupsController } from '../groups/groups.controller';
import { GroupsService } from '../groups/groups.service';
import { MailService } from '../mail/mail.service';
import { InvitesController } from '../users/invites.controller';
import { InvitesService } from '../users/invites.service';
import { UsersController } from '../users/users.controller';
import { UsersService } from '../users/users.service';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensService } from './api-tokens.service';
import { AuthService } from './auth.service';
import { LoginController } from './login.controller';
import { LoginRateLimiter } from './login-rate-limiter';
import { NodeEditPolicy } from './node-edit.policy';

/**
 * Users, groups, tokens and login (contract §4, §5). Exports AuthService for the global AuthGuard
 * and NodeEditPolicy for the node services (§6.7).
 */
@Module({
  controllers: [LoginController, UsersController, InvitesController, ApiTokensController, GroupsController],
  providers: [AuthService, LoginRateLimiter, UsersService, InvitesService, ApiTokensService, GroupsService, MailService, NodeEditPolicy],
  exports: [AuthService, NodeEditPolicy],
})
export class AuthModule {}
