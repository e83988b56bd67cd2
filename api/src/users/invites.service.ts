import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { BadRequestError, NotFoundError } from '../common/errors/domain-errors';
import { newObjectId } from '../common/object-id';
import { issueInviteToken, issueResetToken, verifyInviteToken, verifyResetToken } from '../auth/jwt-tokens';
import { hashPassword, randomPassword } from '../auth/passwords';
import { MailService, mailTemplates } from '../mail/mail.service';
import { DuplicateKeyError, STORAGE, type Storage, type UserRecord } from '../storage/ports';
import type { InviteDto } from './dto/user.dto';
import { UsersService } from './users.service';

export interface InviteResult {
  user: UserRecord;
  emailSent: boolean;
  publicBaseUrl: string;
  acceptInviteUrl: string;
  inviteUrl: string | null;
  token: string | null;
}

export const acceptInviteUrl = (base: string): string => `${base}/user/accept-invite`;

/**
 * Invitations and password resets (docs/auth.md). Whatever could not be mailed is
 * written to the server log with the username and email it is for, so a deployment without SMTP
 * still works (docs/auth.md#inviting-users-with-and-without-smtp).
 */
@Injectable()
export class InvitesService {
  private readonly logger = new Logger('Users');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE) private readonly storage: Storage,
    private readonly users: UsersService,
    private readonly mail: MailService,
  ) {}

  async invite(body: InviteDto, base: string): Promise<InviteResult> {
    const user = await this.findOrCreateInvitee(body);
    const token = issueInviteToken({
      userId: user.id,
      email: user.email,
      secret: this.config.secretKey,
      expiresSeconds: this.config.inviteTokenExpireSeconds,
    });
    const inviteUrl = `${acceptInviteUrl(base)}?token=${token}`;
    const sendEmail = body.send_email ?? true;
    let emailSent = false;
    if (sendEmail) {
      const outcome = await this.mail.send(mailTemplates.invite({ to: user.email, username: user.username, inviteUrl, token }));
      emailSent = outcome === 'sent';
      if (!emailSent) {
        this.logger.warn(`Invite for user '${user.username}' <${user.email}> was not mailed (${outcome}); invite URL: ${inviteUrl}`);
      }
    }
    const reveal = (body.return_token ?? false) || (sendEmail && !emailSent);
    return {
      user,
      emailSent,
      publicBaseUrl: base,
      acceptInviteUrl: acceptInviteUrl(base),
      inviteUrl: reveal ? inviteUrl : null,
      token: reveal ? token : null,
    };
  }

  /** Steps 1–3 of `POST /user/invite` (docs/auth.md#endpoints), each with its error text. */
  private async findOrCreateInvitee(body: InviteDto): Promise<UserRecord> {
    const byUsername = await this.storage.users.findByUsername(body.username);
    const byEmail = byUsername ? null : await this.storage.users.findByEmail(body.email);
    // Step 1 matches the email exactly; a match in another letter case is step 3's conflict.
    const existing = byUsername ?? (byEmail && byEmail.email === body.email ? byEmail : null);
    if (existing) {
      if (!body.resend_if_exists) throw new BadRequestError('User already exists');
      if (existing.isVerified) throw new BadRequestError('User already verified');
      if (existing.username !== body.username) throw new BadRequestError('Existing user has a different username');
      if (existing.email !== body.email) throw new BadRequestError('Existing user has a different email');
      return existing;
    }
    const groups = await this.users.resolveGroups(body.groups ?? []);
    const user: UserRecord = {
      id: newObjectId(),
      email: body.email,
      hashedPassword: await hashPassword(randomPassword()),
      isActive: true,
      isSuperuser: body.is_superuser ?? false,
      isVerified: false,
      username: body.username,
      groups,
    };
    try {
      await this.storage.users.insert(user);
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new BadRequestError('REGISTER_USER_ALREADY_EXISTS');
      throw error;
    }
    return user;
  }

  /** `POST /user/accept-invite`: the checks of docs/auth.md#endpoints in their order. */
  async acceptInvite(token: string, password: string): Promise<UserRecord> {
    const check = verifyInviteToken(token, this.config.secretKey);
    if (!check.ok) throw new BadRequestError(check.reason === 'bad' ? 'Invalid or expired invite token' : 'Invalid invite token');
    const user = await this.storage.users.findById(check.sub);
    if (!user) throw new NotFoundError('User not found');
    if (!user.isActive) throw new BadRequestError('User is inactive');
    if (user.email !== check.email) throw new BadRequestError('Invalid invite token');
    if (user.isVerified) throw new BadRequestError('Invite already accepted');
    const accepted: UserRecord = { ...user, hashedPassword: await hashPassword(password), isVerified: true };
    await this.storage.users.update(accepted);
    const outcome = await this.mail.send(mailTemplates.welcome({ to: user.email, username: user.username }));
    if (outcome !== 'sent') this.logger.log(`Welcome mail for '${user.username}' <${user.email}> skipped (${outcome})`);
    return accepted;
  }

  /**
   * `POST /user/forgot-password`: mails a reset token to an active user. The token is returned only
   * when it could not be mailed and the caller is a superuser (docs/auth.md); otherwise null.
   */
  async forgotPassword(email: string, callerIsSuperuser: boolean): Promise<{ email_sent: false; token: string } | null> {
    const user = await this.storage.users.findByEmail(email);
    if (!user || !user.isActive) return null;
    const token = await issueResetToken({ userId: user.id, hashedPassword: user.hashedPassword, secret: this.config.secretKey });
    const outcome = await this.mail.send(mailTemplates.resetToken({ to: user.email, username: user.username, token }));
    if (outcome === 'sent') return null;
    this.logger.warn(`Password reset token for user '${user.username}' <${user.email}> was not mailed (${outcome}); reset token: ${token}`);
    return callerIsSuperuser ? { email_sent: false, token } : null;
  }

  /** `POST /user/reset-password` (docs/auth.md#endpoints); a mail failure afterwards is logged, never an error. */
  async resetPassword(token: string, password: string): Promise<void> {
    const valid = await verifyResetToken(token, this.config.secretKey, (id) => this.storage.users.findById(id));
    if (!valid) throw new BadRequestError('RESET_PASSWORD_BAD_TOKEN');
    await this.storage.users.update({ ...valid.user, hashedPassword: await hashPassword(password) });
    const outcome = await this.mail.send(mailTemplates.resetDone({ to: valid.user.email, username: valid.user.username }));
    if (outcome !== 'sent') this.logger.log(`Password-reset confirmation for '${valid.user.username}' <${valid.user.email}> not mailed (${outcome})`);
  }
}
