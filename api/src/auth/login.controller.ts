import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ApiCommonResponses } from '../common/errors/api-common-responses.decorator';
import { ErrorDto } from '../common/errors/error.dto';
import { AuthService } from './auth.service';
import { AccessTokenDto, LoginFormDto, UpdatePasswordFormDto } from './dto/login.dto';
import { ClientAddress, LoginRateLimitGuard } from './login-rate-limiter';

const TOO_MANY = {
  type: ErrorDto,
  description: '`Too many login attempts, try again later`: too many failed attempts for this username or address (docs/auth.md#login-rate-limit)',
  headers: { 'Retry-After': { description: 'Seconds until attempts are checked again', schema: { type: 'integer' } } },
} as const;

@ApiTags('auth')
@ApiCommonResponses()
@Controller('user')
@UseGuards(LoginRateLimitGuard)
export class LoginController {
  constructor(private readonly auth: AuthService) {}

  /**
   * Log in with a username and password
   *
   * Form-encoded OAuth2 password flow. Returns a long-lived access token (ten years by default); for
   * automation prefer a revocable API token (`POST /user/me/tokens`). Failed attempts are
   * rate-limited per username and per client address.
   */
  @Post('login')
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: LoginFormDto, examples: { admin: { value: { username: 'admin', password: 'secret' } } } })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: '`LOGIN_BAD_CREDENTIALS` or `LOGIN_USER_NOT_VERIFIED`' })
  @ApiTooManyRequestsResponse(TOO_MANY)
  login(@Body() form: LoginFormDto, @ClientAddress() address: string): Promise<AccessTokenDto> {
    return this.auth.login(form.username, form.password, address);
  }

  /**
   * Change a password with the current credentials
   *
   * Form fields `username`, `password` (current) and optional `new_password`. Verification is not
   * required. Without `new_password` nothing changes. Counts toward the login rate limit.
   */
  @Post('update-password')
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: UpdatePasswordFormDto })
  @ApiResponse({ status: 200, description: 'Always `null`', schema: { type: 'object', nullable: true, example: null } })
  @ApiBadRequestResponse({ type: ErrorDto, description: '`LOGIN_BAD_CREDENTIALS`: wrong credentials or inactive user' })
  @ApiTooManyRequestsResponse(TOO_MANY)
  updatePassword(@Body() form: UpdatePasswordFormDto, @ClientAddress() address: string): Promise<null> {
    return this.auth.updatePassword(form.username, form.password, form.new_password, address);
  }
}
