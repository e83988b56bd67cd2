import { applyDecorators, Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiExtraModels,
  ApiGatewayTimeoutResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiPreconditionFailedResponse,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/authenticated.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiCommonResponses } from '../common/errors/api-common-responses.decorator';
import { BadRequestError } from '../common/errors/domain-errors';
import { ErrorDto, ValidationErrorDto } from '../common/errors/error.dto';
import { parseObjectId } from '../common/object-id';
import { ApiPagination, type PageParams, Pagination } from '../common/query/pagination';
import { parseNodeQuery } from '../common/query/query-parser';
import { lastValue, parseQueryBoolean, type QueryParams } from '../common/query/query-params';
import type { NodeRecord, UserRecord } from '../storage/ports';
import { BatchNodesetDto } from './dto/node-batch.dto';
import { HierarchyNodeDto, NodeDto, NodeInputDto, NodePatchDto } from './dto/node.dto';
import { NodeListDto } from './dto/node-list.dto';
import { idempotentRequest } from '../common/idempotency/idempotency.http';
import { checkHierarchyBody, checkNodeBody } from './node-body';
import { etagOfResponse, nodeEtag, toNodeResponse } from './node.mapper';
import { decodeCursor, encodeCursor, parseFastPaging, parseSort } from './node-paging';
import { NodesService } from './nodes.service';

const ETAG_HEADER = { ETag: { description: 'Version of the node, for If-Match', schema: { type: 'string', example: '"q1b2…"' } } };
const NODE_ID_PARAM = { name: 'node_id', description: 'Node id (24 hexadecimal characters)', example: '65a3982ee98651d0fe82b010' };
const IF_MATCH = {
  name: 'If-Match',
  required: false,
  // No example: Swagger UI would send it, and a made-up ETag always fails with 412.
  description: 'Write only if the node still has one of these ETags (or `*`), e.g. the `ETag` of your last read; 412 otherwise (see docs/nodes.md)',
};
const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  required: false,
  // No example: Swagger UI would send the same key with every create, and the second one would fail.
  description: '1–255 visible ASCII characters, unique per creation (e.g. `lab-42-job-1234-submit`); a retry with the same key and body replays the first answer (see docs/nodes.md)',
};
const NOEVENT = {
  name: 'noevent',
  required: false,
  description: 'true/false, 1/0, yes/no, on/off: when true, no `updated` event is published',
  schema: { type: 'string', example: 'false' },
};
const FILTERS = {
  name: 'filters',
  required: false,
  style: 'form' as const,
  explode: true,
  schema: {
    type: 'object' as const,
    additionalProperties: { type: 'string' as const },
    example: { kind: 'checkout', state__in: 'running,done', 'data.kernel_revision.tree': 'mainline' },
  },
  description:
    'Query-language conditions (docs/nodes.md#query-language): `field=value` or `field__op=value` with op one of lt, lte, gt, gte, ne, re, in, nin, int; dotted paths into data',
};
const SORT = {
  name: 'sort',
  required: false,
  description: 'Order: `id`, `created` or `updated`, `-` prefix for descending (e.g. `-created`); ties broken by id',
  schema: { type: 'string', enum: ['id', '-id', 'created', '-created', 'updated', '-updated'] },
};
/** 422 of the node write routes: the FastAPI list, or a string for JSON fidelity and Idempotency-Key reuse. */
const WRITE_422 = {
  description: 'Request validation failed, a body the database cannot keep faithfully (docs/security.md#input-limits), or a reused Idempotency-Key',
  schema: { oneOf: [{ $ref: getSchemaPath(ValidationErrorDto) }, { $ref: getSchemaPath(ErrorDto) }] },
};

const TOO_LARGE = { type: ErrorDto, description: '`Request body too large` (above MAX_REQUEST_BODY_BYTES, 32 MiB by default)' };

// Composed decorators apply in the order listed, method decorators bottom-up: both lists are the
// reverse of how they would be written on the method, so the OpenAPI document keeps its order.
/** The top of PUT and PATCH /node/{id}: authentication, parameters and headers. */
const NodeWriteRoute = (): MethodDecorator => applyDecorators(ApiHeader(IF_MATCH), ApiQuery(NOEVENT), ApiParam(NODE_ID_PARAM), Authenticated());

