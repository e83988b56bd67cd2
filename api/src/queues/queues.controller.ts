import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated } from '../auth/authenticated.decorator';
import { ApiCommonResponses } from '../common/errors/api-common-responses.decorator';
import { UnprocessableError } from '../common/errors/domain-errors';
import { InvalidCloudEventError } from '../events/cloud-event';
import { QueueEventDto, QueuePushDto } from './queue.dto';
import { QueuesService, type PopConsumer } from './queues.service';

/** The consumer's connection as a pop sees it: gone when it closes before the answer was written. */
function consumerOf(reply: FastifyReply): PopConsumer {
  const raw = reply.raw;
  const closedEarly = () => raw.destroyed && !raw.writableFinished;
  return {
    gone: closedEarly,
    onGone(callback) {
      if (closedEarly()) return callback();
      raw.once('close', () => {
        if (!raw.writableFinished) callback();
      });
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
  @ApiOkResponse({ type: QueueEventDto, description: 'The CloudEvent as a JSON object, or null when none arrived in time' })
  async pop(@Param('list_name') list: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown> | null> {
    return this.queues.pop(list, consumerOf(reply));
  }
}
