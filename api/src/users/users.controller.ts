import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/authenticated.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiCommonResponses } from '../common/errors/api-common-responses.decorator';
import { NotFoundError } from '../common/errors/domain-errors';
import { ErrorDto } from '../common/errors/error.dto';
import { ApiFilterQuery, ApiPagination, type PageParams, Pagination } from '../common/query/pagination';
import type { QueryParams } from '../common/query/query-params';
import type { UserRecord } from '../storage/ports';
import { UserDto, UserListDto, UserPatchDto } from './dto/user.dto';
import { parseExactMatchQuery } from './exact-match-query';
import { toUserResponse } from './user.mapper';
import { UsersService } from './users.service';

const USER_EXAMPLE = {
  id: '6526448e7d140ee220971a0e',
  email: 'alice@example.org',
  is_active: true,
  is_superuser: false,
  is_verified: true,
  username: 'alice',
  groups: [{ id: '648ff894bd39930355ed16ad', name: 'kernelci' }],
};

@ApiTags('users')
@ApiCommonResponses()
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /**
   * The caller's own account
   *
   * Needs a verified user: an unverified one gets 403 `Forbidden`.
   */
  @Get('whoami')
  @Authenticated({ level: 'verified' })
  @ApiOkResponse({ type: UserDto, example: USER_EXAMPLE })
  whoami(@CurrentUser() user: UserRecord): UserDto {
    return toUserResponse(user);
  }

  /**
   * List users
   *
   * Any active user may list all users (as in KernelCI). Every query parameter other than `limit`
   * and `offset` is an exact match on the user document, e.g. `username=bob`, `groups.name=team-a`,
   * `is_superuser=true` (`true`/`false` in any case are booleans). Filtering on `hashed_password`
   * is refused.
   */
  @Get('users')
  @Authenticated()
  @ApiPagination()
  @ApiFilterQuery('Exact-match conditions, e.g. `groups.name=kernelci&is_superuser=false`')
  @ApiOkResponse({ type: UserListDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: '`Invalid filter field: hashed_password`' })
  async listUsers(@Pagination() page: PageParams, @Query() query: QueryParams): Promise<UserListDto> {
    const { items, total } = await this.users.list(parseExactMatchQuery(query, { forbidden: 'hashed_password' }), page);
    return { items: items.map(toUserResponse), total, limit: page.limit, offset: page.offset };
  }

  /**
   * Get a user by id
   *
   * Unknown and malformed ids (and `me`: there is no `GET /user/me`) answer 404 `Not Found`.
   */
  @Get('user/:user_id')
  @Authenticated()
  @ApiOkResponse({ type: UserDto, example: USER_EXAMPLE })
  @ApiNotFoundResponse({ type: ErrorDto, description: '`Not Found`' })
  async getUser(@Param('user_id') id: string): Promise<UserDto> {
    return toUserResponse(await this.users.get(id));
  }

  /**
   * Update the caller's own account
   *
   * `username`, `email` and `password` are applied; `is_active`, `is_superuser` and `is_verified`
   * are ignored; a non-empty `groups` is refused. Changing the email clears `is_verified`.
   */
  @Patch('user/me')
  @Authenticated()
  @ApiOkResponse({ type: UserDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: '`User groups can only be updated by an admin user`, `Username already exists: <name>` or `UPDATE_USER_EMAIL_ALREADY_EXISTS`',
  })
  async updateMe(@CurrentUser() user: UserRecord, @Body() patch: UserPatchDto): Promise<UserDto> {
    return toUserResponse(await this.users.patchSelf(user, patch));
  }

  /**
   * Update any user (admin)
   *
   * Every given field is applied, flags included. A non-empty `groups` replaces the user's groups;
   * `groups: []` leaves them alone. An email change clears `is_verified` unless the same request
   * sets it.
   */
  @Patch('user/:user_id')
  @Authenticated({ level: 'admin' })
  @ApiOkResponse({ type: UserDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description:
      'Malformed ObjectId, `Username already exists: <name>`, `UPDATE_USER_EMAIL_ALREADY_EXISTS` or `User group does not exist with name: <g>`',
  })
  @ApiNotFoundResponse({ type: ErrorDto, description: '`User not found with id: <id>`' })
  async updateUser(@Param('user_id') id: string, @Body() patch: UserPatchDto): Promise<UserDto> {
    return toUserResponse(await this.users.patchUser(id, patch));
  }

  /**
   * Delete a user (admin)
   *
   * Answers 200 with `null`, as KernelCI does. Nodes owned by the user are kept; the user's API
   * tokens are deleted.
   */
  @Delete('user/:user_id')
  @HttpCode(200)
  @Authenticated({ level: 'admin' })
  @ApiResponse({ status: 200, description: 'Always `null`', schema: { type: 'object', nullable: true, example: null } })
  @ApiNotFoundResponse({ type: ErrorDto, description: '`Not Found`: unknown or malformed id' })
  async deleteUser(@Param('user_id') id: string): Promise<null> {
    await this.users.delete(id);
    return null;
  }

  /**
   * Log out
   *
   * Nothing is revoked: access tokens stay valid until they expire (revoke API tokens instead).
   */
  @Post('user/logout')
  @HttpCode(204)
  @Authenticated({ level: 'verified' })
  @ApiNoContentResponse({ description: 'Done; the token keeps working' })
  logout(): void {
    return undefined;
  }

  /**
   * Self-registration (disabled)
   *
   * Kept for KernelCI compatibility: after the admin check it always answers 404. Use
   * `POST /user/invite`.
   */
  @Post('user/register')
  @Authenticated({ level: 'admin' })
  @ApiNotFoundResponse({ type: ErrorDto, description: '`User registration is disabled; use /user/invite instead.`' })
  register(): never {
    throw new NotFoundError('User registration is disabled; use /user/invite instead.');
  }
}
