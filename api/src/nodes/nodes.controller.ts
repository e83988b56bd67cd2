import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated } from '../auth/authenticated.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiCommonResponses } from '../common/errors/api-common-responses.decorator';
import { ErrorDto } from '../common/errors/error.dto';
import { parseObjectId } from '../common/object-id';
import { parsePagination } from '../common/pagination/pagination';
import { parseNodeQuery } from '../common/query/query-parser';
import type { UserRecord } from '../storage/ports';
import { NodeDto, NodeInputDto } from './dto/node.dto';
import { NodeListDto } from './dto/node-list.dto';
import { nodeEtag, toNodeResponse } from './node.mapper';
import { NodesService } from './nodes.service';

type QueryParams = Record<string, string | string[] | undefined>;

@ApiTags('nodes')
@ApiCommonResponses()
@ApiExtraModels(NodeDto)
@Controller()
export class NodesController {
  constructor(private readonly nodes: NodesService) {}

  /**
   * Create a node
   *
   * The owner is always the caller. Answers 200 (not 201) with the stored node, as KernelCI does,
   * and publishes a `created` event on channel `node`.
   */
  @Post('node')
  @HttpCode(200)
  @Authenticated()
  @ApiOkResponse({ type: NodeDto, headers: { ETag: { description: 'Version of the node, for If-Match', schema: { type: 'string' } } } })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Unsupported kind, kind validation report, unknown group, or an `id` in the body' })
  @ApiNotFoundResponse({ type: ErrorDto, description: '`Parent not found with id: <id>`' })
  async createNode(@Body() body: NodeInputDto, @CurrentUser() user: UserRecord, @Res({ passthrough: true }) reply: FastifyReply): Promise<NodeDto> {
    const node = await this.nodes.create(body, user);
    void reply.header('ETag', nodeEtag(node));
    return toNodeResponse(node);
  }

  /**
   * Get a node by id
   *
   * A well-formed id that names no node answers 200 with `null`, as KernelCI does.
   */
  @Get('node/:node_id')
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(NodeDto) }], nullable: true }, description: 'The node, or null when no node has that id' })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Malformed ObjectId' })
  async getNode(@Param('node_id') nodeId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<NodeDto | null> {
    const node = await this.nodes.findById(parseObjectId(nodeId));
    if (!node) return null;
    void reply.header('ETag', nodeEtag(node));
    return toNodeResponse(node);
  }

  /**
   * List nodes matching a filter
   *
   * Every query parameter other than `limit` and `offset` is a condition of the query language:
   * `field=value`, `field__op=value` with `op` one of lt, lte, gt, gte, ne, re, in, nin, int, and
   * dotted paths into `data` (see docs/nodes.md). Items come in insertion order.
   */
  @Get('nodes')
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, default: 50 } })
  @ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', minimum: 0, default: 0 } })
  @ApiQuery({
    name: 'filters',
    required: false,
    style: 'form',
    explode: true,
    schema: { type: 'object', additionalProperties: { type: 'string' } },
    description: 'Query-language conditions, e.g. `kind=checkout&state__in=running,done&data.kernel_revision.tree=mainline`',
  })
  @ApiOkResponse({ type: NodeListDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'A filter value that cannot be converted' })
  async listNodes(@Query() query: QueryParams): Promise<NodeListDto> {
    const page = parsePagination(query);
    const { items, total } = await this.nodes.list(parseNodeQuery(query), page);
    return { items: items.map(toNodeResponse), total, limit: page.limit, offset: page.offset };
  }
}