/** The failures PUT and PATCH /node/{id} share (404, 412, 422, 413). */
const NodeWriteFailures = (): MethodDecorator =>
  applyDecorators(
    ApiPayloadTooLargeResponse(TOO_LARGE),
    ApiUnprocessableEntityResponse(WRITE_422),
    ApiPreconditionFailedResponse({ type: ErrorDto, description: '`Precondition failed: node has been modified`' }),
    ApiNotFoundResponse({ type: ErrorDto, description: '`Node not found with id: <id>`' }),
  );

type RawRequest = FastifyRequest & { body: unknown };

@ApiTags('nodes')
@ApiCommonResponses()
@ApiExtraModels(NodeDto, ValidationErrorDto, ErrorDto)
@Controller()
export class NodesController {
  constructor(private readonly nodes: NodesService) {}

  /**
   * Create a node
   *
   * The owner is always the caller. Answers 200 (not 201) with the stored node, as KernelCI does,
   * and publishes a `created` event on channel `node`. Honours `Idempotency-Key`.
   */
  @Post('node')
  @HttpCode(200)
  @Authenticated()
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiOkResponse({ type: NodeDto, headers: { ...ETAG_HEADER, 'Idempotent-Replayed': { description: '`true` on a replayed answer', schema: { type: 'string' } } } })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Unsupported kind, kind validation report, unknown group, an `id` in the body, or a malformed Idempotency-Key' })
  @ApiUnauthorizedResponse({ type: ErrorDto, description: 'No valid token' })
  @ApiNotFoundResponse({ type: ErrorDto, description: '`Parent not found with id: <id>`' })
  @ApiConflictResponse({ type: ErrorDto, description: 'A request with this Idempotency-Key is still executing' })
  @ApiUnprocessableEntityResponse(WRITE_422)
  @ApiPayloadTooLargeResponse(TOO_LARGE)
  async createNode(
    @Body() body: NodeInputDto,
    @CurrentUser() user: UserRecord,
    @Headers('idempotency-key') key: string | undefined,
    @Req() request: RawRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NodeDto> {
    checkNodeBody(request.body);
    const outcome = await this.nodes.create(body, user, idempotentRequest(request, key));
    if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
    void reply.header('ETag', etagOfResponse(outcome.result));
    return outcome.result;
  }

  /**
   * Get a node by id
   *
   * A well-formed id that names no node answers 200 with `null`, as KernelCI does.
   */
  @Get('node/:node_id')
  @ApiParam(NODE_ID_PARAM)
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(NodeDto) }], nullable: true }, headers: ETAG_HEADER, description: 'The node, or null when no node has that id' })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Malformed ObjectId' })
  async getNode(@Param('node_id') nodeId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<NodeDto | null> {
    const node = await this.nodes.findById(parseObjectId(nodeId));
    if (!node) return null;
    void reply.header('ETag', nodeEtag(node));
    return toNodeResponse(node);
  }

  /**
   * Replace a node
   *
   * Full replacement: omitted fields take their defaults; `owner`, `submitter` and `user_groups`
   * keep their stored values. Checks the state machine and the KCIDB flag rules, honours
   * `If-Match`, and publishes an `updated` event unless `noevent` is true.
   */
  @Put('node/:node_id')
  @NodeWriteRoute()
  @ApiOkResponse({ type: NodeDto, headers: ETAG_HEADER })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Malformed id, forbidden transition, kind validation, or parent equal to the node' })
  @ApiUnauthorizedResponse({ type: ErrorDto, description: '`Unauthorized` without a valid token; `Unauthorized to complete the operation` when the caller may not edit the node' })
  @NodeWriteFailures()
  async updateNode(
    @Param('node_id') nodeId: string,
    @Body() body: NodeInputDto,
    @Query('noevent') noevent: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() user: UserRecord,
    @Req() request: RawRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NodeDto> {
    return this.write(request, reply, { ifMatch, noevent }, (options) => this.nodes.replace(nodeId, body, user, options));
  }

  /**
   * Update some fields of a node
   *
   * Applies exactly the fields present (state, result, artifacts, data, debug, jobfilter,
   * platform_filter, timeout, holdoff, processed_by_kcidb_bridge); `data` is replaced, not merged.
   * Honours `If-Match` and `noevent`.
   */
  @Patch('node/:node_id')
  @NodeWriteRoute()
  @ApiOkResponse({ type: NodeDto, headers: ETAG_HEADER })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Malformed id, `No fields to update`, forbidden transition or kind validation' })
  @ApiUnauthorizedResponse({ type: ErrorDto, description: '`Unauthorized` or `Unauthorized to complete the operation`' })
  @NodeWriteFailures()
  async patchNode(
    @Param('node_id') nodeId: string,
    @Body() body: NodePatchDto,
    @Query('noevent') noevent: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() user: UserRecord,
    @Req() request: RawRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NodeDto> {
    const present = new Set(Object.keys(request.body as object));
    return this.write(request, reply, { ifMatch, noevent }, (options) => this.nodes.patch(nodeId, body, present, user, options));
  }

  /** What PUT and PATCH share around the service call: the body checks, `noevent`, the ETag. */
  private async write(
    request: RawRequest,
    reply: FastifyReply,
    given: { ifMatch: string | undefined; noevent: string | undefined },
    run: (options: { ifMatch: string | undefined; noevent: boolean }) => Promise<NodeRecord>,
  ): Promise<NodeDto> {
    checkNodeBody(request.body);
    const node = await run({ ifMatch: given.ifMatch, noevent: parseQueryBoolean(given.noevent, 'noevent', false) });
    void reply.header('ETag', nodeEtag(node));
    return toNodeResponse(node);
  }

  /**
   * Submit a hierarchy of nodes
   *
   * Updates the root and creates or replaces every node below it in one transaction, after checking
   * all of them; stores kind-normalised data; publishes one `updated` event for the root. Answers
   * every written node, root first, in pre-order. Honours `If-Match` (on the root) and
   * `Idempotency-Key`.
   */
  @Put('nodes/:node_id')
  @Authenticated()
  @ApiParam(NODE_ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiOkResponse({ type: [NodeDto], headers: { ...ETAG_HEADER, 'Idempotent-Replayed': { description: '`true` on a replayed answer', schema: { type: 'string' } } } })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Malformed id, `No object found with id: <id>`, parent equal to a node, kind validation, or a malformed Idempotency-Key' })
  @ApiUnauthorizedResponse({ type: ErrorDto, description: '`Unauthorized` or `Unauthorized to complete the operation`' })
  @ApiNotFoundResponse({ type: ErrorDto, description: '`Node not found with id: <id>` (the root)' })
  @ApiConflictResponse({ type: ErrorDto, description: 'A request with this Idempotency-Key is still executing' })
  @ApiPreconditionFailedResponse({ type: ErrorDto, description: '`Precondition failed: node has been modified`' })
  @ApiUnprocessableEntityResponse(WRITE_422)
  @ApiPayloadTooLargeResponse(TOO_LARGE)
  async submitHierarchy(
    @Param('node_id') nodeId: string,
    @Body() body: HierarchyNodeDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: UserRecord,
    @Req() request: RawRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NodeDto[]> {
    checkHierarchyBody(request.body);
    const idempotency = idempotentRequest(request, key);
    const outcome = await this.nodes.submitHierarchy(parseObjectId(nodeId), body, user, { ifMatch }, idempotency);
    if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
    if (outcome.result[0]) void reply.header('ETag', nodeEtag(outcome.result[0]));
    return outcome.result.map(toNodeResponse);
  }

  /**
   * Set the KCIDB flag of many nodes
   *
   * Sets `processed_by_kcidb_bridge` on every listed node the caller may edit (others are skipped)
   * and answers how many were updated. Publishes no events.
   */
  @Put('batch/nodeset')
  @Authenticated()
  @ApiOkResponse({ schema: { type: 'integer', example: 3 }, description: 'Number of nodes updated' })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Malformed id, `Field not supported` or `Value not supported`' })
  @ApiUnauthorizedResponse({ type: ErrorDto, description: 'No valid token' })
  @ApiNotFoundResponse({ type: ErrorDto, description: '`Node not found with id: <id>` (earlier nodes stay updated)' })
  @ApiPayloadTooLargeResponse(TOO_LARGE)
  async batchUpdateNodes(@Body() body: BatchNodesetDto, @CurrentUser() user: UserRecord): Promise<number> {
    return this.nodes.batchSetFlag(body.nodes, body.field, body.value, user);
  }

  /**
   * List nodes matching a filter
   *
   * Every query parameter other than `limit`, `offset`, `sort` and `cursor` is a condition of the
   * query language (see docs/nodes.md). Items come in insertion order unless `sort` is given;
   * `sort` or `cursor` add `next_cursor` to the envelope for keyset paging.
   */
  @Get('nodes')
  @ApiPagination('Matches to skip; must be absent or 0 with `cursor`')
  @ApiQuery(SORT)
  @ApiQuery({ name: 'cursor', required: false, description: 'The `next_cursor` of the previous page, with the same filter and sort (opaque)', schema: { type: 'string' } })
  @ApiQuery(FILTERS)
  @ApiOkResponse({ type: NodeListDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'A filter value that cannot be converted, an invalid regular expression, sort field or cursor' })
  async listNodes(@Pagination() page: PageParams, @Query() query: QueryParams): Promise<NodeListDto> {
    const filter = parseNodeQuery(query);
    let sort = parseSort(query);
    const cursor = lastValue(query.cursor);
    let after;
    if (cursor !== undefined) {
      if (page.offset !== 0) throw new BadRequestError('offset cannot be used with cursor');
      ({ sort, after } = decodeCursor(query, cursor, sort));
    }
    const { items, total, last } = await this.nodes.listPage({ filter, sort, after, limit: page.limit, offset: page.offset });
    const envelope = { items: items.map(toNodeResponse), total, limit: page.limit, offset: page.offset };
    if (sort === undefined) return envelope;
    return { ...envelope, next_cursor: last ? encodeCursor(query, sort, last) : null };
  }

  /**
   * List nodes without pagination
   *
   * A bare array of every match (or `limit` of them after `offset`), in insertion order unless
   * `sort` is given. Abandoned with 504 after NODES_FAST_TIMEOUT_SECONDS.
   */
  @Get('nodes/fast')
  @ApiQuery({ name: 'limit', required: false, description: 'Maximum number of nodes; 0 or absent for all', schema: { type: 'integer', example: 1000 } })
  @ApiQuery({ name: 'offset', required: false, description: 'Matches to skip', schema: { type: 'integer', example: 0 } })
  @ApiQuery(SORT)
  @ApiQuery(FILTERS)
  @ApiOkResponse({ type: [NodeDto] })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'A non-integer limit or offset, a filter value that cannot be converted, or an invalid regular expression' })
  @ApiGatewayTimeoutResponse({ type: ErrorDto, description: '`Timeout while fetching nodes: `' })
  async listNodesFast(@Query() query: QueryParams): Promise<NodeDto[]> {
    const paging = parseFastPaging(query);
    const nodes = await this.nodes.listFast({ filter: parseNodeQuery(query), sort: parseSort(query), ...paging });
    return nodes.map(toNodeResponse);
  }

  /**
   * Count nodes matching a filter
   *
   * Same filter language as `/nodes`; `limit`, `offset`, `sort` and `cursor` are ignored. Answers a
   * bare integer.
   */
  @Get('count')
  @ApiQuery(FILTERS)
  @ApiOkResponse({ schema: { type: 'integer', example: 4 }, description: 'Number of matching nodes' })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'A filter value that cannot be converted or an invalid regular expression' })
  async countNodes(@Query() query: QueryParams): Promise<number> {
    return this.nodes.count(parseNodeQuery(query));
  }
}
