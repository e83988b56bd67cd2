import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { QueuesController } from './queues.controller';
import { QueuesService } from './queues.service';

/** Queue lists (docs/queues-kv.md). The notifier comes from the global EventsModule. */
@Module({
  imports: [AuthModule],
  controllers: [QueuesController],
  providers: [QueuesService],
})
export class QueuesModule {}
