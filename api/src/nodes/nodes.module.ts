import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { IdempotencyService } from './idempotency.service';
import { LifecycleService } from './lifecycle.service';
import { NodePurgeService } from './node-purge.service';
import { NodesController } from './nodes.controller';
import { NodesService } from './nodes.service';

/** The node surface (contract §6–§9): routes, rules, idempotency and the background jobs. */
@Module({
  imports: [AuthModule],
  controllers: [NodesController],
  providers: [NodesService, IdempotencyService, LifecycleService, NodePurgeService],
  exports: [NodesService],
})
export class NodesModule {}
