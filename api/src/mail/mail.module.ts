import { Module } from '@nestjs/common';
import { MailService } from './mail.service';

/** Outgoing mail (invitations, password resets) over SMTP, or the log when SMTP is not configured. */
@Module({
  providers: [MailService],
  exports: [MailService],
})
export class MailModule {}
