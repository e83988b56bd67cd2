import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { KeyValueController } from './kv.controller';
import { KeyValueService } from './kv.service';

/** The key/value store (docs/queues-kv.md). */
@Module({
  imports: [AuthModule],
  controllers: [KeyValueController],
  providers: [KeyValueService],
})
export class KeyValueModule {}
