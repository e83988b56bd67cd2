/**
 * The socket.io messages of docs/realtime.md, declared once. They enter the OpenAPI document as
 * extra models (OpenAPI cannot describe socket.io), the gateway's typed event map is built from
 * them (realtime/realtime.protocol.ts), and the SDK types its client from the generated components.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, Min, ValidateBy, type ValidationArguments } from 'class-validator';
import { isPlainObject, IsPresentOrAbsent, IsStrictInt } from '../../common/validation/decorators';
import { CloudEventDto } from './events.dto';

const FILTER_VALUE = { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };

/** Keys a socket.io subscription may filter on; anything else is refused with 422. */
export const FILTER_KEYS = ['kind', 'state', 'result', 'op', 'name', 'group', 'owner', 'id', 'path'];

/** Why a `filter` value is refused, or null when it is valid. */
function filterProblem(value: unknown): string | null {
  if (!isPlainObject(value)) return 'filter must be an object';
  for (const [key, values] of Object.entries(value)) {
    if (!FILTER_KEYS.includes(key)) return `unknown filter key: ${key}`;
    const list = typeof values === 'string' ? [values] : values;
    if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) return `filter.${key} must be a string or a list of strings`;
  }
  return null;
}

/** A payload filter: keys of FILTER_KEYS, each a string or a list of strings. */
function IsPayloadFilter(): PropertyDecorator {
  return ValidateBy({
    name: 'payload_filter',
    validator: {
      validate: (value: unknown) => filterProblem(value) === null,
      defaultMessage: (args?: ValidationArguments) => filterProblem(args?.value) ?? 'invalid filter',
    },
  });
}

/** The filter with every value as a list, as subscriptions store it. */
export function normaliseFilter(filter: Record<string, string | string[]> | null | undefined): Record<string, string[]> | undefined {
  if (!filter) return undefined;
  return Object.fromEntries(Object.entries(filter).map(([key, value]) => [key, typeof value === 'string' ? [value] : value]));
}

/** Client → server `subscribe`. */
export class RealtimeSubscribeDto {
  /** @example "node" */
  @IsString()
  @IsNotEmpty()
  channel!: string;

  /**
   * Payload filter: keys `kind`, `state`, `result`, `op`, `name`, `group`, `owner`, `id`, `path`;
   * each value a string or a list of strings (any of); keys are ANDed.
   * @example {"kind": "kbuild", "state": ["done", "available"]}
   */
  @ApiPropertyOptional({ type: 'object', additionalProperties: FILTER_VALUE as never })
  @IsOptional()
  @IsPayloadFilter()
  filter?: Record<string, string | string[]>;

  /** Receive events about every user's nodes, not only ownerless events and the caller's. */
  @IsPresentOrAbsent()
  @IsBoolean()
  promisc?: boolean;

  /**
   * Durable subscriber id: the cursor is kept across connections and shared with HTTP.
   * @example "scheduler:node"
   */
  @IsPresentOrAbsent()
  @IsString()
  @IsNotEmpty()
  subscriber_id?: string;

  /** Start delivery after this sequence id (replays retained events). */
  @ApiPropertyOptional({ type: 'integer' })
  @IsPresentOrAbsent()
  @IsStrictInt()
  @Min(0)
  from_sequence?: number;
}

/** Acknowledgement of a successful `subscribe`. */
export class RealtimeSubscribeAckDto {
  @ApiProperty({ enum: [true] })
  ok!: true;

  @ApiProperty({ type: 'integer' })
  subscription!: number;

  channel!: string;

  promiscuous!: boolean;

  @ApiProperty({ type: 'string', nullable: true })
  subscriber_id!: string | null;

  /** Sequence id after which delivery starts. */
  @ApiProperty({ type: 'integer' })
  cursor!: number;

  /** Oldest retained sequence id of the channel, null when it has no event. */
  @ApiProperty({ type: 'integer', nullable: true })
  oldest_sequence_id!: number | null;
}

/** Client → server `unsubscribe`. */
export class RealtimeUnsubscribeDto {
  @ApiProperty({ type: 'integer' })
  @IsStrictInt()
  subscription!: number;
}

/** Acknowledgement of a successful `unsubscribe`. */
export class RealtimeOkDto {
  @ApiProperty({ enum: [true] })
  ok!: true;
}

/** Client → server `ack`: everything up to `sequence_id` was processed. */
export class RealtimeAckDto {
  @ApiProperty({ type: 'integer' })
  @IsStrictInt()
  subscription!: number;

  @ApiProperty({ type: 'integer' })
  @IsStrictInt()
  sequence_id!: number;
}

/** Acknowledgement of a successful `ack`. */
export class RealtimeAckResultDto {
  @ApiProperty({ enum: [true] })
  ok!: true;

  /** The cursor after the acknowledgement (it never moves backwards). */
  @ApiProperty({ type: 'integer' })
  cursor!: number;
}

/** Acknowledgement of a failed request, with the HTTP API's status and text. */
export class RealtimeErrorDto {
  @ApiProperty({ enum: [false] })
  ok!: false;

  @ApiProperty({ type: 'integer', enum: [401, 403, 404, 409, 422] })
  status!: number;

  detail!: string;
}

/** Server → client `event`. */
export class RealtimeEventMessageDto {
  @ApiProperty({ type: 'integer' })
  subscription!: number;

  channel!: string;

  @ApiProperty({ type: 'integer' })
  sequence_id!: number;

  /** The CloudEvent, including `_sequence_id`, with its original `id`. */
  event!: CloudEventDto;
}

export const SUBSCRIPTION_CLOSED_REASONS = ['replaced', 'unsubscribed', 'expired', 'unauthorized'] as const;
export type SubscriptionClosedReason = (typeof SUBSCRIPTION_CLOSED_REASONS)[number];

/** Server → client `subscription_closed`. */
export class RealtimeSubscriptionClosedDto {
  @ApiProperty({ type: 'integer' })
  subscription!: number;

  @ApiProperty({ enum: SUBSCRIPTION_CLOSED_REASONS, enumName: 'SubscriptionClosedReason' })
  reason!: SubscriptionClosedReason;
}

export const REALTIME_MODELS = [
  CloudEventDto,
  RealtimeSubscribeDto,
  RealtimeSubscribeAckDto,
  RealtimeUnsubscribeDto,
  RealtimeOkDto,
  RealtimeAckDto,
  RealtimeAckResultDto,
  RealtimeErrorDto,
  RealtimeEventMessageDto,
  RealtimeSubscriptionClosedDto,
];
