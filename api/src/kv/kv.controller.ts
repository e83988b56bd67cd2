import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiInternalServerErrorResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/authenticated.decorator';
import { ApiCommonResponses } from '../common/errors/api-common-responses.decorator';
import { ErrorDto } from '../common/errors/error.dto';
import { rawBodyText } from '../common/http/body-parsing';
import { keyValueFromBody, KeyValueService } from './kv.service';

/** Answers a JSON string or null (a bare string return would be sent as text/plain). */
function json(reply: FastifyReply, value: string | null): string {
  reply.header('content-type', 'application/json; charset=utf-8');
  return JSON.stringify(value);
}

/** KernelCI's key/value store (docs/queues-kv.md): namespaced string values, no expiry. */
@ApiTags('kv')
@ApiCommonResponses()
@Controller()
export class KeyValueController {
  constructor(private readonly kv: KeyValueService) {}

  /** Read a value: the string, or null when the key is not set. */
  @Get('kv/:namespace/:key')
  @Authenticated()
  @ApiOkResponse({ schema: { type: 'string', nullable: true, example: 'v6.9-rc1-123-gabcdef' } })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Namespace or key too long' })
  async get(@Param('namespace') namespace: string, @Param('key') key: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return json(reply, await this.kv.get(namespace, key));
  }

  /**
   * Set a value
   *
   * The whole body is the value: a JSON string with `Content-Type: application/json`, or raw
   * text with any other content type. An empty body (or `""`) deletes the key. At most 1 MiB.
   */
  @Post('kv/:namespace/:key')
  @HttpCode(200)
  @Authenticated()
  @ApiConsumes('application/json', 'text/plain')
  @ApiBody({ schema: { type: 'string', example: 'v6.9-rc1-123-gabcdef' }, required: false })
  @ApiOkResponse({ schema: { type: 'string', enum: ['OK'] } })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Namespace or key too long, or value larger than 1 MiB' })
  @ApiInternalServerErrorResponse({ type: ErrorDto, description: '`Failed to set key-value pair`' })
  async set(
    @Param('namespace') namespace: string,
    @Param('key') key: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    await this.kv.set(namespace, key, keyValueFromBody(request.headers['content-type'], rawBodyText(request), request.body));
    return json(reply, 'OK');
  }

  /** Delete a value (also when it is not set). */
  @Delete('kv/:namespace/:key')
  @Authenticated()
  @ApiOkResponse({ schema: { type: 'string', enum: ['Key-value pair deleted successfully'] } })
  async delete(@Param('namespace') namespace: string, @Param('key') key: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    await this.kv.delete(namespace, key);
    return json(reply, 'Key-value pair deleted successfully');
  }
}
