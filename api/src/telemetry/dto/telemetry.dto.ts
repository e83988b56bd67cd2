import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageEnvelopeDto } from '../../common/pagination/page.dto';

const NULLABLE_STRING = { type: 'string', nullable: true } as const;

/**
 * One telemetry event as sent by a lab or pipeline service. Only `kind` and `runtime` are
 * required; `ts` defaults to the time of the request, strings to null, `is_infra_error` to false,
 * `retry` to 0 and `extra` to `{}`. An `id` sent by the client is ignored.
 */
export class TelemetryEventInputDto {
  /** @example "job_result" */
  kind!: string;
  /**
   * Runtime (lab) that ran or refused the job.
   * @example "lava-collabora"
   */
  runtime!: string;
  /**
   * Event time: ISO 8601, naive means UTC.
   * @example "2026-03-02T10:15:00.250000"
   */
  @ApiPropertyOptional({ type: 'string', nullable: true })
  ts?: string | null;
  /** @example "bcm2711-rpi-4-b" */
  @ApiPropertyOptional(NULLABLE_STRING)
  device_type?: string | null;
  /** @example "rpi4-03" */
  @ApiPropertyOptional(NULLABLE_STRING)
  device_id?: string | null;
  /** @example "baseline-arm64" */
  @ApiPropertyOptional(NULLABLE_STRING)
  job_name?: string | null;
  @ApiPropertyOptional(NULLABLE_STRING)
  test_name?: string | null;
  /** @example "1234567" */
  @ApiPropertyOptional(NULLABLE_STRING)
  job_id?: string | null;
  /** @example "65a1c9f0e7d4b3a2c1f0e9d8" */
  @ApiPropertyOptional(NULLABLE_STRING)
  node_id?: string | null;
  /** @example "mainline" */
  @ApiPropertyOptional(NULLABLE_STRING)
  tree?: string | null;
  /** @example "master" */
  @ApiPropertyOptional(NULLABLE_STRING)
  branch?: string | null;
  /** @example "arm64" */
  @ApiPropertyOptional(NULLABLE_STRING)
  arch?: string | null;
  /**
   * `pass`, `fail`, `incomplete` or `skip` are counted by stats; any other text is stored.
   * @example "incomplete"
   */
  @ApiPropertyOptional(NULLABLE_STRING)
  result?: string | null;
  /** @default false */
  @ApiPropertyOptional({ type: 'boolean' })
  is_infra_error?: boolean;
  /** @example "Infrastructure" */
  @ApiPropertyOptional(NULLABLE_STRING)
  error_type?: string | null;
  /** @example "bootloader-commands timed out after 180 seconds" */
  @ApiPropertyOptional(NULLABLE_STRING)
  error_msg?: string | null;
  /** @default 0 */
  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  retry?: number;
  /** Free-form details. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  extra?: Record<string, unknown>;
}

/** A stored telemetry event: every field present, in KernelCI's key order. */
export class TelemetryEventDto {
  /** @example "65a1c9f0e7d4b3a2c1f0e9d9" */
  id!: string;
  /**
   * Naive UTC.
   * @example "2026-03-02T10:15:00.250000"
   */
  ts!: string;
  /** @example "job_result" */
  kind!: string;
  /** @example "lava-collabora" */
  runtime!: string;
  @ApiProperty(NULLABLE_STRING) device_type!: string | null;
  @ApiProperty(NULLABLE_STRING) device_id!: string | null;
  @ApiProperty(NULLABLE_STRING) job_name!: string | null;
  @ApiProperty(NULLABLE_STRING) test_name!: string | null;
  @ApiProperty(NULLABLE_STRING) job_id!: string | null;
  @ApiProperty(NULLABLE_STRING) node_id!: string | null;
  @ApiProperty(NULLABLE_STRING) tree!: string | null;
  @ApiProperty(NULLABLE_STRING) branch!: string | null;
  @ApiProperty(NULLABLE_STRING) arch!: string | null;
  @ApiProperty(NULLABLE_STRING) result!: string | null;
  is_infra_error!: boolean;
  @ApiProperty(NULLABLE_STRING) error_type!: string | null;
  @ApiProperty(NULLABLE_STRING) error_msg!: string | null;
  @ApiProperty({ type: 'integer' }) retry!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) extra!: Record<string, unknown>;
}

