import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiCommonResponses } from '../common/errors/api-common-responses.decorator';
import { ErrorDto } from '../common/errors/error.dto';
import type { UserRecord } from '../storage/ports';
import { ApiTokensService } from './api-tokens.service';
import { Authenticated } from './authenticated.decorator';
import { CurrentUser } from './current-user.decorator';
import { ApiTokenCreatedDto, ApiTokenCreateDto, ApiTokenDto } from './dto/api-token.dto';

@ApiTags('api-tokens')
@ApiCommonResponses()
@Controller('user')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  /**
   * Create an API token
   *
   * A revocable bearer token that acts as the caller wherever an access token is accepted. The
   * secret `token` is in this response only.
   */
  @Post('me/tokens')
  @HttpCode(201)
  @Authenticated()
  @ApiCreatedResponse({ type: ApiTokenCreatedDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: '`expires_at must be in the future`' })
  createApiToken(@CurrentUser() user: UserRecord, @Body() body: ApiTokenCreateDto): Promise<ApiTokenCreatedDto> {
    return this.tokens.create(user.id, body);
  }

  /**
   * List the caller's API tokens
   *
   * Newest first, without secrets; revoked tokens stay listed for 30 days.
   */
  @Get('me/tokens')
  @Authenticated()
  @ApiOkResponse({ type: [ApiTokenDto] })
  listApiTokens(@CurrentUser() user: UserRecord): Promise<ApiTokenDto[]> {
    return this.tokens.list(user.id);
  }

  /**
   * Revoke one of the caller's API tokens
   *
   * The token fails on the very next request. Revoking twice is not an error.
   */
  @Delete('me/tokens/:token_id')
  @HttpCode(204)
  @Authenticated()
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ type: ErrorDto, description: '`Token not found with id: <id>`' })
  async revokeApiToken(@CurrentUser() user: UserRecord, @Param('token_id') tokenId: string): Promise<void> {
    await this.tokens.revoke(user.id, tokenId);
  }

  /** List a user's API tokens (admin) */
  @Get(':user_id/tokens')
  @Authenticated({ level: 'admin' })
  @ApiOkResponse({ type: [ApiTokenDto] })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Malformed ObjectId' })
  @ApiNotFoundResponse({ type: ErrorDto, description: '`User not found with id: <id>`' })
  async listUserApiTokens(@Param('user_id') userId: string): Promise<ApiTokenDto[]> {
    return this.tokens.list(await this.tokens.assertUserExists(userId));
  }

  /** Revoke a user's API token (admin) */
  @Delete(':user_id/tokens/:token_id')
  @HttpCode(204)
  @Authenticated({ level: 'admin' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Malformed ObjectId' })
  @ApiNotFoundResponse({ type: ErrorDto, description: '`User not found with id: <id>` or `Token not found with id: <id>`' })
  async revokeUserApiToken(@Param('user_id') userId: string, @Param('token_id') tokenId: string): Promise<void> {
    await this.tokens.revoke(await this.tokens.assertUserExists(userId), tokenId);
  }
}
