import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/authenticated.decorator';
import { ApiCommonResponses } from '../common/errors/api-common-responses.decorator';
import { ErrorDto } from '../common/errors/error.dto';
import { ApiPagination, type PageParams, Pagination } from '../common/query/pagination';
import type { QueryParams } from '../common/query/query-params';
import { parseExactMatchQuery } from '../users/exact-match-query';
import { toGroupResponse } from '../users/user.mapper';
import { GroupCreateDto, GroupDto, GroupListDto } from './group.dto';
import { GroupsService } from './groups.service';

@ApiTags('user-groups')
@ApiCommonResponses()
@Controller('user-groups')
@Authenticated({ level: 'admin' })
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  /**
   * List user groups (admin)
   *
   * Every query parameter other than `limit` and `offset` is an exact match, e.g. `name=kernelci`.
   */
  @Get()
  @ApiPagination()
  @ApiQuery({ name: 'name', required: false, description: 'Exact group name' })
  @ApiOkResponse({ type: GroupListDto })
  async listGroups(@Pagination() page: PageParams, @Query() query: QueryParams): Promise<GroupListDto> {
    const { items, total } = await this.groups.list(parseExactMatchQuery(query), page);
    return { items: items.map(toGroupResponse), total, limit: page.limit, offset: page.offset };
  }

  /** Get a user group by id (admin) */
  @Get(':group_id')
  @ApiOkResponse({ type: GroupDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Malformed ObjectId' })
  @ApiNotFoundResponse({ type: ErrorDto, description: '`User group not found with id: <id>`' })
  async getGroup(@Param('group_id') id: string): Promise<GroupDto> {
    return toGroupResponse(await this.groups.get(id));
  }

  /**
   * Create a user group (admin)
   *
   * Answers 200 (not 201), as KernelCI does.
   */
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: GroupDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: '`User group already exists with name: <name>`' })
  async createGroup(@Body() body: GroupCreateDto): Promise<GroupDto> {
    return toGroupResponse(await this.groups.create(body.name));
  }

  /**
   * Delete a user group (admin)
   *
   * Refused with 409 while any user has the group.
   */
  @Delete(':group_id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Malformed ObjectId' })
  @ApiNotFoundResponse({ type: ErrorDto, description: '`User group not found with id: <id>`' })
  @ApiConflictResponse({ type: ErrorDto, description: '`User group is assigned to users and cannot be deleted. Remove it from users first.`' })
  async deleteGroup(@Param('group_id') id: string): Promise<void> {
    await this.groups.delete(id);
  }
}
