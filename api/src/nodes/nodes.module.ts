import { Module } from '@nestjs/common';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { LifecycleService } from './lifecycle.service';
import { NodePurgeService } from './node-purge.service';
import { NodesController } from './nodes.controller';
import { NodesService } from './nodes.service';

/** The node surface (contract §6–§9): routes, rules, idempotency and the background jobs. */
@Module({
  controllers: [NodesController],
  providers: [NodesService, IdempotencyService, LifecycleService, NodePurgeService],
  exports: [NodesService],
})
export class NodesModule {}