export class TelemetryPageDto extends PageEnvelopeDto {
  @ApiProperty({ type: TelemetryEventDto, isArray: true })
  items!: TelemetryEventDto[];
}

export class TelemetryInsertedDto {
  /** @example 2 */
  @ApiProperty({ type: 'integer' })
  inserted!: number;
}

/** Counters of one group; the group keys named by `group_by` come first (null when absent). */
export class TelemetryStatsRowDto {
  @ApiPropertyOptional(NULLABLE_STRING) runtime?: string | null;
  /** Same value as `runtime`, under the name `lab`. */
  @ApiPropertyOptional(NULLABLE_STRING) lab?: string | null;
  @ApiPropertyOptional(NULLABLE_STRING) device_type?: string | null;
  @ApiPropertyOptional(NULLABLE_STRING) device_id?: string | null;
  @ApiPropertyOptional(NULLABLE_STRING) job_name?: string | null;
  @ApiPropertyOptional(NULLABLE_STRING) tree?: string | null;
  @ApiPropertyOptional(NULLABLE_STRING) branch?: string | null;
  @ApiPropertyOptional(NULLABLE_STRING) arch?: string | null;
  @ApiPropertyOptional(NULLABLE_STRING) kind?: string | null;
  @ApiPropertyOptional(NULLABLE_STRING) error_type?: string | null;
  /** @example 12 */
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) pass!: number;
  @ApiProperty({ type: 'integer' }) fail!: number;
  @ApiProperty({ type: 'integer' }) incomplete!: number;
  @ApiProperty({ type: 'integer' }) skip!: number;
  /** Events with `is_infra_error: true`. */
  @ApiProperty({ type: 'integer' }) infra_error!: number;
}

/** A runtime + device type (or device) whose failure or infrastructure-error rate reached the threshold. */
export class ResultAnomalyDto {
  /** @example "lava-collabora" */
  runtime!: string;
  /** Same as `runtime`. */
  lab!: string;
  @ApiProperty(NULLABLE_STRING) device_type!: string | null;
  /** Only with `scope=device`. */
  @ApiPropertyOptional(NULLABLE_STRING) device_id?: string | null;
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) pass!: number;
  @ApiProperty({ type: 'integer' }) fail!: number;
  @ApiProperty({ type: 'integer' }) incomplete!: number;
  @ApiProperty({ type: 'integer' }) skip!: number;
  @ApiProperty({ type: 'integer' }) infra_error!: number;
  /**
   * infra_error / total.
   * @example 1
   */
  infra_rate!: number;
  /**
   * (fail + incomplete) / total.
   * @example 1
   */
  fail_rate!: number;
  /** Every job of the group failed or was incomplete. */
  constant_failure!: boolean;
  /** Every job of the group was an infrastructure error. */
  constant_infra_failure!: boolean;
  /**
   * Time of the newest event, naive UTC.
   * @example "2026-07-21T01:24:01.322000"
   */
  last_seen!: string;
  /** `error_type` of the newest event. */
  @ApiProperty(NULLABLE_STRING) latest_error_type!: string | null;
  /** `error_msg` of the newest event. */
  @ApiProperty(NULLABLE_STRING) latest_error_msg!: string | null;
}

/** Runtime errors and failed submissions of one runtime and error type in the window. */
export class ErrorAnomalyDto {
  /** @example "lava-collabora" */
  runtime!: string;
  /** @example "submission_rejected" */
  @ApiProperty(NULLABLE_STRING) error_type!: string | null;
  /** @example 4 */
  @ApiProperty({ type: 'integer' }) count!: number;
}

export class TelemetryAnomaliesDto {
  /** @example "6h" */
  window!: string;
  /** @example 0.5 */
  threshold!: number;
  /** @example 3 */
  @ApiProperty({ type: 'integer' }) min_total!: number;
  @ApiProperty({ enum: ['device_type', 'device'] }) scope!: 'device_type' | 'device';
  /**
   * Start of the window, naive UTC.
   * @example "2026-07-20T19:24:01.322000"
   */
  since!: string;
  @ApiProperty({ type: ResultAnomalyDto, isArray: true }) result_anomalies!: ResultAnomalyDto[];
  @ApiProperty({ type: ErrorAnomalyDto, isArray: true }) error_anomalies!: ErrorAnomalyDto[];
}
