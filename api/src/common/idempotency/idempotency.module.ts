import { Module } from '@nestjs/common';
import { IdempotencyService } from './idempotency.service';

/** `Idempotency-Key` for any write: services call IdempotencyService around the write. */
@Module({
  providers: [IdempotencyService],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
