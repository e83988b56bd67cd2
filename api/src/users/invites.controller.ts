import { Body, Controller, Get, Headers, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from '../auth/auth.service';
import { Authenticated } from '../auth/authenticated.decorator';
import { ResetRateLimitGuard } from '../auth/login-rate-limiter';
import { ApiCommonResponses } from '../common/errors/api-common-responses.decorator';
import { ErrorDto } from '../common/errors/error.dto';
import { publicBaseUrl } from '../common/http/forwarded';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ACCEPT_INVITE_PAGE } from './accept-invite.page';
import {
  AcceptInviteDto,
  ForgotPasswordDto,
  ForgotPasswordResultDto,
  InviteDto,
  InviteResultDto,
  InviteUrlDto,
  ResetPasswordDto,
  UserDto,
} from './dto/user.dto';
import { acceptInviteUrl, InvitesService } from './invites.service';
import { toUserResponse } from './user.mapper';

@ApiTags('users')
@ApiCommonResponses()
@ApiExtraModels(ForgotPasswordResultDto)
@Controller('user')
export class InvitesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly invites: InvitesService,
    private readonly auth: AuthService,
  ) {}

  private baseUrl(request: FastifyRequest): string {
    return publicBaseUrl({ configured: this.config.publicBaseUrl, host: request.host, protocol: request.protocol });
  }

  /**
   * Invite a user (admin)
   *
   * Creates an unverified account (or, with `resend_if_exists`, re-invites one that has not
   * accepted yet) and mails an invite link when SMTP is configured. When the mail was not sent, or
   * with `return_token`, the response carries the link and token, and the link is also logged.
   */
  @Post('invite')
  @HttpCode(200)
  @Authenticated({ level: 'admin' })
  @ApiOkResponse({ type: InviteResultDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description:
      '`User already exists`, `User already verified`, `Existing user has a different username`, `Existing user has a different email`, `User group does not exist with name: <g>` or `REGISTER_USER_ALREADY_EXISTS`',
  })
  async inviteUser(@Body() body: InviteDto, @Req() request: FastifyRequest): Promise<InviteResultDto> {
    const result = await this.invites.invite(body, this.baseUrl(request));
    return {
      user: toUserResponse(result.user),
      email_sent: result.emailSent,
      public_base_url: result.publicBaseUrl,
      accept_invite_url: result.acceptInviteUrl,
      invite_url: result.inviteUrl,
      token: result.token,
    };
  }

  /**
   * Where invite links point (admin)
   *
   * `PUBLIC_BASE_URL` when set; otherwise the forwarded host and scheme when the request came
   * through a local proxy, else the request's own.
   */
  @Get('invite/url')
  @Authenticated({ level: 'admin' })
  @ApiOkResponse({ type: InviteUrlDto })
  getInviteUrl(@Req() request: FastifyRequest): InviteUrlDto {
    const base = this.baseUrl(request);
    return { public_base_url: base, accept_invite_url: acceptInviteUrl(base) };
  }

  /**
   * The accept-invite web page
   *
   * A self-contained HTML page that reads `token` from its query string, asks for a password and
   * posts it to `POST /user/accept-invite`.
   */
  @Get('accept-invite')
  @ApiQuery({ name: 'token', required: false, description: 'The invite token from the link' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } })
  acceptInvitePage(@Res() reply: FastifyReply): void {
    void reply.status(200).type('text/html; charset=utf-8').send(ACCEPT_INVITE_PAGE);
  }

  /**
   * Accept an invitation
   *
   * Sets the password and marks the account verified; the user can log in afterwards.
   */
  @Post('accept-invite')
  @HttpCode(200)
  @ApiOkResponse({ type: UserDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: '`Invalid or expired invite token`, `Invalid invite token`, `User is inactive` or `Invite already accepted`',
  })
  @ApiNotFoundResponse({ type: ErrorDto, description: '`User not found`' })
  async acceptInvite(@Body() body: AcceptInviteDto): Promise<UserDto> {
    return toUserResponse(await this.invites.acceptInvite(body.token, body.password));
  }

  /**
   * Ask for a password-reset token
   *
   * Always 202, with `null` whether or not the email is known. The token is mailed; without SMTP it
   * is written to the server log, and a superuser caller receives it in the response. Requests are
   * rate-limited per client address (`LOGIN_RATE_LIMIT_ATTEMPTS` per window).
   */
  @Post('forgot-password')
  @HttpCode(202)
  @UseGuards(ResetRateLimitGuard)
  @ApiTooManyRequestsResponse({
    type: ErrorDto,
    description: '`Too many password reset requests, try again later`: too many requests from this address',
    headers: { 'Retry-After': { description: 'Seconds until requests are accepted again', schema: { type: 'integer' } } },
  })
  @ApiAcceptedResponse({
    description: '`null`, or for a superuser caller when no mail was sent `{"email_sent": false, "token": …}`',
    schema: { oneOf: [{ $ref: getSchemaPath(ForgotPasswordResultDto) }], nullable: true, example: null },
  })
  async forgotPassword(@Body() body: ForgotPasswordDto, @Headers('authorization') authorization: string | undefined): Promise<ForgotPasswordResultDto | null> {
    // Only a superuser token matters here; any other token, even a broken one, is ignored (docs/auth.md#endpoints).
    const caller = await this.auth.authenticate(authorization);
    return this.invites.forgotPassword(body.email, caller?.isSuperuser ?? false);
  }

  /**
   * Reset a password with a reset token
   *
   * The token dies when the password changes or after one hour.
   */
  @Post('reset-password')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Always `null`', schema: { type: 'object', nullable: true, example: null } })
  @ApiBadRequestResponse({ type: ErrorDto, description: '`RESET_PASSWORD_BAD_TOKEN`' })
  async resetPassword(@Body() body: ResetPasswordDto): Promise<null> {
    await this.invites.resetPassword(body.token, body.password);
    return null;
  }
}
