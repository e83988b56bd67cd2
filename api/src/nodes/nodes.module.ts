import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { LifecycleService } from './lifecycle.service';
import { NodePurgeService } from './node-purge.service';
import { NodesController } from './nodes.controller';
import { NodesService } from './nodes.service';

/** The node surface (docs/nodes.md): routes, rules, idempotency and the background jobs. */
@Module({
  imports: [AuthModule, IdempotencyModule],
  controllers: [NodesController],
  providers: [NodesService, LifecycleService, NodePurgeService],
  exports: [NodesService],
})
export class NodesModule {}
