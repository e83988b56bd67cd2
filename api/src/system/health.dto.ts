import { ApiProperty } from '@nestjs/swagger';

export class LiveDto {
  /** Always `ok` while the process runs its event loop. */
  @ApiProperty({ example: 'ok' })
  status!: string;
}

export class ReadinessChecksDto {
  /** `ok`, or why the database check failed (unreachable, migration pending, schema too new). */
  @ApiProperty({ example: 'ok' })
  database!: string;

  /** `ok`, or `disconnected` while the Redis notifier (REDIS_URL) has lost its connection. */
  @ApiProperty({ example: 'ok' })
  notifier!: string;
}

export class ReadyDto {
  /** `ready` (200) or `unavailable` (503). */
  @ApiProperty({ example: 'ready', enum: ['ready', 'unavailable'] })
  status!: string;

  /** One entry per dependency. */
  checks!: ReadinessChecksDto;
}
