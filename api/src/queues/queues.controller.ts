import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated } from '../auth/authenticated.decorator';
import { ApiCommonResponses } from '../common/errors/api-common-responses.decorator';
import { UnprocessableError } from '../common/errors/domain-errors';
import { InvalidCloudEventError } from '../events/cloud-event';
import { QueueEventDto, QueuePushDto } from './queue.dto';
import { QueuesService, type PopConsumer } from './queues.service';

/**
 * The consumer's connection as a pop sees it: gone when it closed before the answer was written.
 * Both the response and its socket are watched: a socket that closed before the handler ran never
 * emits `close` on the response, and a client that closes its side only (FIN) is not disconnected
 * by Node until the answer was written, so the end of the socket's input counts as gone too.
 */
export function consumerOf(reply: FastifyReply): PopConsumer {
  const raw = reply.raw;
  const socket = raw.socket;
  let fired = false;
  const callbacks: (() => void)[] = [];
  const closed = () => !raw.writableFinished && (fired || raw.destroyed || !socket || socket.destroyed || socket.readableEnded);
  const onClose = () => {
    if (raw.writableFinished || fired) return;
    fired = true;
    for (const callback of callbacks.splice(0)) callback();
  };
  raw.once('close', onClose);
  socket?.once('close', onClose);
  socket?.once('end', onClose);
  // A kept-alive socket serves later requests: stop watching it once this answer is done.
  raw.once('close', () => {
    socket?.off('close', onClose);
    socket?.off('end', onClose);
  });
  return {
    gone: closed,
    onGone(callback) {
      if (closed()) callback();
      else callbacks.push(callback);
    },
  };
}

/** KernelCI's queue lists (docs/queues-kv.md): FIFO lists of CloudEvents shared by every replica. */
@ApiTags('queues')
@ApiCommonResponses()
@Controller()
export class QueuesController {
  constructor(private readonly queues: QueuesService) {}

  /**
   * Append an event to a queue list
   *
   * The body's `data` is the event payload; every other key becomes a CloudEvent attribute
   * (`type` defaults to `api.kernelci.org`, `source` to CLOUD_EVENTS_SOURCE). Queue items are not
   * part of the event history.
   */
  @Post('push/:list_name')
  @HttpCode(200)
  @Authenticated()
  @ApiBody({ type: QueuePushDto, examples: { job: { summary: 'A job for a runtime', value: { data: { node_id: '65a1c9f0e7d4b3a2c1f0e9d8', runtime: 'lava-collabora' }, type: 'job.queued' } } } })
  @ApiOkResponse({ schema: { type: 'object', nullable: true, enum: [null] }, description: 'null' })
  async push(@Param('list_name') list: string, @Body() body: unknown): Promise<null> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new UnprocessableError([{ type: 'dict_type', loc: ['body'], msg: 'Input should be a valid dictionary', input: body ?? null }]);
    }
    if (!('data' in body)) throw new UnprocessableError([{ type: 'missing', loc: ['body', 'data'], msg: 'Field required', input: body }]);
    try {
      await this.queues.push(list, body as Record<string, unknown>);
    } catch (error) {
      if (error instanceof InvalidCloudEventError) throw new UnprocessableError([{ type: 'value_error', loc: ['body'], msg: error.message, input: body }]);
      throw error;
    }
    return null;
  }

  /**
   * Take the oldest event of a queue list
   *
   * Each item is handed to exactly one consumer, whichever replica it asks. Waits up to
   * POP_TIMEOUT_SECONDS for an item, then answers `null` (ask again). An item taken for a consumer
   * whose connection closes before the answer is written is put back at its place. Never retry a
   * pop blindly after a lost answer: the item may have been delivered.
   */
  @Get('pop/:list_name')
  @Authenticated()
  @ApiExtraModels(QueueEventDto)
  @ApiOkResponse({ schema: { nullable: true, allOf: [{ $ref: getSchemaPath(QueueEventDto) }] }, description: 'The CloudEvent as a JSON object, or null when none arrived in time' })
  async pop(@Param('list_name') list: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown> | null> {
    return this.queues.pop(list, consumerOf(reply));
  }
}
