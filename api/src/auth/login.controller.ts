import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiCommonResponses } from '../common/errors/api-common-responses.decorator';
import { ErrorDto } from '../common/errors/error.dto';
import { AuthService } from './auth.service';
import { AccessTokenDto, LoginFormDto } from './dto/login.dto';

@ApiTags('auth')
@ApiCommonResponses()
@Controller('user')
export class LoginController {
  constructor(private readonly auth: AuthService) {}

  /**
   * Log in with a username and password
   *
   * Form-encoded OAuth2 password flow. Returns a long-lived access token (ten years by default);
   * use revocable API tokens for automation where the server offers them.
   */
  @Post('login')
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: LoginFormDto })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: '`LOGIN_BAD_CREDENTIALS` or `LOGIN_USER_NOT_VERIFIED`' })
  login(@Body() form: LoginFormDto): Promise<AccessTokenDto> {
    return this.auth.login(form.username, form.password);
  }
}
