import { ApiProperty } from '@nestjs/swagger';
import { ANY_JSON } from '../events/dto/events.dto';

/** `POST /push/{list_name}`: `data` is required; any other key is a CloudEvent attribute. */
export class QueuePushDto {
  @ApiProperty({ ...ANY_JSON, description: 'The event payload' })
  data!: unknown;

  /**
   * CloudEvent `type`.
   * @default "api.kernelci.org"
   */
  type?: string;

  /** CloudEvent `source`; defaults to CLOUD_EVENTS_SOURCE. */
  source?: string;
}

/** A queue item: the CloudEvent as pushed (extension attributes follow `data`). */
export class QueueEventDto {
  /** @example "1.0" */
  specversion!: string;
  /** @example "3f0a5a62-1d3c-4a8e-9d59-0d9f3b1f6a21" */
  id!: string;
  /** @example "https://api.kernelci.org/" */
  source!: string;
  /** @example "api.kernelci.org" */
  type!: string;
  /** @example "2026-03-02T10:15:00.250000+00:00" */
  time!: string;
  @ApiProperty({ ...ANY_JSON, description: 'The payload' })
  data!: unknown;
}
