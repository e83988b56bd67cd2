/**
 * Outgoing mail (docs/auth.md#inviting-users-with-and-without-smtp). SMTP is configured when SMTP_HOST and EMAIL_SENDER are
 * set; port 465 is implicit TLS, any other port upgrades with STARTTLS when the server offers it. No
 * request ever fails because of mail: `send` reports what happened and callers fall back to the log
 * (and, for admins, to the response).
 */
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/config';

export type MailOutcome = 'sent' | 'not-configured' | 'failed';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  /** Made at the first mail: nodemailer is loaded only by a process that sends one (docs/adr/0018-write-path.md). */
  private transport: Promise<Transporter> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get configured(): boolean {
    return this.config.smtp !== null;
  }

  private async transporter(smtp: NonNullable<AppConfig['smtp']>): Promise<Transporter> {
    this.transport ??= import('nodemailer').then(({ createTransport }) =>
      createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.port === 465,
        ...(smtp.password !== null && { auth: { user: smtp.sender, pass: smtp.password } }),
        // Bounded waits: an invite answers only after the attempt (email_sent in the response).
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      }),
    );
    return this.transport;
  }

  async send(mail: Mail): Promise<MailOutcome> {
    if (!this.config.smtp) return 'not-configured';
    try {
      const transport = await this.transporter(this.config.smtp);
      await transport.sendMail({ from: this.config.smtp.sender, to: mail.to, subject: mail.subject, text: mail.text });
      return 'sent';
    } catch (error) {
      // The address is enough to follow up; the body may hold a token and is never logged here.
      this.logger.warn(`Mail '${mail.subject}' to ${mail.to} failed: ${(error as Error).message}`);
      return 'failed';
    }
  }

  async onApplicationShutdown(): Promise<void> {
    (await this.transport?.catch(() => null))?.close();
  }
}

/** The four plain-text mails of docs/auth.md#inviting-users-with-and-without-smtp. */
export const mailTemplates = {
  invite(args: { to: string; username: string; inviteUrl: string; token: string }): Mail {
    return {
      to: args.to,
      subject: 'You have been invited to KernelCI API',
      text: [
        `Hello ${args.username},`,
        '',
        'You have been invited to the KernelCI API. Open this link to choose your password:',
        '',
        args.inviteUrl,
        '',
        'Or send this token with your new password to POST /user/accept-invite:',
        '',
        args.token,
        '',
      ].join('\n'),
    };
  },
  welcome(args: { to: string; username: string }): Mail {
    return {
      to: args.to,
      subject: 'Welcome to KernelCI API',
      text: `Hello ${args.username},\n\nYour KernelCI API account is ready. Log in with your username and the password you chose.\n`,
    };
  },
  resetToken(args: { to: string; username: string; token: string }): Mail {
    return {
      to: args.to,
      subject: 'Reset Password Token for KernelCI API account',
      text: [
        `Hello ${args.username},`,
        '',
        'Send this token with your new password to POST /user/reset-password (valid for one hour):',
        '',
        args.token,
        '',
        'If you did not ask for a password reset, ignore this mail.',
        '',
      ].join('\n'),
    };
  },
  resetDone(args: { to: string; username: string }): Mail {
    return {
      to: args.to,
      subject: 'Password reset successful for KernelCI API account',
      text: `Hello ${args.username},\n\nThe password of your KernelCI API account was changed.\n`,
    };
  },
};
