import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MailModule } from '../mail/mail.module';
import { UsersBootstrapService } from './bootstrap.service';
import { InvitesController } from './invites.controller';
import { InvitesService } from './invites.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** User accounts, invitations and password resets, and the first administrator (docs/auth.md). */
@Module({
  imports: [AuthModule, MailModule],
  controllers: [UsersController, InvitesController],
  providers: [UsersService, InvitesService, UsersBootstrapService],
  exports: [UsersService],
})
export class UsersModule {}
