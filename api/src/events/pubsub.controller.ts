import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated } from '../auth/authenticated.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ApiCommonResponses } from '../common/errors/api-common-responses.decorator';
import { UnprocessableError } from '../common/errors/domain-errors';
import { ErrorDto } from '../common/errors/error.dto';
import { lastValue, parsePathInteger, parseQueryBoolean, type QueryParams } from '../common/query/query-params';
import type { UserRecord } from '../storage/ports';
import { InvalidCloudEventError, keepAliveCloudEvent, pythonJsonDumps } from './cloud-event';
import { ListenMessageDto, PublishEventDto, SubscriptionDto, SubscriptionStatsDto } from './dto/events.dto';
import { EventLogService } from './event-log.service';
import { toSubscriptionResponse, toSubscriptionStats } from './event.mapper';
import { SubscriptionsService } from './subscriptions.service';


/** KernelCI's HTTP pub/sub (docs/events.md#http-pubsub-kernelci-compatible), with durable subscribers (docs/events.md#durable-subscribers). */
@ApiTags('pubsub')
@ApiCommonResponses()
@Controller()
export class PubSubController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly subscriptions: SubscriptionsService,
    private readonly eventLog: EventLogService,
  ) {}

  /**
   * Subscribe to a channel
   *
   * Events published afterwards are delivered by `GET /listen/{sub_id}`. By default only events
   * without an owner or about the caller's own nodes are delivered (`promisc=true`: all). With a
   * `subscriber_id` the subscription is durable: it resumes where the last one with that id stopped.
   */
  @Post('subscribe/:channel')
  @HttpCode(200)
  @Authenticated()
  @ApiQuery({ name: 'promisc', required: false, schema: { type: 'boolean', default: false } })
  @ApiQuery({ name: 'subscriber_id', required: false, schema: { type: 'string' }, description: 'Stable id of a durable subscriber, e.g. `scheduler:node`' })
  @ApiOkResponse({ type: SubscriptionDto })
  @ApiForbiddenResponse({ type: ErrorDto, description: '`Subscriber id is in use by another user`' })
  @ApiConflictResponse({ type: ErrorDto, description: '`Subscriber id is bound to channel <channel>`' })
  @ApiTooManyRequestsResponse({ type: ErrorDto, description: 'The caller holds MAX_SUBSCRIPTIONS_PER_USER live subscriptions already' })
  async subscribe(@Param('channel') channel: string, @Query() query: QueryParams, @CurrentUser() user: UserRecord): Promise<SubscriptionDto> {
    const promiscuous = parseQueryBoolean(query.promisc, 'promisc', false);
    const subscriberId = lastValue(query.subscriber_id);
    const subscription = await this.subscriptions.subscribe(channel, user, { promiscuous, subscriberId, transport: 'http' });
    return toSubscriptionResponse(subscription);
  }

  /**
   * Wait for the next event of a subscription
   *
   * Long poll: answers the next event as a message envelope whose `data` is the CloudEvent as a JSON
   * string, or a keep-alive (`"data": "BEEP"`) after KEEP_ALIVE_PERIOD seconds without events.
   * Each listen first acknowledges the event returned by the previous one.
   */
  @Get('listen/:sub_id')
  @Authenticated()
  @ApiOkResponse({ type: ListenMessageDto })
  @ApiForbiddenResponse({ type: ErrorDto, description: '`Error while listening to sub id <id>: Subscription <id> not owned by <username>`' })
  @ApiNotFoundResponse({ type: ErrorDto, description: "`Subscription id not found: 'Subscription <id> not found'`" })
  async listen(@Param('sub_id') subId: string, @CurrentUser() user: UserRecord, @Res({ passthrough: true }) reply: FastifyReply): Promise<ListenMessageDto> {
    const id = parsePathInteger(subId, 'sub_id');
    // A client that goes away must not consume an event (docs/events.md#http-pubsub-kernelci-compatible).
    const disconnected = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableEnded) disconnected.abort();
    };
    reply.raw.on('close', onClose);
    try {
      const outcome = await this.subscriptions.listen(id, user, disconnected.signal);
      if (outcome.kind === 'event') {
        return { type: 'message', pattern: null, channel: outcome.channel, data: outcome.text };
      }
      const channel = outcome.kind === 'keep-alive' ? outcome.channel : '';
      return { type: 'message', pattern: null, channel, data: pythonJsonDumps(keepAliveCloudEvent(this.config.cloudEventsSource, new Date())) };
    } finally {
      reply.raw.off('close', onClose);
    }
  }

  /**
   * End a subscription
   *
   * A durable subscriber's cursor survives: subscribing again with the same `subscriber_id` resumes.
   */
  @Post('unsubscribe/:sub_id')
  @HttpCode(200)
  @Authenticated()
  @ApiOkResponse({ schema: { type: 'object', nullable: true, enum: [null] }, description: 'null' })
  @ApiForbiddenResponse({ type: ErrorDto, description: '`Subscription <id> not owned by <username>`' })
  @ApiNotFoundResponse({ type: ErrorDto, description: "`Subscription id not found: 'Subscription <id> not found'`" })
  async unsubscribe(@Param('sub_id') subId: string, @CurrentUser() user: UserRecord): Promise<null> {
    await this.subscriptions.unsubscribe(parsePathInteger(subId, 'sub_id'), user);
    return null;
  }

  /**
   * Publish an event on a channel
   *
   * The event is stored in the event log and delivered like any other. `owner` is the caller.
   */
  @Post('publish/:channel')
  @HttpCode(200)
  @Authenticated()
  @ApiOkResponse({ schema: { type: 'object', nullable: true, enum: [null] }, description: 'null' })
  async publishEvent(@Param('channel') channel: string, @Body() body: PublishEventDto, @CurrentUser() user: UserRecord): Promise<null> {
    const data = body.data === undefined ? null : body.data;
    if (body.data !== undefined && !isTruthy(body.data)) {
      throw new UnprocessableError([{ type: 'value_error', loc: ['body', 'data'], msg: 'Value error, None is not allowed as event payload', input: body.data }]);
    }
    try {
      await this.eventLog.publish({ channel, data, owner: user.username, type: body.type ?? undefined, source: body.source ?? undefined, attributes: body.attributes ?? undefined });
    } catch (error) {
      if (error instanceof InvalidCloudEventError) {
        throw new UnprocessableError([{ type: 'value_error', loc: ['body', 'attributes'], msg: error.message, input: body.attributes ?? null }]);
      }
      throw error;
    }
    return null;
  }

  /**
   * List live subscriptions
   *
   * Every subscription of every replica, HTTP and socket.io, with its real promiscuous flag.
   */
  @Get('stats/subscriptions')
  @Authenticated({ level: 'admin' })
  @ApiOkResponse({ type: SubscriptionStatsDto, isArray: true })
  async listSubscriptions(): Promise<SubscriptionStatsDto[]> {
    return (await this.subscriptions.stats()).map(toSubscriptionStats);
  }
}

/** Python truthiness, which KernelCI's payload check uses (docs/events.md#http-pubsub-kernelci-compatible). */
function isTruthy(value: unknown): boolean {
  if (value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
