import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Allow, IsObject, IsOptional, IsString } from 'class-validator';
import { KeepAsSent } from '../../common/validation/decorators';
import { NodeDto } from '../../nodes/dto/node.dto';

/** Any JSON value: event payloads are free-form (`/publish` accepts anything truthy). */
export const ANY_JSON: ApiPropertyOptions = {
  oneOf: [
    { type: 'object', additionalProperties: true },
    { type: 'array', items: {} },
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
  ],
  nullable: true,
};

/** A new subscription (docs/events.md#http-pubsub-kernelci-compatible). */
export class SubscriptionDto {
  /**
   * Subscription id, from a deployment-wide counter: unique, increasing, never reused.
   * @example 801
   */
  @ApiProperty({ type: 'integer' })
  id!: number;

  /** @example "node" */
  channel!: string;

  /**
   * Username of the subscriber.
   * @example "bob"
   */
  user!: string;

  /** Whether the subscription receives events about other users' nodes. */
  promiscuous!: boolean;
}

/** One live subscription of any replica (docs/events.md#http-pubsub-kernelci-compatible `GET /stats/subscriptions`). */
export class SubscriptionStatsDto {
  /** @example 801 */
  @ApiProperty({ type: 'integer' })
  id!: number;

  /** @example "node" */
  channel!: string;

  /** @example "bob" */
  user!: string;

  promiscuous!: boolean;

  /**
   * Creation time, naive UTC.
   * @example "2025-01-12T08:30:00.123000"
   */
  created!: string;

  /**
   * Time of the last listen (or socket.io activity), null before the first one.
   * @example "2025-01-12T08:31:10.001000"
   */
  @ApiProperty({ type: 'string', nullable: true })
  last_poll!: string | null;

  /**
   * Durable subscriber id, null for a non-durable subscription.
   * @example "scheduler:node"
   */
  @ApiProperty({ type: 'string', nullable: true })
  subscriber_id!: string | null;

  @ApiProperty({ enum: ['http', 'socket.io'], enumName: 'SubscriptionTransport' })
  transport!: 'http' | 'socket.io';
}

/** The `/listen` answer: a Redis-style message envelope (docs/events.md#http-pubsub-kernelci-compatible). */
export class ListenMessageDto {
  @ApiProperty({ enum: ['message'] })
  type!: 'message';

  @ApiProperty({ type: 'string', nullable: true, enum: [null] })
  pattern!: null;

  /** @example "node" */
  channel!: string;

  /**
   * The CloudEvent as a JSON string; a keep-alive carries `"data": "BEEP"`.
   * @example "{\"specversion\": \"1.0\", \"id\": \"3f0b7e7c-5d0e-4a53-9d0a-1b2f0c9e8a11\", \"source\": \"https://api.kernelci.org/\", \"type\": \"api.kernelci.org\", \"time\": \"2024-01-04T10:48:39.974000+00:00\", \"data\": {\"op\": \"created\"}, \"owner\": \"bob\", \"_sequence_id\": 12345}"
   */
  data!: string;
}

/** `POST /publish/{channel}` body (docs/events.md#http-pubsub-kernelci-compatible). */
export class PublishEventDto {
  /** The event payload; when present it must be truthy. Omitted: `data: null` is published. */
  @Allow()
  @KeepAsSent()
  @ApiPropertyOptional(ANY_JSON)
  data?: unknown;

  /**
   * CloudEvent `type`.
   * @default "api.kernelci.org"
   */
  @IsOptional()
  @IsString()
  type?: string;

  /** CloudEvent `source`; defaults to CLOUD_EVENTS_SOURCE. */
  @IsOptional()
  @IsString()
  source?: string;

  /** Extra CloudEvent attributes; `owner`, `type` and `source` cannot be overridden, `id`, `time` and `specversion` can. */
  @IsOptional()
  @IsObject()
  @KeepAsSent()
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  attributes?: Record<string, unknown>;
}

/** A stored event as `GET /events` shows it (docs/events.md#event-history-get-events). */
export class EventDto {
  /**
   * Storage time, naive UTC.
   * @example "2025-01-12T08:30:00.123000"
   */
  timestamp!: string;

  /**
   * Deployment-wide sequence id (the CloudEvent's `_sequence_id`).
   * @example 12345
   */
  @ApiProperty({ type: 'integer' })
  sequence_id!: number;

  /** @example "node" */
  channel!: string;

  /** Owner of the event (the node's owner for node events), null when none. */
  @ApiProperty({ type: 'string', nullable: true })
  owner!: string | null;

  /** The event payload (for node events, docs/events.md#event-envelope). */
  @ApiProperty(ANY_JSON)
  data!: unknown;

  /**
   * Id of the stored event document.
   * @example "65a1355ee98651d0fe81e500"
   */
  id!: string;

  /** With `recursive`: the node named by `data.id`, when it still exists. */
  @ApiPropertyOptional({ type: () => NodeDto })
  node?: NodeDto;
}

/** A CloudEvent in structured JSON form (docs/events.md#event-envelope), as socket.io `event` messages carry it. */
export class CloudEventDto {
  @ApiProperty({ enum: ['1.0'] })
  specversion!: string;

  /** UUID assigned at publication, kept for the life of the event. */
  id!: string;

  /** @example "https://api.kernelci.org/" */
  source!: string;

  /** @example "api.kernelci.org" */
  type!: string;

  /**
   * Publication time, UTC with `+00:00`.
   * @example "2024-01-04T10:48:39.974000+00:00"
   */
  time!: string;

  @ApiProperty(ANY_JSON)
  data!: unknown;

  /** The node's owner for node events, the publisher for `/publish`; absent when none. */
  owner?: string;

  /** Sequence id; absent on keep-alives. */
  @ApiPropertyOptional({ type: 'integer' })
  _sequence_id?: number;
}
